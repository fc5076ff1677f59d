/**
 * One notification's deliveries handed from one webhook process to the other, one at a time
 * (each settled before the next is sent): what the record of accepted deliveries, shared only
 * through the workflow's static data in PostgreSQL, does across processes.
 */
import { sendDelivery, readSample, type SentDelivery } from '../../sender/src/deliveries';
import { instance } from '../e2e/harness';
import { spec, workflowId } from '../e2e/scenario';
import { CROSS_PROCESS_WORKFLOW, query, readState, sleep, urlOf } from './environment';
import { readReport, writeReport } from './report';

const KEY = CROSS_PROCESS_WORKFLOW;
const state = readState();
const claimNumber = (name: string) => `CLM-X-${Date.now().toString(36)}-${name}`;

/** A Qoala claim delivery with this claim number and status, to webhook process #index. */
async function send(index: number, claim: string, status: string): Promise<SentDelivery> {
	const body = readSample('qoala-claim')
		.toString('utf8')
		.replace('CLM-2024-000123', claim)
		.replace('INSURANCE_CLAIM_APPROVE', status);
	const savedBefore = await savedRecord();
	const answer = await sendDelivery({
		...spec(KEY).partner,
		providerEvent: 'qoala-claim',
		url: urlOf(KEY, index, state),
		body,
	});
	// The next delivery goes to the other process only once this one's execution has finished
	// and, when it was accepted, PostgreSQL holds the record with it: that is the hand-over.
	await settled(ignored(answer) === null ? savedBefore : undefined);
	return answer;
}

/** The trigger's record as PostgreSQL holds it now (JSON text; '' when there is none yet). */
async function savedRecord(): Promise<string> {
	const rows = await query<{ record: unknown }>(
		`SELECT "staticData" -> 'node:Partner Trigger' -> 'acceptedDeliveries' AS record
		 FROM workflow_entity WHERE id = $1`,
		[workflowId(KEY)],
	);
	return JSON.stringify(rows[0]?.record ?? '');
}

async function unfinishedExecutions(): Promise<number> {
	const rows = await query<{ unfinished: string }>(
		`SELECT count(*) AS unfinished FROM execution_entity
		 WHERE "workflowId" = $1 AND status IN ('new', 'running')`,
		[workflowId(KEY)],
	);
	return Number(rows[0].unfinished);
}

/** Until no execution is unfinished and, if given, the saved record is no longer `changedFrom`. */
async function settled(changedFrom?: string): Promise<void> {
	const started = Date.now();
	for (;;) {
		const saved = changedFrom === undefined || (await savedRecord()) !== changedFrom;
		if (saved && (await unfinishedExecutions()) === 0) return;
		if (Date.now() - started > 30000)
			throw new Error('the delivery was not finished and saved within 30 s');
		await sleep(250);
	}
}

async function crmPostsFor(claim: string): Promise<number> {
	const answer = await instance.request('GET', `${state.crmUrl}/records?key=${KEY}`);
	return (JSON.parse(answer.body) as Array<{ body: { claimNumber?: string } }>).filter(
		(record) => record.body.claimNumber === claim,
	).length;
}

const ignored = (answer: SentDelivery) => (answer.json as { ignored?: string }).ignored ?? null;

describe('deliveries handed from one webhook process to the other', () => {
	it('a retry on the other process starts nothing: the record reached it through PostgreSQL', async () => {
		const claim = claimNumber('retry');
		const first = await send(0, claim, 'INSURANCE_CLAIM_APPROVE');
		const retry = await send(1, claim, 'INSURANCE_CLAIM_APPROVE');
		const retryBack = await send(0, claim, 'INSURANCE_CLAIM_APPROVE');
		const answers = [first, retry, retryBack].map(ignored);
		writeReport('crossProcess', {
			...((readReport().crossProcess as object) ?? {}),
			retryOnOtherProcess: { answers, crmPosts: await crmPostsFor(claim) },
		});
		expect(answers).toEqual([null, 'repeated', 'repeated']);
		expect(await crmPostsFor(claim)).toBe(1);
	});

	// Process #0 still holds A for this claim when the claim returns to A; it must learn from
	// static data that #1 accepted B since (the later acceptance wins a merge), or the return to
	// A is dropped as a repeat: a lost change. The retry of that last A on #1 must then be a
	// repeat again, so #1 must have taken #0's newer A over its own B.
	it('a claim that goes A → B → A across the processes starts three executions, as in one process', async () => {
		const claim = claimNumber('aba');
		const answers = [
			await send(0, claim, 'INSURANCE_CLAIM_APPROVE'),
			await send(1, claim, 'INSURANCE_CLAIM_WAITING_PAID'),
			await send(0, claim, 'INSURANCE_CLAIM_APPROVE'),
			await send(1, claim, 'INSURANCE_CLAIM_APPROVE'),
		].map(ignored);
		const posts = await crmPostsFor(claim);
		const expected = [null, null, null, 'repeated'];
		writeReport('crossProcess', {
			...((readReport().crossProcess as object) ?? {}),
			returnToEarlierStatus: { answers, crmPosts: posts, expected },
		});
		expect(answers).toEqual(expected);
		expect(posts).toBe(3);
	});
});
