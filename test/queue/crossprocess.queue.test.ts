/**
 * One notification's deliveries handed from one webhook process to the other, one at a time
 * (each settled before the next is sent): what the record of accepted deliveries, shared only
 * through the workflow's static data in PostgreSQL, does across processes.
 */
import { sendDelivery, readSample, type SentDelivery } from '../../cli/deliveries';
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
	const answer = await sendDelivery({
		...spec(KEY).partner,
		providerEvent: 'qoala-claim',
		url: urlOf(KEY, index, state),
		body,
	});
	// Let the execution finish and n8n save the trigger's static data before the next one.
	await settled();
	return answer;
}

async function executions(): Promise<number> {
	const rows = await query<{ count: string; unfinished: string }>(
		`SELECT count(*) AS count, count(*) FILTER (WHERE status IN ('new', 'running')) AS unfinished
		 FROM execution_entity WHERE "workflowId" = $1`,
		[workflowId(KEY)],
	);
	return Number(rows[0].unfinished) > 0 ? -1 : Number(rows[0].count);
}

async function settled(): Promise<void> {
	const started = Date.now();
	while ((await executions()) < 0 && Date.now() - started < 30000) await sleep(250);
	await sleep(1000);
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
