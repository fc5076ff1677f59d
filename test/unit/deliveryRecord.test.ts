/**
 * The record of accepted deliveries as n8n's queue mode uses it: several webhook processes,
 * each with its own record, meeting only in the workflow's static data (the last save wins).
 */
import { createHash } from 'node:crypto';

import { DeliveryRecord, type NotificationIdentity } from '../../index';
import { QoalaClaimTrigger } from '../../nodes/Qoala/ClaimTrigger/QoalaClaimTrigger.node';
import {
	savedEntries,
	savedEntryCount,
	type PersistedRecord,
} from '../../nodes/shared/persistedEntries';
import {
	deliveryRecordFor,
	KEPT_RECORDS,
	REMEMBERED_DAYS,
} from '../../nodes/shared/deliveryRecord';
import { acceptAtOnce, savedRecord } from '../helpers/record';
import { variant } from '../helpers/samples';
import { deliver, freshN8n, type FakeN8n } from '../helpers/webhookContext';

const claim = (state: string): NotificationIdentity => ({ subject: ['claim', 'CLM-1'], state });

/** A clock a test moves by hand: `at(ms)` sets it. */
function clock(start = Date.UTC(2026, 10, 25)) {
	let now = start;
	return { now: () => now, at: (ms: number) => (now = start + ms) };
}

/**
 * One webhook process in queue mode: it merges what it finds in static data before it checks,
 * and saves its whole record after. `deliver` answers 'accepted' or 'repeated'.
 */
class WebhookProcess {
	readonly record: DeliveryRecord;

	constructor(
		private readonly database: { staticData?: unknown },
		capacity?: number,
		now?: () => number,
	) {
		this.record = new DeliveryRecord(capacity, now);
	}

	deliver(identity: NotificationIdentity): 'accepted' | 'repeated' {
		this.record.merge(this.database.staticData);
		const repeated = acceptAtOnce(this.record, identity);
		this.save();
		return repeated ? 'repeated' : 'accepted';
	}

	/** A save of what this process knows, without a delivery (a filtered one, or a late save). */
	save(): void {
		this.database.staticData = JSON.parse(JSON.stringify(this.record.persistedView())) as unknown;
	}
}

/** An entry as versions before acceptance times saved it: subject hash + state hash. */
function untimedEntry(identity: NotificationIdentity): string {
	const hash = (text: string, chars: number) =>
		createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, chars);
	return hash(identity.subject.join('\u0000'), 16) + hash(identity.state, 8);
}

describe('the record across webhook processes', () => {
	it('accepts a claim going A → B → A when B was accepted by the other process', () => {
		const database = {};
		const [one, two] = [new WebhookProcess(database), new WebhookProcess(database)];
		expect([
			one.deliver(claim('INSURANCE_CLAIM_APPROVE')),
			two.deliver(claim('INSURANCE_CLAIM_WAITING_PAID')),
			one.deliver(claim('INSURANCE_CLAIM_APPROVE')),
		]).toEqual(['accepted', 'accepted', 'accepted']);
	});

	it('takes a retry of B for a repeat on the process that did not accept B', () => {
		const database = {};
		const [one, two] = [new WebhookProcess(database), new WebhookProcess(database)];
		one.deliver(claim('INSURANCE_CLAIM_APPROVE'));
		two.deliver(claim('INSURANCE_CLAIM_WAITING_PAID'));
		expect(one.deliver(claim('INSURANCE_CLAIM_WAITING_PAID'))).toBe('repeated');
		expect(two.deliver(claim('INSURANCE_CLAIM_WAITING_PAID'))).toBe('repeated');
	});

	it('is not turned back by a stale save that lands after the newer one', () => {
		const database: { staticData?: unknown } = {};
		const time = clock();
		const [one, two] = [
			new WebhookProcess(database, undefined, time.now),
			new WebhookProcess(database, undefined, time.now),
		];
		one.deliver(claim('INSURANCE_CLAIM_APPROVE'));
		time.at(1000);
		two.deliver(claim('INSURANCE_CLAIM_WAITING_PAID'));
		// Process one saves what it knew before it saw B: the database says A again.
		one.save();
		expect(two.deliver(claim('INSURANCE_CLAIM_WAITING_PAID'))).toBe('repeated');
		expect(one.deliver(claim('INSURANCE_CLAIM_WAITING_PAID'))).toBe('repeated');
		expect(one.deliver(claim('INSURANCE_CLAIM_APPROVE'))).toBe('accepted');
	});

	it('orders a change after the state it replaced even when its machine clock is an hour behind', () => {
		const database = {};
		const ahead = clock(Date.UTC(2026, 10, 25, 13));
		const behind = clock(Date.UTC(2026, 10, 25, 12));
		const one = new WebhookProcess(database, undefined, ahead.now);
		const two = new WebhookProcess(database, undefined, behind.now);
		expect([
			one.deliver(claim('INSURANCE_CLAIM_APPROVE')),
			two.deliver(claim('INSURANCE_CLAIM_WAITING_PAID')),
			one.deliver(claim('INSURANCE_CLAIM_APPROVE')),
			two.deliver(claim('INSURANCE_CLAIM_APPROVE')),
		]).toEqual(['accepted', 'accepted', 'accepted', 'repeated']);
	});

	it('lets two processes that accepted different states in the same millisecond agree', () => {
		const sameMoment = clock();
		const one = new DeliveryRecord(undefined, sameMoment.now);
		const two = new DeliveryRecord(undefined, sameMoment.now);
		acceptAtOnce(one, claim('INSURANCE_CLAIM_APPROVE'));
		acceptAtOnce(two, claim('INSURANCE_CLAIM_REJECT'));
		const [fromOne, fromTwo] = [savedRecord(one), savedRecord(two)];
		one.merge(fromTwo);
		two.merge(fromOne);
		expect(acceptAtOnce(one, claim('INSURANCE_CLAIM_APPROVE'))).toBe(
			acceptAtOnce(two, claim('INSURANCE_CLAIM_APPROVE')),
		);
	});

	it('does the same through the trigger: A → B → A on two processes starts three executions', async () => {
		const database = freshN8n();
		const processes: FakeN8n[] = [freshN8n(), freshN8n()];
		const started = [];
		for (const [index, status] of [
			[0, 'INSURANCE_CLAIM_APPROVE'],
			[1, 'INSURANCE_CLAIM_WAITING_PAID'],
			[0, 'INSURANCE_CLAIM_APPROVE'],
			[1, 'INSURANCE_CLAIM_APPROVE'],
		] as const) {
			const webhookProcess = processes[index];
			webhookProcess.staticData = database.staticData;
			const answer = await deliver(new QoalaClaimTrigger(), {
				parameters: { authentication: 'none' },
				body: variant('qoala-claim', (body) => (body.status = status)),
				n8n: webhookProcess,
				// Version 2 delivers the step back in Qoala's stages (isLatest false) rather than skip it.
				typeVersion: 2,
			});
			database.staticData = webhookProcess.staticData;
			started.push(answer.items.length);
		}
		expect(started).toEqual([1, 1, 1, 0]);
	});
});

describe('the saved record', () => {
	it('still seeds the record from static data saved without acceptance times', () => {
		const record = new DeliveryRecord();
		record.merge({
			entries: [untimedEntry(claim('INSURANCE_CLAIM_APPROVE')), 'cut short', 42],
			revision: 'saved-by-0.1.0',
		});
		expect(record.size).toBe(1);
		expect(acceptAtOnce(record, claim('INSURANCE_CLAIM_APPROVE'))).toBe(true);
		expect(acceptAtOnce(record, claim('INSURANCE_CLAIM_PAID'))).toBe(false);
	});

	it('takes any state accepted since over one saved without a time, and never the reverse', () => {
		const old = { entries: [untimedEntry(claim('INSURANCE_CLAIM_APPROVE'))], revision: 'old' };
		const seeded = new DeliveryRecord();
		seeded.merge(old);
		const elsewhere = new DeliveryRecord();
		acceptAtOnce(elsewhere, claim('INSURANCE_CLAIM_PAID'));
		seeded.merge(savedRecord(elsewhere));
		expect(acceptAtOnce(seeded, claim('INSURANCE_CLAIM_PAID'))).toBe(true);

		elsewhere.merge(old);
		expect(acceptAtOnce(elsewhere, claim('INSURANCE_CLAIM_PAID'))).toBe(true);
	});

	it('saves fixed-width entries that carry the acceptance time', () => {
		const time = clock();
		const record = new DeliveryRecord(undefined, time.now);
		acceptAtOnce(record, claim('INSURANCE_CLAIM_APPROVE'));
		time.at(1);
		acceptAtOnce(record, { subject: ['a much longer subject', 'x'.repeat(500)], state: 'S' });
		const entries = savedEntries(savedRecord(record)) as string[];
		expect(entries.map((entry) => entry.length)).toEqual([33, 33]);
		expect(entries.map((entry) => parseInt(entry.slice(24), 36))).toEqual([
			time.now() - 1,
			time.now(),
		]);
	});
});

describe('the saved form', () => {
	const day = 24 * 60 * 60 * 1000;
	const threeClaims = () => {
		const record = new DeliveryRecord();
		for (const number of ['CLM-1', 'CLM-2', 'CLM-3']) {
			acceptAtOnce(record, { subject: ['claim', number], state: 'INSURANCE_CLAIM_APPROVE' });
		}
		return record;
	};
	const approved = (number: string): NotificationIdentity => ({
		subject: ['claim', number],
		state: 'INSURANCE_CLAIM_APPROVE',
	});

	it('is one string of the entries, however many there are: one value for n8n to read', () => {
		const saved = JSON.parse(JSON.stringify(threeClaims().persistedView())) as PersistedRecord;
		expect(typeof saved.entries).toBe('string');
		expect(saved.entries).toHaveLength(3 * 33);
		const seeded = new DeliveryRecord();
		seeded.merge(saved);
		expect(
			['CLM-1', 'CLM-2', 'CLM-3', 'CLM-4'].map((n) => acceptAtOnce(seeded, approved(n))),
		).toEqual([true, true, true, false]);
	});

	it('still seeds the record from the array of entries 0.1 versions saved', () => {
		const asArray = { entries: savedEntries(savedRecord(threeClaims())), revision: 'saved-by-0.1' };
		const seeded = new DeliveryRecord();
		seeded.merge(JSON.parse(JSON.stringify(asArray)));
		expect(seeded.size).toBe(3);
		expect(acceptAtOnce(seeded, approved('CLM-2'))).toBe(true);
	});

	it('trusts nothing of a packed string cut short or edited: every entry after it would be shifted', () => {
		const { entries } = savedRecord(threeClaims());
		for (const damaged of [entries.slice(0, -1), entries.slice(0, 40) + entries.slice(41)]) {
			const seeded = new DeliveryRecord();
			seeded.merge({ entries: damaged, revision: 'damaged' });
			expect(seeded.size).toBe(0);
			expect(acceptAtOnce(seeded, approved('CLM-3'))).toBe(false);
		}
	});

	it(`forgets a notification ${REMEMBERED_DAYS} days after it was accepted: past every retry`, () => {
		const time = clock();
		const record = new DeliveryRecord(undefined, time.now);
		acceptAtOnce(record, approved('CLM-1'));
		time.at(REMEMBERED_DAYS * day - 1);
		acceptAtOnce(record, approved('CLM-2'));
		expect(savedEntryCount(savedRecord(record))).toBe(2);
		expect(acceptAtOnce(record, approved('CLM-1'))).toBe(true);
		time.at(REMEMBERED_DAYS * day + 1);
		acceptAtOnce(record, approved('CLM-3'));
		expect(savedEntryCount(savedRecord(record))).toBe(2);
		expect(acceptAtOnce(record, approved('CLM-2'))).toBe(true);
		expect(acceptAtOnce(record, approved('CLM-1'))).toBe(false);
	});

	it('does not take back from static data what is past every retry', () => {
		const time = clock();
		const saved = new DeliveryRecord(undefined, time.now);
		acceptAtOnce(saved, approved('CLM-1'));
		time.at(2 * day);
		acceptAtOnce(saved, approved('CLM-2'));
		time.at(REMEMBERED_DAYS * day + 1);
		const restarted = new DeliveryRecord(undefined, time.now);
		restarted.merge(savedRecord(saved));
		expect(restarted.size).toBe(1);
		expect(acceptAtOnce(restarted, approved('CLM-2'))).toBe(true);
		expect(acceptAtOnce(restarted, approved('CLM-1'))).toBe(false);
	});

	it('keeps entries saved without a time for the count bound to forget (their age is unknown)', () => {
		const time = clock();
		const record = new DeliveryRecord(3, time.now);
		record.merge({ entries: [untimedEntry(approved('CLM-1'))], revision: 'untimed' });
		time.at(REMEMBERED_DAYS * day + 1);
		acceptAtOnce(record, approved('CLM-2'));
		expect(acceptAtOnce(record, approved('CLM-1'))).toBe(true);
		acceptAtOnce(record, approved('CLM-3'));
		acceptAtOnce(record, approved('CLM-4'));
		expect(acceptAtOnce(record, approved('CLM-1'))).toBe(false);
	});
});

describe('whether the database already holds the record', () => {
	const saved = (record: DeliveryRecord) =>
		JSON.parse(JSON.stringify(savedRecord(record))) as unknown;

	it('holds it when it holds the last snapshot and nothing was accepted since', () => {
		const record = new DeliveryRecord();
		expect(record.isSavedAs(undefined)).toBe(false);
		acceptAtOnce(record, claim('INSURANCE_CLAIM_APPROVE'));
		const database = saved(record);
		expect(record.isSavedAs(database)).toBe(true);
		expect(acceptAtOnce(record, claim('INSURANCE_CLAIM_APPROVE'))).toBe(true);
		expect(record.isSavedAs(database)).toBe(true);
	});

	it('lacks it once a delivery was accepted after the snapshot, until the next one', () => {
		const record = new DeliveryRecord();
		const database = saved(record);
		acceptAtOnce(record, claim('INSURANCE_CLAIM_APPROVE'));
		expect(record.isSavedAs(database)).toBe(false);
		expect(record.isSavedAs(saved(record))).toBe(true);
	});

	it("lacks it when the database holds a snapshot from before the last acceptance or another process's", () => {
		const record = new DeliveryRecord();
		const older = saved(record);
		acceptAtOnce(record, claim('INSURANCE_CLAIM_APPROVE'));
		saved(record);
		expect(record.isSavedAs(older)).toBe(false);
		const other = new DeliveryRecord();
		other.merge(older);
		expect(other.isSavedAs(older)).toBe(false);
	});

	it('lacks it once a merge brought in what the database lost to a later save of an older snapshot', () => {
		const record = new DeliveryRecord();
		const own = saved(record);
		const other = new DeliveryRecord();
		acceptAtOnce(other, claim('INSURANCE_CLAIM_APPROVE'));
		record.merge(saved(other));
		// The database holds this process's snapshot again (its save landed after the other's).
		expect(record.isSavedAs(own)).toBe(false);
	});

	it('saves once after an acceptance, not on every request of a burst that loaded an earlier save', () => {
		// n8n loads static data as a request arrives; the trigger checks it only after reading the
		// credential and the body, and by then the previous request has saved a newer snapshot.
		const database: { staticData?: unknown } = {};
		const record = new DeliveryRecord();
		acceptAtOnce(record, claim('INSURANCE_CLAIM_APPROVE'));
		let saves = 0;
		let loadedByPrevious: unknown = database.staticData;
		for (let request = 0; request < 20; request++) {
			const loaded = database.staticData;
			if (!record.isSavedAs(loadedByPrevious)) {
				database.staticData = saved(record);
				saves += 1;
			}
			loadedByPrevious = loaded;
		}
		expect(saves).toBe(2);
		const restarted = new DeliveryRecord();
		restarted.merge(database.staticData);
		expect(acceptAtOnce(restarted, claim('INSURANCE_CLAIM_APPROVE'))).toBe(true);
	});
});

describe('the bound after merges', () => {
	const subject = (id: string): NotificationIdentity => ({ subject: [id], state: 'x' });

	/** A record of capacity 3 whose `id`s were accepted at the given times. */
	function acceptedAt(times: Record<string, number>): DeliveryRecord {
		const time = clock();
		const record = new DeliveryRecord(3, time.now);
		for (const [id, at] of Object.entries(times)) {
			time.at(at);
			acceptAtOnce(record, subject(id));
		}
		return record;
	}

	it('keeps the most recently accepted notifications of both sides, no more', () => {
		const one = acceptedAt({ a: 1, c: 3, e: 5 });
		one.merge(savedRecord(acceptedAt({ b: 2, d: 4, f: 6 })));
		expect(one.size).toBe(3);
		expect(['f', 'e', 'd'].map((id) => acceptAtOnce(one, subject(id)))).toEqual([true, true, true]);
		expect(acceptAtOnce(one, subject('c'))).toBe(false);
	});

	it('forgets the oldest accepted first after a merge, not the first this process saw', () => {
		const one = acceptedAt({ a: 1, c: 5 });
		one.merge(savedRecord(acceptedAt({ b: 2 })));
		acceptAtOnce(one, subject('d'));
		acceptAtOnce(one, subject('e'));
		expect(acceptAtOnce(one, subject('c'))).toBe(true);
		expect(acceptAtOnce(one, subject('b'))).toBe(false);
	});
});

describe('a notification in progress (accepted, not yet answered 2XX)', () => {
	it('is never saved: only committed notifications reach static data', () => {
		const record = new DeliveryRecord();
		const acceptance = record.begin(claim('INSURANCE_CLAIM_APPROVE'));
		expect(typeof acceptance).toBe('object');
		expect(savedEntryCount(savedRecord(record))).toBe(0);
		if (typeof acceptance === 'object') acceptance.commit();
		expect(savedEntryCount(savedRecord(record))).toBe(1);
	});

	it('makes a copy "inProgress" until settled; released, the next copy is new again', () => {
		const record = new DeliveryRecord();
		const first = record.begin(claim('INSURANCE_CLAIM_APPROVE'));
		expect(record.begin(claim('INSURANCE_CLAIM_APPROVE'))).toBe('inProgress');
		// Another state of the same claim is another notification: it may run meanwhile.
		expect(typeof record.begin(claim('INSURANCE_CLAIM_PAID'))).toBe('object');
		if (typeof first === 'object') first.release();
		// Released one copy, not the other notification: PAID is still in progress.
		expect(record.begin(claim('INSURANCE_CLAIM_PAID'))).toBe('inProgress');
		expect(typeof record.begin(claim('INSURANCE_CLAIM_APPROVE'))).toBe('object');
	});

	it('settles once: a release after the commit does not forget it', () => {
		const record = new DeliveryRecord();
		const acceptance = record.begin(claim('INSURANCE_CLAIM_APPROVE'));
		if (typeof acceptance !== 'object') throw new Error('expected a new notification');
		acceptance.commit();
		acceptance.release();
		expect(record.begin(claim('INSURANCE_CLAIM_APPROVE'))).toBe('repeated');
	});
});

describe('the records of a process', () => {
	it(`keeps ${KEPT_RECORDS} triggers' records, forgetting the least recently used saved one`, () => {
		const first = deliveryRecordFor('bounded', 'first');
		acceptAtOnce(first, claim('INSURANCE_CLAIM_APPROVE'));
		savedRecord(first);
		const busy = deliveryRecordFor('bounded', 'busy');
		busy.begin(claim('INSURANCE_CLAIM_APPROVE'));
		for (let n = 0; n < KEPT_RECORDS; n += 1)
			savedRecord(deliveryRecordFor('bounded', `other-${n}`));
		// The saved one is rebuilt from static data; the one with a run in progress is kept.
		expect(deliveryRecordFor('bounded', 'first')).not.toBe(first);
		expect(deliveryRecordFor('bounded', 'busy')).toBe(busy);
	});
});

describe('a record at its bound', () => {
	it('forgets the oldest hundredth at once, never more than the bound, oldest first', () => {
		const record = new DeliveryRecord(1_000);
		const claimNumber = (n: number): NotificationIdentity => ({
			subject: ['claim', `CLM-${n}`],
			state: 'INSURANCE_CLAIM_APPROVE',
		});
		const sizes: number[] = [];
		for (let n = 0; n < 1_500; n += 1) {
			acceptAtOnce(record, claimNumber(n));
			sizes.push(record.size);
		}
		expect(Math.max(...sizes)).toBe(1_000);
		expect(Math.min(...sizes.slice(1_000))).toBe(990);
		// The newest 990 are always remembered; the oldest are gone.
		expect(acceptAtOnce(record, claimNumber(1_499 - 989))).toBe(true);
		expect(acceptAtOnce(record, claimNumber(0))).toBe(false);
	});
});
