/**
 * Options → Output Rejected Deliveries in the real n8n, in each Respond mode: a forged delivery
 * is answered exactly as without the option, and the alert that reaches the "CRM" (here: the
 * alert channel) says why without a secret; a flood alerts once; genuine deliveries are as ever.
 */
import { createHash } from 'node:crypto';

import { deliver, sampleWith } from './deliver';
import { crmRecords, executions, finishedExecutions, QUIET_PERIOD_MS, sleep } from './harness';
import { SECRETS, workflowId, type WorkflowKey } from './scenario';

interface AlertCase {
	key: WorkflowKey;
	providerEvent: string;
	header: string;
	forgedValue: string;
	/** A genuine notification of its own (not the plain sample other suites send). */
	fresh: () => Buffer;
}

const cases: Array<[string, AlertCase]> = [
	[
		'Curacel, Respond: Immediately',
		{
			key: 'alertsOnReceived',
			providerEvent: 'curacel-claim.vetted',
			header: 'x-curacel-signature',
			forgedValue: 'f'.repeat(64),
			fresh: () => sampleWith('curacel-claim.vetted', '"id":"5022"', '"id":"ALERTS-1"'),
		},
	],
	[
		'Qoala claim (API key), Respond: When Last Node Finishes',
		{
			key: 'alertsLastNode',
			providerEvent: 'qoala-claim',
			header: 'x-api-key',
			forgedValue: 'a-guessed-api-key',
			fresh: () => sampleWith('qoala-claim', 'CLM-2024-000123', 'CLM-ALERTS-1'),
		},
	],
	[
		'Cermati claim, Respond: Using a Response Node',
		{
			key: 'alertsAnswerNode',
			providerEvent: 'cermati-claim',
			header: 'Cermati-Signature',
			forgedValue: `v1=${'0'.repeat(64)}`,
			fresh: () => sampleWith('cermati-claim', '"claimId":"CLAIM-000042"', '"claimId":"ALERTS-1"'),
		},
	],
];

describe.each(cases)('Output Rejected Deliveries: %s', (_label, c) => {
	const id = workflowId(c.key);
	const alerts = () => crmRecords(`${c.key}-rejected`);
	const forge = () => deliver(c.key, c.providerEvent, { headers: { [c.header]: c.forgedValue } });
	let executionsBefore = 0;

	beforeAll(() => {
		executionsBefore = executions(id).length;
	});

	it('answers a forged delivery 401, as without the option, and alerts on the Rejected output', async () => {
		const forged = await forge();
		expect(forged.status).toBe(401);
		expect(Object.keys(forged.json as object)).toEqual(['error']);
		const rows = await finishedExecutions(id, executionsBefore + 1);
		expect(rows.at(-1)?.status).toBe('success');
		const [alert] = await alerts();
		expect(alert.body).toEqual({
			rejectedAt: expect.any(String),
			httpStatus: 401,
			reason: (forged.json as { error: string }).error,
			check: 'signature_mismatch',
			remoteAddress: expect.stringMatching(/127\.0\.0\.1$/),
			headerNames: expect.arrayContaining([c.header.toLowerCase(), 'content-type']),
			bodyBytes: forged.sent.body.length,
			bodySha256: createHash('sha256').update(forged.sent.body).digest('hex'),
			suppressed: 0,
		});
		const text = JSON.stringify(alert.body);
		for (const secret of [...Object.values(SECRETS), c.forgedValue]) {
			expect(text).not.toContain(secret);
		}
		// Nothing went down the Accepted output.
		expect(await crmRecords(c.key)).toHaveLength(0);
	});

	it('answers more forged deliveries within the minute 401 and starts nothing', async () => {
		const answers = await Promise.all(Array.from({ length: 20 }, forge));
		expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(401));
		await sleep(QUIET_PERIOD_MS);
		expect(executions(id)).toHaveLength(executionsBefore + 1);
		expect(await alerts()).toHaveLength(1);
	});

	it('starts the Accepted output for a genuine delivery, answered 200', async () => {
		const genuine = await deliver(c.key, c.providerEvent, { body: c.fresh() });
		expect(genuine.status).toBe(200);
		await finishedExecutions(id, executionsBefore + 2);
		const records = await crmRecords(c.key);
		expect(records).toHaveLength(1);
		expect(records[0].body).toMatchObject({ deliveryKey: expect.any(String) });
		expect(await alerts()).toHaveLength(1);
	});
});
