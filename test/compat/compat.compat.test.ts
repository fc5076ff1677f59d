/**
 * What must hold on every n8n the package claims (README, Compatibility), checked in the n8n
 * N8N_VERSION names: each trigger accepts and types its partner's delivery, refuses a forged
 * one, starts nothing for a filtered or repeated one, survives a restart with its record, has
 * its output schema served, and each Respond mode answers a run that succeeds and one that
 * fails as the partners' contract needs (only 2XX means delivered).
 */
import { deliver, expectOneSuccessfulRun, expectQuiet, sampleWith } from '../e2e/deliver';
import {
	crmRecords,
	finishedExecutions,
	instance,
	readState,
	restartN8n,
	runtime,
	setCrmBehaviour,
	settledInDatabase,
	workflows,
} from '../e2e/harness';
import { spec, workflowId } from '../e2e/scenario';
import { COMPAT_KEYS, MAIN } from './scenario';

beforeAll(() => {
	process.stdout.write(`[compat] checking n8n ${runtime.N8N_VERSION}\n`);
});

describe.each(MAIN)('$key, default authentication', ({ key, providerEvent }) => {
	it('accepts the partner’s delivery: 200, one execution, the typed item at the CRM', async () => {
		const answer = await deliver(key, providerEvent);
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({ received: true });
		await expectOneSuccessfulRun(key, providerEvent, answer);
	});

	it('answers its retry 200 "repeated" and starts nothing', async () => {
		const again = await deliver(key, providerEvent);
		expect(again.status).toBe(200);
		expect(again.json).toMatchObject({ received: true, ignored: 'repeated' });
		await expectQuiet(key, 1, 1);
	});

	it('answers a forged delivery 401 and starts nothing', async () => {
		// Signed (or keyed) with a secret that is not the credential's: well-formed, and wrong.
		const forged = await deliver(key, providerEvent, { secret: 'not-the-secret' });
		expect(forged.status).toBe(401);
		expect(Object.keys(forged.json as object)).toEqual(['error']);
		await expectQuiet(key, 1, 1);
	});

	it('has its output schema served for node versions 2 and 1', async () => {
		for (const version of ['2.0.0', '1.0.0']) {
			const answer = await instance.request(
				'GET',
				`http://127.0.0.1:${readState().port}/schemas/${workflows.PACKAGE_NAME}.${spec(key).nodeName}/${version}.json`,
			);
			expect({ version, status: answer.status }).toEqual({ version, status: 200 });
			const schema = JSON.parse(answer.body) as { properties: Record<string, unknown> };
			expect(Object.keys(schema.properties)).toEqual(
				expect.arrayContaining(['provider', 'event', 'outcome', 'deliveryKey', 'body']),
			);
		}
	});
});

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
