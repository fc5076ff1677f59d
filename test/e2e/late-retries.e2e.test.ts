/**
 * A late retry never overwrites a newer status (issue 30), in the real n8n with the packed
 * package. Each partner's case twice: at node version 3, which skips an out-of-date
 * notification (200, no run, nothing at the CRM), and at version 2, which delivers it marked
 * `isLatest: false` beside the newer one's `isLatest: true`. The order is kept across a restart.
 */
import { deliver, sampleJson } from './deliver';
import {
	crmRecords,
	executions,
	finishedExecutions,
	QUIET_PERIOD_MS,
	restartN8n,
	setCrmBehaviour,
	settledInDatabase,
	sleep,
	waitFor,
	type CrmRecord,
} from './harness';
import { workflowId, type WorkflowKey } from './scenario';

const bodyOf = (providerEvent: string, change: (json: Record<string, unknown>) => void) => {
	const json = sampleJson(providerEvent);
	change(json);
	return Buffer.from(JSON.stringify(json), 'utf8');
};

const qoalaClaim = (status: string) =>
	bodyOf('qoala-claim', (json) => {
		json.claim_number = 'CLM-LATE-0001';
		json.status = status;
	});
const cermatiApplication = (status: string, updatedAt: string) =>
	bodyOf('cermati-application', (json) => {
		json.trxId = 'TrxLate00000001';
		json.status = status;
		json.updatedAt = updatedAt;
	});
const curacelVoucher = (event: 'discharge_voucher.created' | 'discharge_voucher.paid') =>
	bodyOf(`curacel-${event}`, (json) => {
		(json.data as Record<string, unknown>).id = 7;
	});

const items = (records: CrmRecord[]) =>
	records.map((record) => record.body as Record<string, unknown>);

/** What the CRM holds for the workflow once `count` posts arrived (and nothing more came). */
async function crmHolds(key: WorkflowKey, count: number): Promise<Array<Record<string, unknown>>> {
	const records = await waitFor(
		() => crmRecords(key),
		(list) => list.length >= count,
	);
	await sleep(QUIET_PERIOD_MS);
	const settled = await crmRecords(key);
	expect(settled).toHaveLength(records.length);
	return items(settled);
}

const skipped = { status: 200, json: { received: true, ignored: 'out_of_date' } };

describe.each([
	['version 3 (Skip Out-of-Date Notifications on by default)', 'Skip'],
	['version 2 (off: delivered, marked)', 'Keep'],
] as const)('at %s', (_title, mode) => {
	describe('Qoala claim, Respond: When Last Node Finishes, the CRM down for one request', () => {
		const key: WorkflowKey = `lateQoala${mode}`;

		it('does not let the retry of INSURANCE_CLAIM_APPROVE overwrite INSURANCE_CLAIM_PAID', async () => {
			await setCrmBehaviour(key, { failFirst: 1 });
			const approve = await deliver(key, 'qoala-claim', {
				body: qoalaClaim('INSURANCE_CLAIM_APPROVE'),
			});
			expect(approve.status).toBe(500);
			await setCrmBehaviour(key, {});
			const paid = await deliver(key, 'qoala-claim', { body: qoalaClaim('INSURANCE_CLAIM_PAID') });
			expect(paid.status).toBe(200);
			await finishedExecutions(workflowId(key), 2);

			const retry = await deliver(key, 'qoala-claim', {
				body: qoalaClaim('INSURANCE_CLAIM_APPROVE'),
			});
			if (mode === 'Skip') {
				expect(retry).toMatchObject(skipped);
				const crm = await crmHolds(key, 1);
				expect(crm).toEqual([
					expect.objectContaining({ status: 'INSURANCE_CLAIM_PAID', isLatest: true }),
				]);
				expect(executions(workflowId(key))).toHaveLength(2);
			} else {
				expect(retry.status).toBe(200);
				const crm = await crmHolds(key, 2);
				expect(crm).toEqual([
					expect.objectContaining({
						status: 'INSURANCE_CLAIM_PAID',
						isLatest: true,
						latestStatus: null,
					}),
					expect.objectContaining({
						status: 'INSURANCE_CLAIM_APPROVE',
						isLatest: false,
						latestStatus: 'INSURANCE_CLAIM_PAID',
					}),
				]);
			}
		});
	});

	describe('Cermati application, ACTIVATED signed half an hour before a delivered ISSUED', () => {
		const key: WorkflowKey = `lateCermati${mode}`;

		it('recognises the earlier change, and the same instant in another offset as a repeat', async () => {
			const issued = await deliver(key, 'cermati-application', {
				body: cermatiApplication('ISSUED', '2026-11-20T12:00:00+07:00'),
			});
			expect(issued.status).toBe(200);
			await crmHolds(key, 1);

			const activated = await deliver(key, 'cermati-application', {
				body: cermatiApplication('ACTIVATED', '2026-11-20T04:30:00Z'),
			});
			const sameInstant = await deliver(key, 'cermati-application', {
				body: cermatiApplication('ISSUED', '2026-11-20T05:00:00Z'),
			});
			expect(sameInstant).toMatchObject({ status: 200, json: { ignored: 'repeated' } });
			if (mode === 'Skip') {
				expect(activated).toMatchObject(skipped);
				const crm = await crmHolds(key, 1);
				expect(crm).toEqual([expect.objectContaining({ status: 'ISSUED', isLatest: true })]);
			} else {
				expect(activated.status).toBe(200);
				expect(activated.json).not.toHaveProperty('ignored');
				const crm = await crmHolds(key, 2);
				expect(crm).toEqual([
					expect.objectContaining({ status: 'ISSUED', isLatest: true }),
					expect.objectContaining({
						status: 'ACTIVATED',
						isLatest: false,
						latestStatus: 'ISSUED',
					}),
				]);
			}
		});
	});

	describe('Curacel, a late discharge_voucher.created after the same voucher was paid', () => {
		const key: WorkflowKey = `lateCuracel${mode}`;

		it('knows a created voucher comes before a paid one', async () => {
			const paid = await deliver(key, 'curacel-discharge_voucher.paid', {
				body: curacelVoucher('discharge_voucher.paid'),
			});
			expect(paid.status).toBe(200);
			await crmHolds(key, 1);
			const created = await deliver(key, 'curacel-discharge_voucher.created', {
				body: curacelVoucher('discharge_voucher.created'),
			});
			if (mode === 'Skip') {
				expect(created).toMatchObject(skipped);
				const crm = await crmHolds(key, 1);
				expect(crm).toEqual([
					expect.objectContaining({ event: 'discharge_voucher.paid', isLatest: true }),
				]);
			} else {
				expect(created.status).toBe(200);
				const crm = await crmHolds(key, 2);
				expect(crm).toEqual([
					expect.objectContaining({ event: 'discharge_voucher.paid', isLatest: true }),
					expect.objectContaining({
						event: 'discharge_voucher.created',
						isLatest: false,
						latestStatus: 'discharge_voucher.paid',
					}),
				]);
			}
		});
	});
});

describe("Qoala's policy statuses from its status table", () => {
	const key: WorkflowKey = 'policyRejectedByInsurer';
	const policy = (status: string) =>
		bodyOf('qoala-policy', (json) => {
			json.policy_number = 'POL-REJECTED-1';
			json.status = status;
		});

	it('are typed and can be chosen in the Statuses filter', async () => {
		const issuing = await deliver(key, 'qoala-policy', { body: policy('ISSUING_POLICY') });
		expect(issuing).toMatchObject({ status: 200, json: { ignored: 'filtered' } });
		const rejected = await deliver(key, 'qoala-policy', {
			body: policy('POLICY_REJECTED_INSURANCE'),
		});
		expect(rejected.status).toBe(200);
		const crm = await crmHolds(key, 1);
		expect(crm).toEqual([
			expect.objectContaining({
				status: 'POLICY_REJECTED_INSURANCE',
				statusLabel: 'Rejected by insurer',
				outcome: 'rejected',
				isFinal: true,
				isLatest: true,
			}),
		]);
	});
});

describe('after n8n restarts', () => {
	const keys: WorkflowKey[] = ['lateCermatiSkip', 'lateCuracelSkip', 'lateQoalaKeep'];

	beforeAll(async () => {
		await settledInDatabase(keys.map((key) => workflowId(key)));
		await restartN8n();
	});

	it('still knows which status of each subject is the newest', async () => {
		const cermati = await deliver('lateCermatiSkip', 'cermati-application', {
			body: cermatiApplication('ACTIVATED', '2026-11-20T04:30:00Z'),
		});
		expect(cermati).toMatchObject(skipped);
		const curacel = await deliver('lateCuracelSkip', 'curacel-discharge_voucher.created', {
			body: curacelVoucher('discharge_voucher.created'),
		});
		expect(curacel).toMatchObject(skipped);
		const before = (await crmRecords('lateQoalaKeep')).length;
		const qoala = await deliver('lateQoalaKeep', 'qoala-claim', {
			body: qoalaClaim('QOALA_CLAIM_APPROVE'),
		});
		expect(qoala.status).toBe(200);
		const crm = await crmHolds('lateQoalaKeep', before + 1);
		expect(crm[crm.length - 1]).toMatchObject({
			status: 'QOALA_CLAIM_APPROVE',
			isLatest: false,
			latestStatus: 'INSURANCE_CLAIM_PAID',
		});
	});
});
