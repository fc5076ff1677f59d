import { createHash } from 'node:crypto';

import { acceptAtOnce, savedRecord } from '../helpers/record';
import fc from 'fast-check';

import {
	cermatiApplication as cermatiApplicationContract,
	cermatiApplicationStatuses,
} from '../../nodes/Cermati/ApplicationTrigger/application';
import { CermatiApplicationTrigger } from '../../nodes/Cermati/ApplicationTrigger/CermatiApplicationTrigger.node';
import { cermatiClaimStatuses } from '../../nodes/Cermati/ClaimTrigger/claim';
import { CuracelTrigger } from '../../nodes/Curacel/CuracelTrigger/CuracelTrigger.node';
import {
	qoalaClaim as qoalaClaimContract,
	qoalaClaimStatuses,
} from '../../nodes/Qoala/ClaimTrigger/claim';
import { QoalaClaimTrigger } from '../../nodes/Qoala/ClaimTrigger/QoalaClaimTrigger.node';
import {
	qoalaPolicy as qoalaPolicyContract,
	qoalaPolicyStatuses,
} from '../../nodes/Qoala/PolicyTrigger/policy';
import { QoalaPolicyTrigger } from '../../nodes/Qoala/PolicyTrigger/QoalaPolicyTrigger.node';
import { qoalaClaimStages, qoalaPolicyStages } from '../../nodes/Qoala/order';
import { DeliveryRecord, type NotificationIdentity } from '../../nodes/shared/deliveryRecord';
import type { DeliveryContract } from '../../nodes/shared/contract';
import type { StatusTable } from '../../nodes/shared/statuses';
import { SUBJECT_WAIT_MS } from '../../nodes/shared/decide';
import { variant } from '../helpers/samples';
import { deliver, freshN8n, type FakeN8n } from '../helpers/webhookContext';

/**
 * The order of a subject's notifications (issue 30): a late retry of an older status is
 * recognised (`isLatest: false`, `latestStatus`), skipped when Options → Skip Out-of-Date
 * Notifications is on (version 3's default), and never claimed for what the partner does not
 * order.
 */

const runs = { numRuns: 200 };
const open = { authentication: 'none' };
const qoalaClaim = new QoalaClaimTrigger();
const qoalaPolicy = new QoalaPolicyTrigger();
const cermatiApplication = new CermatiApplicationTrigger();
const curacel = new CuracelTrigger();

const claimBody = (status: string, claim = 'CLM-1') =>
	variant('qoala-claim', (payload) => {
		payload.status = status;
		payload.claim_number = claim;
	});
const applicationBody = (status: string, updatedAt: string) =>
	variant('cermati-application', (payload) => {
		payload.status = status;
		payload.updatedAt = updatedAt;
	});
const voucherBody = (event: string, voucher = 7, claim: number | null = 70) =>
	variant(`curacel-${event}`, (payload) => {
		const data = payload.data as Record<string, unknown>;
		data.id = voucher;
		data.claim = claim === null ? null : { id: claim, status: 'approved' };
	});

/** Delivers in order on one workflow; each answered 200 (Respond: Immediately). */
async function deliverAll(
	node: QoalaClaimTrigger | CermatiApplicationTrigger | CuracelTrigger | QoalaPolicyTrigger,
	bodies: Buffer[],
	options: { parameters?: Record<string, unknown>; typeVersion?: number; n8n?: FakeN8n } = {},
) {
	const n8n = options.n8n ?? freshN8n();
	const answers = [];
	for (const body of bodies) {
		answers.push(
			await deliver(node, {
				parameters: { ...open, ...options.parameters },
				typeVersion: options.typeVersion,
				body,
				n8n,
			}),
		);
	}
	return answers;
}

describe('a late retry (version 2: delivered, marked)', () => {
	it('Qoala: INSURANCE_CLAIM_APPROVE after INSURANCE_CLAIM_PAID is not the latest', async () => {
		const [paid, late] = await deliverAll(
			qoalaClaim,
			[claimBody('INSURANCE_CLAIM_PAID'), claimBody('INSURANCE_CLAIM_APPROVE')],
			{ typeVersion: 2 },
		);
		expect(paid.items[0]).toMatchObject({ isLatest: true, latestStatus: null });
		expect(late.items).toHaveLength(1);
		expect(late.items[0]).toMatchObject({
			status: 'INSURANCE_CLAIM_APPROVE',
			isLatest: false,
			latestStatus: 'INSURANCE_CLAIM_PAID',
		});
	});

	it('Cermati: ACTIVATED signed half an hour before a delivered ISSUED is not the latest', async () => {
		const [issued, late] = await deliverAll(
			cermatiApplication,
			[
				applicationBody('ISSUED', '2026-11-20T12:00:00+07:00'),
				applicationBody('ACTIVATED', '2026-11-20T04:30:00Z'),
			],
			{ typeVersion: 2 },
		);
		expect(issued.items[0]).toMatchObject({ isLatest: true });
		expect(late.items[0]).toMatchObject({ isLatest: false, latestStatus: 'ISSUED' });
	});

	it('Cermati: the same instant written in another offset is a repeat', async () => {
		const [, again] = await deliverAll(
			cermatiApplication,
			[
				applicationBody('ISSUED', '2026-11-20T12:00:00+07:00'),
				applicationBody('ISSUED', '2026-11-20T05:00:00Z'),
			],
			{ typeVersion: 2 },
		);
		expect(again.items).toHaveLength(0);
		expect(again.body).toMatchObject({ received: true, ignored: 'repeated' });
	});

	it('Curacel: discharge_voucher.created after the same voucher was paid is not the latest', async () => {
		const [paid, late] = await deliverAll(
			curacel,
			[voucherBody('discharge_voucher.paid'), voucherBody('discharge_voucher.created')],
			{ typeVersion: 2 },
		);
		expect(paid.items[0]).toMatchObject({ isLatest: true });
		expect(late.items[0]).toMatchObject({
			isLatest: false,
			latestStatus: 'discharge_voucher.paid',
		});
	});

	it('Curacel: a voucher of a claim already settled is not the latest; another voucher is news', async () => {
		const settled = variant('curacel-claim.settled', (payload) => {
			(payload.data as Record<string, unknown>).id = 70;
		});
		const [, late] = await deliverAll(
			curacel,
			[settled, voucherBody('discharge_voucher.paid', 8, 70)],
			{ typeVersion: 2 },
		);
		expect(late.items[0]).toMatchObject({ isLatest: false, latestStatus: 'claim.settled' });
		const [, otherVoucher] = await deliverAll(
			curacel,
			[
				voucherBody('discharge_voucher.paid', 8, 70),
				voucherBody('discharge_voucher.created', 9, 70),
			],
			{ typeVersion: 2 },
		);
		expect(otherVoucher.items[0]).toMatchObject({ isLatest: true });
	});

	it('Curacel: policy.created without the insurer after the one with it is not the latest', async () => {
		const withInsurer = variant('curacel-policy.created', (payload) => {
			(payload.data as Record<string, unknown>).insurer = { name: 'Insurer' };
		});
		const withoutInsurer = variant('curacel-policy.created', (payload) => {
			const data = payload.data as Record<string, unknown>;
			delete data.insurer;
			delete data.provider;
		});
		const [, late] = await deliverAll(curacel, [withInsurer, withoutInsurer], {
			typeVersion: 2,
			parameters: { options: { ignoreRepeatedDeliveries: true } },
		});
		// The record already takes it for a repeat of the better version: it starts nothing.
		expect(late.items).toHaveLength(0);
	});

	it('instalment.due reaches the workflow on every copy, latest every time', async () => {
		const due = variant('curacel-instalment.due', () => undefined);
		const answers = await deliverAll(curacel, [due, due, due]);
		for (const answer of answers) {
			expect(answer.items).toHaveLength(1);
			expect(answer.items[0]).toMatchObject({ isLatest: true, latestStatus: null });
		}
	});
});

describe('Qoala policy statuses of its status table', () => {
	it('are typed and filterable: POLICY_REJECTED_INSURANCE after ISSUING_POLICY', async () => {
		const body = (status: string) =>
			variant('qoala-policy', (payload) => {
				payload.status = status;
			});
		const [issuing, rejected] = await deliverAll(
			qoalaPolicy,
			[body('ISSUING_POLICY'), body('POLICY_REJECTED_INSURANCE')],
			{ parameters: { statuses: ['POLICY_REJECTED_INSURANCE'] } },
		);
		expect(issuing.body).toMatchObject({ ignored: 'filtered' });
		expect(rejected.items[0]).toMatchObject({
			status: 'POLICY_REJECTED_INSURANCE',
			statusLabel: 'Rejected by insurer',
			outcome: 'rejected',
			isFinal: true,
			isLatest: true,
		});
	});
});

describe('Skip Out-of-Date Notifications', () => {
	const late = [claimBody('INSURANCE_CLAIM_PAID'), claimBody('INSURANCE_CLAIM_APPROVE')];

	it('is on in version 3 when left out: the late one is answered 200 and starts nothing', async () => {
		const [, skipped] = await deliverAll(qoalaClaim, late, { typeVersion: 3 });
		expect(skipped.status).toBe(200);
		expect(skipped.executionStarted).toBe(false);
		expect(skipped.body).toEqual({
			received: true,
			ignored: 'out_of_date',
			deliveryKey: 'qoala|claim|CLM-1|INSURANCE_CLAIM_APPROVE',
		});
	});

	it.each([1, 2])('is off in version %i when left out', async (typeVersion) => {
		const [, delivered] = await deliverAll(qoalaClaim, late, { typeVersion });
		expect(delivered.items[0]).toMatchObject({ isLatest: false });
	});

	it('follows the option when it is set', async () => {
		const [, off] = await deliverAll(qoalaClaim, late, {
			typeVersion: 3,
			parameters: { options: { skipOutOfDate: false } },
		});
		expect(off.items[0]).toMatchObject({ isLatest: false });
		const [, on] = await deliverAll(qoalaClaim, late, {
			typeVersion: 2,
			parameters: { options: { skipOutOfDate: true } },
		});
		expect(on.body).toMatchObject({ ignored: 'out_of_date' });
	});

	it('remembers only what was answered 2XX: a newer status whose run failed makes nothing late', async () => {
		const n8n = freshN8n();
		const failed = await deliver(qoalaClaim, {
			parameters: { ...open, responseMode: 'lastNode' },
			body: claimBody('INSURANCE_CLAIM_PAID'),
			workflowAnswers: 500,
			n8n,
		});
		expect(failed.items).toHaveLength(1);
		const approve = await deliver(qoalaClaim, {
			parameters: { ...open, responseMode: 'lastNode' },
			body: claimBody('INSURANCE_CLAIM_APPROVE'),
			workflowAnswers: 200,
			n8n,
		});
		expect(approve.items[0]).toMatchObject({ isLatest: true });
	});

	it('keeps the order across a restart (static data)', async () => {
		const n8n = freshN8n();
		await deliver(qoalaClaim, { parameters: open, body: late[0], n8n });
		const restarted = { ...freshN8n(), staticData: n8n.staticData };
		const after = await deliver(qoalaClaim, { parameters: open, body: late[1], n8n: restarted });
		expect(after.body).toMatchObject({ ignored: 'out_of_date' });
	});

	it('does not skip on the test URL, which keeps no record', async () => {
		const n8n = freshN8n();
		await deliver(qoalaClaim, { parameters: open, body: late[0], n8n });
		const manual = await deliver(qoalaClaim, {
			parameters: open,
			body: late[1],
			n8n,
			mode: 'manual',
		});
		expect(manual.items[0]).toMatchObject({ isLatest: true });
	});
});

describe("one subject's notifications, one at a time (Skip Out-of-Date on)", () => {
	const lastNode = { ...open, responseMode: 'lastNode' };
	/** A claim notification at Respond: When Last Node Finishes, the run ending as `ends`. */
	const claimRun = (
		n8n: FakeN8n,
		status: string,
		ends: 200 | 'later',
		typeVersion = 3,
		claim = 'CLM-1',
	) =>
		deliver(qoalaClaim, {
			parameters: lastNode,
			body: claimBody(status, claim),
			workflowAnswers: ends,
			n8n,
			typeVersion,
		});
	/** Starts a delivery whose run is still going: the test answers it with `respond`. */
	const running = (n8n: FakeN8n, status: string, typeVersion = 3) =>
		claimRun(n8n, status, 'later', typeVersion);
	/** A delivery of the same claim, and whether it has been answered yet. */
	const meanwhile = (n8n: FakeN8n, status: string, typeVersion = 3) => {
		const state = { answered: false };
		const answer = claimRun(n8n, status, 200, typeVersion).then((result) => {
			state.answered = true;
			return result;
		});
		return { answer, state };
	};
	const aWhile = () => new Promise((resolve) => setTimeout(resolve, 50));

	it('a newer status waits for the run in progress, then is delivered as the latest', async () => {
		const n8n = freshN8n();
		const approve = await running(n8n, 'INSURANCE_CLAIM_APPROVE');
		const paid = meanwhile(n8n, 'INSURANCE_CLAIM_PAID');
		await aWhile();
		expect(paid.state.answered).toBe(false);
		approve.respond(200);
		const answer = await paid.answer;
		expect(answer.status).toBe(200);
		expect(answer.items[0]).toMatchObject({ status: 'INSURANCE_CLAIM_PAID', isLatest: true });
	});

	it('an older status that arrives while the newer one runs is skipped once that run is answered', async () => {
		const n8n = freshN8n();
		const paid = await running(n8n, 'INSURANCE_CLAIM_PAID');
		const approve = meanwhile(n8n, 'INSURANCE_CLAIM_APPROVE');
		await aWhile();
		expect(approve.state.answered).toBe(false);
		paid.respond(200);
		const answer = await approve.answer;
		expect(answer.body).toMatchObject({ ignored: 'out_of_date' });
		expect(answer.executionStarted).toBe(false);
	});

	it('when the run in progress fails, the waiting one is decided without it: news', async () => {
		const n8n = freshN8n();
		const paid = await running(n8n, 'INSURANCE_CLAIM_PAID');
		const approve = meanwhile(n8n, 'INSURANCE_CLAIM_APPROVE');
		await aWhile();
		paid.respond(500);
		const answer = await approve.answer;
		expect(answer.items[0]).toMatchObject({ status: 'INSURANCE_CLAIM_APPROVE', isLatest: true });
	});

	it('another claim does not wait', async () => {
		const n8n = freshN8n();
		await running(n8n, 'INSURANCE_CLAIM_APPROVE');
		const other = await claimRun(n8n, 'INSURANCE_CLAIM_PAID', 200, 3, 'CLM-2');
		expect(other.items).toHaveLength(1);
	});

	it(`waits at most ${SUBJECT_WAIT_MS / 1000} s, then answers 409: the partner sends it again`, async () => {
		jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
		try {
			const n8n = freshN8n();
			await running(n8n, 'INSURANCE_CLAIM_APPROVE');
			const paid = meanwhile(n8n, 'INSURANCE_CLAIM_PAID');
			await jest.advanceTimersByTimeAsync(SUBJECT_WAIT_MS - 100);
			expect(paid.state.answered).toBe(false);
			await jest.advanceTimersByTimeAsync(200);
			const answer = await paid.answer;
			expect(answer.status).toBe(409);
			expect(answer.body).toMatchObject({ inProgress: true });
			expect(answer.executionStarted).toBe(false);
		} finally {
			jest.useRealTimers();
		}
	});

	it('with the option off (version 2), runs of one claim may overlap, as before', async () => {
		const n8n = freshN8n();
		await running(n8n, 'INSURANCE_CLAIM_APPROVE', 2);
		const paid = await meanwhile(n8n, 'INSURANCE_CLAIM_PAID', 2).answer;
		expect(paid.items[0]).toMatchObject({ isLatest: true });
	});
});

describe('the stages of Qoala', () => {
	it.each([
		['claim', qoalaClaimStatuses, qoalaClaimStages],
		['policy', qoalaPolicyStatuses, qoalaPolicyStages],
	] as const)(
		'put every final %s status at the last stage, and nothing else there',
		(_, table, stages) => {
			const last = Math.max(...Object.values(stages));
			for (const [status, entry] of Object.entries(table)) {
				expect([status, stages[status as keyof typeof stages] === last]).toEqual([
					status,
					entry.isFinal,
				]);
			}
		},
	);

	it.each([
		['CLAIM_INITIATE', 'QOALA_CLAIM_APPROVE', true],
		['QOALA_CLAIM_APPROVE', 'INSURANCE_CLAIM_APPROVE', true],
		['INSURANCE_CLAIM_APPROVE', 'INSURANCE_CLAIM_WAITING_PAID', true],
		['INSURANCE_CLAIM_WAITING_PAID', 'INSURANCE_CLAIM_PAID', true],
		['QOALA_CLAIM_APPROVE', 'QOALA_CLAIM_REJECT', true],
		['INSURANCE_CLAIM_REJECT', 'INSURANCE_CLAIM_PAID', false],
		['QOALA_CLAIM_REJECT', 'INSURANCE_CLAIM_REJECT', false],
	])('claim: %s is out of date after %s: %s', (older, newer, late) => {
		expect(lateAfter(qoalaClaimContract, claim(newer), claim(older))).toBe(late);
	});

	it.each([
		['POLICY_WAITING_PAYMENT', 'POLICY_ISSUING', true],
		['POLICY_ISSUING', 'POLICY_ACTIVE', true],
		['ISSUING_POLICY', 'POLICY_ACTIVE', true],
		['POLICY_ACTIVE', 'POLICY_CANCELLED', true],
		['POLICY_ISSUING', 'POLICY_REJECTED_INSURANCE', true],
		['POLICY_ISSUING', 'ISSUING_POLICY', false],
		['POLICY_CANCELLED', 'POLICY_REJECTED_INSURANCE', false],
	])('policy: %s is out of date after %s: %s', (older, newer, late) => {
		expect(lateAfter(qoalaPolicyContract, policy(newer), policy(older))).toBe(late);
	});
});

const claim = (status: string, claimNumber = 'CLM-1') => ({ claim_number: claimNumber, status });
/** A Qoala claim's subject as static data keys it (96 bits of SHA-256, base64url). */
const claimDigest = (claimNumber: string) =>
	createHash('sha256').update(`claim\u0000${claimNumber}`).digest('base64url').slice(0, 16);
const policy = (status: string) => ({ policy_number: 'POL-1', status });
const application = (status: string, updatedAt: string) => ({
	refNo: 'R',
	trxId: 'TRX-1',
	status,
	link: 'https://example.invalid/x/TRX-1',
	updatedAt,
});

/** Whether `older`, arriving after `newer` was delivered (answered 2XX), is out of date. */
function lateAfter<P>(contract: DeliveryContract<P, unknown>, newer: P, older: P): boolean {
	const record = new DeliveryRecord();
	const first = record.begin(contract.identity(newer));
	if (typeof first === 'string') throw new Error('the first delivery is new');
	first.commit();
	const second = record.begin(contract.identity(older));
	return typeof second === 'object' && second.newerStatus !== null;
}

/** What a record answers for each identity in turn, each accepted one answered 2XX. */
function verdicts(identities: NotificationIdentity[]): Array<string | null> {
	const record = new DeliveryRecord();
	return identities.map((identity) => {
		const acceptance = record.begin(identity);
		if (typeof acceptance === 'string') return acceptance;
		acceptance.commit();
		return acceptance.newerStatus === null ? 'latest' : 'late';
	});
}

/** A time as Cermati may write it: the instant in a whole-minute offset (±hh:mm) or Z. */
const offsetForms = (instant: number, offsetMinutes: number) => {
	if (offsetMinutes === 0) return new Date(instant).toISOString().replace('.000Z', 'Z');
	const local = new Date(instant + offsetMinutes * 60_000).toISOString().slice(0, 19);
	const sign = offsetMinutes < 0 ? '-' : '+';
	const abs = Math.abs(offsetMinutes);
	const hh = String(Math.floor(abs / 60)).padStart(2, '0');
	const mm = String(abs % 60).padStart(2, '0');
	return `${local}${sign}${hh}:${mm}`;
};
const instant = fc
	.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
	.map((ms) => ms - (ms % 1000));
const offset = fc
	.integer({ min: -12 * 60, max: 14 * 60 })
	.map((minutes) => minutes - (minutes % 15));
const documentedStatus = (table: StatusTable) => fc.constantFrom(...Object.keys(table));
const undocumentedStatus = fc
	.stringMatching(/^[A-Z][A-Z_]{0,20}$/)
	.filter(
		(status) =>
			!Object.prototype.hasOwnProperty.call(cermatiApplicationStatuses, status) &&
			!Object.prototype.hasOwnProperty.call(qoalaClaimStatuses, status),
	);

describe('properties of the order', () => {
	it('an undocumented status is never out of date (Qoala, Cermati)', () => {
		fc.assert(
			fc.property(
				fc.array(documentedStatus(qoalaClaimStatuses), { maxLength: 6 }),
				undocumentedStatus,
				(before, unknownStatus) => {
					const result = verdicts(
						[...before, unknownStatus].map((s) => qoalaClaimContract.identity(claim(s))),
					);
					return result[result.length - 1] !== 'late';
				},
			),
			runs,
		);
		fc.assert(
			fc.property(
				fc.array(fc.tuple(documentedStatus(cermatiApplicationStatuses), instant), { maxLength: 6 }),
				undocumentedStatus,
				instant,
				(before, unknownStatus, at) => {
					const identities = [...before, [unknownStatus, at] as const].map(([status, time]) =>
						cermatiApplicationContract.identity(application(status, new Date(time).toISOString())),
					);
					const result = verdicts(identities);
					return result[result.length - 1] !== 'late';
				},
			),
			runs,
		);
	});

	it('the same instant in any offset is one notification (Cermati)', () => {
		fc.assert(
			fc.property(
				documentedStatus(cermatiApplicationStatuses),
				instant,
				offset,
				offset,
				(status, at, first, second) => {
					const [a, b] = verdicts([
						cermatiApplicationContract.identity(application(status, offsetForms(at, first))),
						cermatiApplicationContract.identity(application(status, offsetForms(at, second))),
					]);
					return a === 'latest' && b === 'repeated';
				},
			),
			runs,
		);
	});

	it('a status that returns later in time is news every time (Cermati)', () => {
		fc.assert(
			fc.property(
				fc.array(documentedStatus(cermatiClaimStatuses), { minLength: 1, maxLength: 8 }),
				instant,
				fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 8, maxLength: 8 }),
				offset,
				(statuses, start, gaps, zone) => {
					let at = start;
					const identities = statuses.map((status, index) => {
						at += gaps[index] * 1000;
						return cermatiApplicationContract.identity(application(status, offsetForms(at, zone)));
					});
					return verdicts(identities).every((verdict) => verdict === 'latest');
				},
			),
			runs,
		);
		expect(
			verdicts(
				[
					['DATA_INCOMPLETE', '2026-11-20T10:00:00+07:00'],
					['DATA_COMPLETE', '2026-11-21T10:00:00+07:00'],
					['DATA_INCOMPLETE', '2026-11-22T10:00:00+07:00'],
				].map(([status, time]) => cermatiApplicationContract.identity(application(status, time))),
			),
		).toEqual(['latest', 'latest', 'latest']);
	});

	it('an older signed time after a newer one is out of date, naming the newer status (Cermati)', () => {
		fc.assert(
			fc.property(
				documentedStatus(cermatiApplicationStatuses),
				documentedStatus(cermatiApplicationStatuses),
				instant,
				fc.integer({ min: 1, max: 10_000_000 }),
				offset,
				(newer, older, at, earlierBy, zone) => {
					const record = new DeliveryRecord();
					const first = record.begin(
						cermatiApplicationContract.identity(application(newer, offsetForms(at, zone))),
					);
					if (typeof first === 'string') return false;
					first.commit();
					const late = record.begin(
						cermatiApplicationContract.identity(
							application(older, new Date(at - earlierBy * 1000).toISOString()),
						),
					);
					return typeof late === 'object' && late.newerStatus === newer;
				},
			),
			runs,
		);
	});

	it('Qoala: any two statuses of one stage never make each other out of date', () => {
		const byStage = new Map<number, string[]>();
		for (const [status, stage] of Object.entries(qoalaClaimStages)) {
			byStage.set(stage, [...(byStage.get(stage) ?? []), status]);
		}
		for (const statuses of byStage.values()) {
			for (const a of statuses) {
				for (const b of statuses) {
					if (a !== b) expect(lateAfter(qoalaClaimContract, claim(a), claim(b))).toBe(false);
				}
			}
		}
	});
});

describe('the order in the record', () => {
	it('survives a save and a restart, and a merge keeps the newer of two processes', () => {
		const one = new DeliveryRecord();
		const paid = one.begin(qoalaClaimContract.identity(claim('INSURANCE_CLAIM_PAID')));
		if (typeof paid === 'string') throw new Error('new');
		paid.commit();
		const saved = JSON.parse(JSON.stringify(savedRecord(one))) as unknown;
		const other = new DeliveryRecord();
		const initiated = other.begin(qoalaClaimContract.identity(claim('CLAIM_INITIATE')));
		if (typeof initiated === 'string') throw new Error('new');
		initiated.commit();
		other.merge(saved);
		const late = other.begin(qoalaClaimContract.identity(claim('INSURANCE_CLAIM_APPROVE')));
		expect(typeof late === 'object' && late.newerStatus).toBe('INSURANCE_CLAIM_PAID');
	});

	it('reaches another webhook process through static data (queue mode)', async () => {
		const database = freshN8n();
		const processes: FakeN8n[] = [freshN8n(), freshN8n()];
		const answers = [];
		for (const [index, status] of [
			[0, 'INSURANCE_CLAIM_PAID'],
			[1, 'INSURANCE_CLAIM_APPROVE'],
		] as const) {
			const webhookProcess = processes[index];
			webhookProcess.staticData = database.staticData;
			answers.push(
				await deliver(qoalaClaim, {
					parameters: open,
					body: claimBody(status, 'CLM-QUEUE'),
					n8n: webhookProcess,
				}),
			);
			database.staticData = webhookProcess.staticData;
		}
		expect(answers[1].body).toMatchObject({ ignored: 'out_of_date' });
	});

	it('is bounded like the record: the oldest subjects are forgotten first', () => {
		const record = new DeliveryRecord(3);
		for (const number of ['A', 'B', 'C', 'D']) {
			const acceptance = record.begin(
				qoalaClaimContract.identity({ claim_number: number, status: 'INSURANCE_CLAIM_PAID' }),
			);
			if (typeof acceptance === 'string') throw new Error('new');
			acceptance.commit();
		}
		expect(savedRecord(record).order?.places.split(' ')).toHaveLength(3);
		const forgotten = record.begin(
			qoalaClaimContract.identity({ claim_number: 'A', status: 'CLAIM_INITIATE' }),
		);
		expect(typeof forgotten === 'object' && forgotten.newerStatus).toBeNull();
	});

	it('skips saved order entries it cannot read instead of trusting them', () => {
		const record = new DeliveryRecord();
		record.merge({ entries: '', revision: 'other-1', order: 'garbage\n\nx' });
		record.merge({
			entries: '',
			revision: 'other-2',
			order: { statuses: ['INSURANCE_CLAIM_PAID'], places: `${claimDigest('CLM-1')}k2z5` },
		});
		const acceptance = record.begin(qoalaClaimContract.identity(claim('CLAIM_INITIATE')));
		expect(typeof acceptance === 'object' && acceptance.newerStatus).toBeNull();
	});

	it('reads the order as saved before 7 December (each status spelled out)', () => {
		const record = new DeliveryRecord();
		const base36 = (value: number) => value.toString(36).padStart(9, '0');
		const line = `${claimDigest('CLM-1')}${base36(5)}${base36(Date.now())}INSURANCE_CLAIM_PAID`;
		record.merge({ entries: '', revision: 'other-1', order: line });
		const late = record.begin(qoalaClaimContract.identity(claim('INSURANCE_CLAIM_APPROVE')));
		expect(typeof late === 'object' && late.newerStatus).toBe('INSURANCE_CLAIM_PAID');
	});

	it('adds a few bytes per subject to static data: each status is written once', () => {
		const claims = 1000;
		const size = (withOrder: boolean) => {
			const record = new DeliveryRecord();
			for (let number = 0; number < claims; number += 1) {
				const identity = qoalaClaimContract.identity(
					claim('INSURANCE_CLAIM_PAID', `CLM-${number}`),
				);
				acceptAtOnce(record, withOrder ? identity : { ...identity, order: undefined });
			}
			return JSON.stringify(savedRecord(record)).length;
		};
		// The subject digest (16), the day (3), the status's number (2), the stage (1), a space;
		// the status names once (57 bytes for the whole record, not per claim).
		expect((size(true) - size(false)) / claims).toBeLessThan(24);
	});
});
