/**
 * Delivered means the partner was answered 2XX, in the real n8n. The partners resend anything
 * else (up to 8 times), so a run that failed must not be remembered: the retry has to reach the
 * CRM. What the partner sees (statuses), what n8n ran (executions), what reached the CRM.
 */
import { sendDelivery, type SentDelivery } from '../../sender/src/deliveries';
import { deliver, sampleWith } from './deliver';
import {
	crmRecords,
	executions,
	finishedExecutions,
	instance,
	QUIET_PERIOD_MS,
	readState,
	setCrmBehaviour,
	sleep,
	waitFor,
} from './harness';
import { spec, webhookId, workflowId, type WorkflowKey } from './scenario';
import { describeUnansweredEnd } from './unansweredEnd';

/** A Qoala claim of its own for each test, so no other test's record interferes. */
const claimBody = (claimNumber: string) =>
	sampleWith('qoala-claim', 'CLM-2024-000123', claimNumber);

const deliveryKeyOf = (record: { body: unknown }) =>
	(record.body as { deliveryKey?: string }).deliveryKey;

describe.each([
	['When Last Node Finishes', 'lastNodeCrmDown'],
	['Using a Response Node (Answer Insurance Partner)', 'answerNodeCrmDown'],
] as Array<[string, WorkflowKey]>)(
	'Respond: %s, with a CRM down for the first attempt of each notification',
	(_mode, key) => {
		const body = claimBody(`CLM-ACK-${key}`);
		const id = workflowId(key);

		beforeAll(async () => {
			await setCrmBehaviour(key, { failFirst: 1 });
		});

		afterAll(async () => {
			await setCrmBehaviour(key, {});
		});

		it('answers the first delivery 500: the run failed, the CRM has nothing', async () => {
			const first = await deliver(key, 'qoala-claim', { body });
			expect(first.status).toBe(500);
			const rows = await finishedExecutions(id, 1);
			expect(rows.map((row) => row.status)).toEqual(['error']);
			expect(await crmRecords(key)).toHaveLength(0);
		});

		it("runs the partner's retry: 200, and the CRM receives the claim exactly once", async () => {
			const retry = await deliver(key, 'qoala-claim', { body });
			expect(retry.status).toBe(200);
			const rows = await finishedExecutions(id, 2);
			expect(rows.map((row) => row.status)).toEqual(['error', 'success']);
			const records = await waitFor(
				() => crmRecords(key),
				(list) => list.length >= 1,
			);
			expect(records).toHaveLength(1);
			expect((records[0].body as { claimNumber?: string }).claimNumber).toBe(`CLM-ACK-${key}`);
		});

		it('answers a further retry 200 "repeated" and starts nothing', async () => {
			const again = await deliver(key, 'qoala-claim', { body });
			expect(again.status).toBe(200);
			expect(again.json).toMatchObject({ received: true, ignored: 'repeated' });
			await sleep(QUIET_PERIOD_MS);
			expect(executions(id)).toHaveLength(2);
			expect(await crmRecords(key)).toHaveLength(1);
		});
	},
);

describe('copies that arrive while the first copy is still running (a slow CRM)', () => {
	const key: WorkflowKey = 'lastNodeSlowCrm';
	const id = workflowId(key);
	let first: Promise<SentDelivery>;
	let copies: SentDelivery[];

	beforeAll(async () => {
		await setCrmBehaviour(key, { hold: true });
		first = deliver(key, 'cermati-claim');
		// The CRM holds the first copy's post: its run is in progress until released below.
		await waitFor(
			() => executions(id),
			(rows) => rows.length >= 1,
		);
		copies = await Promise.all([deliver(key, 'cermati-claim'), deliver(key, 'cermati-claim')]);
		expect(await setCrmBehaviour(key, {})).toBe(1);
	});

	it('answers the copies 409 with Retry-After and "in progress", starting nothing', () => {
		expect(copies.map((copy) => copy.status)).toEqual([409, 409]);
		for (const copy of copies) {
			expect(copy.json).toMatchObject({ received: true, inProgress: true });
			expect(copy.headers['retry-after']).toBe('30');
		}
		expect(executions(id)).toHaveLength(1);
	});

	it('answers the first copy 200 once the CRM has it, and later copies "repeated"', async () => {
		expect((await first).status).toBe(200);
		const later = await deliver(key, 'cermati-claim');
		expect(later.json).toMatchObject({ ignored: 'repeated' });
		await sleep(QUIET_PERIOD_MS);
		expect(executions(id).map((row) => row.status)).toEqual(['success']);
		expect(await crmRecords(key)).toHaveLength(1);
	});
});

describe('the test URL ("Listen for test event") and the production URL', () => {
	const key: WorkflowKey = 'testUrlThenLive';
	const body = claimBody('CLM-TEST-URL-1');

	it('a notification sent to the test URL first still starts the production workflow', async () => {
		const baseUrl = `http://127.0.0.1:${readState().port}`;
		const cookie = await instance.setUpOwner(baseUrl, {
			email: 'owner@example.com',
			firstName: 'E2E',
			lastName: 'Owner',
			password: 'E2e-owner-2026',
		});
		const listen = await instance.request(
			'POST',
			`${baseUrl}/rest/workflows/${workflowId(key)}/run`,
			{
				headers: { 'content-type': 'application/json', cookie: `${cookie.name}=${cookie.value}` },
				body: JSON.stringify({ triggerToStartFrom: { name: 'Partner Trigger' } }),
			},
		);
		expect({ status: listen.status, body: JSON.parse(listen.body) as unknown }).toMatchObject({
			status: 200,
			body: { data: { waitingForWebhook: true } },
		});
		const toTestUrl = await sendDelivery({
			...spec(key).partner,
			providerEvent: 'qoala-claim',
			url: `${baseUrl}/webhook-test/${webhookId(key)}/webhook`,
			body,
		});
		expect(toTestUrl.status).toBe(200);

		const productionRuns = executions(workflowId(key)).filter((row) => row.mode === 'webhook');
		const toProduction = await deliver(key, 'qoala-claim', { body });
		expect(toProduction.status).toBe(200);
		expect(toProduction.json).not.toHaveProperty('ignored');
		// Both runs posted the claim: the test run and the production run.
		const deliveryKey = (toProduction.json as { deliveryKey?: string }).deliveryKey;
		const both = await waitFor(
			() => crmRecords(key),
			(list) => list.filter((record) => deliveryKeyOf(record) === deliveryKey).length >= 2,
		);
		expect(both.filter((record) => deliveryKeyOf(record) === deliveryKey)).toHaveLength(2);
		expect(executions(workflowId(key)).filter((row) => row.mode === 'webhook')).toHaveLength(
			productionRuns.length + 1,
		);
	});
});

describeUnansweredEnd();
