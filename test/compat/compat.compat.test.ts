/**
 * What must hold on every n8n the package claims (README, Compatibility), checked in the n8n
 * N8N_VERSION names: each trigger accepts and types its partner's delivery, refuses a forged
 * one, starts nothing for a filtered or repeated one, survives a restart with its record, has
 * its output schema served, and each Respond mode answers a run that succeeds and one that
 * fails as the partners' contract needs (only 2XX means delivered).
 */
import {
	deliver,
	expectOneSuccessfulRun,
	expectQuiet,
	sampleJson,
	sampleWith,
} from '../e2e/deliver';
import {
	crmRecords,
	finishedExecutions,
	restartN8n,
	runtime,
	setCrmBehaviour,
	settledInDatabase,
	waitFor,
} from '../e2e/harness';
import { workflowId } from '../e2e/scenario';
import { COMPAT_KEYS, MAIN } from './scenario';
import { describeUnansweredEnd } from '../e2e/unansweredEnd';
import { describeEachTrigger } from './triggerChecks';

beforeAll(() => {
	process.stdout.write(`[compat] checking n8n ${runtime.N8N_VERSION}\n`);
});

describeEachTrigger(MAIN);

describe('a filter, and a workflow saved with version 1 of the trigger', () => {
	it('answers an event outside the filter 200 "filtered" and starts nothing', async () => {
		const answer = await deliver('curacelFiltered', 'curacel-policy.created');
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({ received: true, ignored: 'filtered' });
		await expectQuiet('curacelFiltered', 0, 0);
	});

	it('runs a version-1 node: accepted and typed, its retry "repeated"', async () => {
		const answer = await deliver('curacelVersion1', 'curacel-claim.vetted');
		expect(answer.status).toBe(200);
		await expectOneSuccessfulRun('curacelVersion1', 'curacel-claim.vetted', answer);
		const again = await deliver('curacelVersion1', 'curacel-claim.vetted');
		expect(again.json).toMatchObject({ ignored: 'repeated' });
	});
});

describe('each Respond mode, with a run that succeeds and one that fails', () => {
	afterEach(async () => {
		for (const key of ['onReceivedCrmDown', 'lastNodeCrmDown', 'answerNodeCrmDown'])
			await setCrmBehaviour(key, {});
	});

	it('Immediately: 200 before the run, also when the run then fails (n8n keeps the failed execution)', async () => {
		await setCrmBehaviour('onReceivedCrmDown', { failFirst: 1 });
		const answer = await deliver('onReceivedCrmDown', 'qoala-policy');
		expect(answer.status).toBe(200);
		const rows = await finishedExecutions(workflowId('onReceivedCrmDown'), 1);
		expect(rows.map((row) => row.status)).toEqual(['error']);
	});

	it('When Last Node Finishes: 200 with the last node’s item when the run succeeds', async () => {
		const answer = await deliver('qoalaClaimLastNode', 'qoala-claim');
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({ stored: true });
		await expectOneSuccessfulRun('qoalaClaimLastNode', 'qoala-claim', answer);
	});

	it('When Last Node Finishes: 500 when the run fails, and the retry runs again', async () => {
		await setCrmBehaviour('lastNodeCrmDown', { failFirst: 1 });
		const body = sampleWith('qoala-claim', 'CLM-2024-000123', 'CLM-COMPAT-LAST');
		const first = await deliver('lastNodeCrmDown', 'qoala-claim', { body });
		expect(first.status).toBe(500);
		const retry = await deliver('lastNodeCrmDown', 'qoala-claim', { body });
		expect(retry.status).toBe(200);
		expect(await crmRecords('lastNodeCrmDown')).toHaveLength(1);
	});

	it('Using a Response Node: the Answer Insurance Partner node’s 200, and its 402 decline', async () => {
		const body = sampleWith('qoala-claim', 'CLM-2024-000123', 'CLM-COMPAT-ANSWER-OK');
		const ok = await deliver('answerNodeCrmDown', 'qoala-claim', { body });
		expect(ok.status).toBe(200);
		const decline = await deliver('curacelInstalmentDecline', 'curacel-instalment.due');
		expect(decline.status).toBe(402);
		expect(decline.json).toMatchObject({ declined: true });
	});

	it('Using a Response Node: never 2XX when the run fails before the answer; the retry runs again', async () => {
		await setCrmBehaviour('answerNodeCrmDown', { failFirst: 1 });
		const body = sampleWith('qoala-claim', 'CLM-2024-000123', 'CLM-COMPAT-ANSWER-FAIL');
		const first = await deliver('answerNodeCrmDown', 'qoala-claim', { body });
		expect(first.status).toBe(500);
		const retry = await deliver('answerNodeCrmDown', 'qoala-claim', { body });
		expect(retry.status).toBe(200);
		const records = await crmRecords('answerNodeCrmDown');
		expect(
			records.filter((record) => JSON.stringify(record.body).includes('CLM-COMPAT-ANSWER-FAIL')),
		).toHaveLength(1);
	});
});

describe('a late retry (an earlier Cermati change after a later one was delivered)', () => {
	const application = (status: string, updatedAt: string) => {
		const json = sampleJson('cermati-application');
		Object.assign(json, { trxId: 'TrxCompatLate01', status, updatedAt });
		return Buffer.from(JSON.stringify(json), 'utf8');
	};

	// lateCermatiSkip (version 3) answers it 200 "out_of_date" and starts nothing;
	// lateCermatiKeep (version 2) delivers it with isLatest false.
	it.each(['lateCermatiSkip', 'lateCermatiKeep'] as const)('%s', async (key) => {
		const issued = await deliver(key, 'cermati-application', {
			body: application('ISSUED', '2026-11-20T12:00:00+07:00'),
		});
		expect(issued.status).toBe(200);
		await finishedExecutions(workflowId(key), 1);
		const late = await deliver(key, 'cermati-application', {
			body: application('ACTIVATED', '2026-11-20T04:30:00Z'),
		});
		expect(late.status).toBe(200);
		if (key === 'lateCermatiSkip') {
			expect(late.json).toMatchObject({ received: true, ignored: 'out_of_date' });
			await expectQuiet(key, 1, 1);
			return;
		}
		await finishedExecutions(workflowId(key), 2);
		const records = await waitFor(
			() => crmRecords(key),
			(list) => list.length >= 2,
		);
		expect(records.map((record) => record.body)).toEqual([
			expect.objectContaining({ status: 'ISSUED', isLatest: true }),
			expect.objectContaining({ status: 'ACTIVATED', isLatest: false, latestStatus: 'ISSUED' }),
		]);
	});
});

describeUnansweredEnd();

describe('a restart of n8n', () => {
	it('keeps every trigger’s record: retries of what was accepted before still start nothing', async () => {
		await settledInDatabase(COMPAT_KEYS.map(workflowId));
		await restartN8n();
		for (const { key, providerEvent } of MAIN) {
			const again = await deliver(key, providerEvent);
			expect({ key, answer: again.json }).toMatchObject({ key, answer: { ignored: 'repeated' } });
		}
		for (const { key } of MAIN) await expectQuiet(key, 1, 1);
	});
});
