/**
 * Nothing lost, nothing doubled, under load, in the real n8n:
 *
 * 1. 500 distinct signed deliveries (100 per trigger) from 20 concurrent senders →
 *    500 executions and 500 items at the CRM;
 * 2. 500 more, each sent twice, the two copies at the same moment → still one execution
 *    and one item each;
 * 3. a third copy of each of those, once everything has settled → nothing more;
 * 4. n8n restarted, then a copy of all 1,000 again → nothing more: every accepted delivery
 *    reached the record n8n saved, none was lost to a concurrent save.
 *
 * The senders behave like the partners (partner.ts): a non-200 answer is retried. Until
 * 6 December 2026 each phase had twice as many (200 per trigger: 1,000 and 2,000); halved to
 * keep CI's time, with the same 20 senders (25 deliveries each per phase instead of 50).
 */
import { restartN8n } from '../e2e/harness';
import { crmAccount, executionCounts, settled, total, type Counts } from './checks';
import {
	deliverLikeThePartner,
	rememberDeliveryKeys,
	tally,
	withSenders,
	type Outcome,
} from './partner';
import { TRIGGERS, distinctDeliveries, type Delivery } from './scenario';

const SENDERS = 20;
const PER_TRIGGER = 100;

const keyOf = new Map<Delivery, string>();

const ignoredOf = (outcome: Outcome) =>
	(outcome.delivered?.json as { ignored?: string } | undefined)?.ignored;

function report(title: string, started: number, outcomes: readonly Outcome[]): void {
	const seconds = (Date.now() - started) / 1000;
	process.stdout.write(
		`[reliability] ${title}: ${outcomes.length} sends in ${seconds.toFixed(1)} s ` +
			`(${(outcomes.length / seconds).toFixed(1)}/s); attempts ${JSON.stringify(tally(outcomes))}\n`,
	);
}

const first = distinctDeliveries('L1', PER_TRIGGER);
const second = distinctDeliveries('L2', PER_TRIGGER);

describe(`${first.length} distinct deliveries from ${SENDERS} concurrent senders`, () => {
	let outcomes: Outcome[] = [];
	let before: Counts;

	beforeAll(async () => {
		before = executionCounts();
		const started = Date.now();
		outcomes = await withSenders(first, SENDERS, deliverLikeThePartner);
		report('distinct', started, outcomes);
		rememberDeliveryKeys(outcomes, keyOf);
	});

	it('every delivery was answered 200 and accepted', () => {
		expect(outcomes.filter((outcome) => !outcome.delivered).map((o) => o.delivery.id)).toEqual([]);
		expect(outcomes.filter((outcome) => ignoredOf(outcome) !== undefined)).toHaveLength(0);
	});

	it('started exactly one successful execution per delivery', async () => {
		const after = await settled();
		const started = Object.fromEntries(
			TRIGGERS.map((trigger) => [
				trigger.key,
				after.executions[trigger.key] - before.executions[trigger.key],
			]),
		);
		expect(started).toEqual(Object.fromEntries(TRIGGERS.map((t) => [t.key, PER_TRIGGER])));
		// Counted from this phase on: an earlier suite (restarts) may have left crashed executions.
		expect(after.failed - before.failed).toBe(0);
	});

	it(`put ${first.length} items at the CRM: 0 lost, 0 doubled`, async () => {
		const account = await crmAccount(first, keyOf);
		expect({ lost: account.lost, doubled: account.doubled }).toEqual({ lost: [], doubled: [] });
		expect(account.items).toBe(first.length);
	});
});

describe(`${second.length} more, each sent twice at the same moment`, () => {
	let pairs: Array<[Outcome, Outcome]> = [];
	let before: Counts;

	beforeAll(async () => {
		before = await settled();
		const started = Date.now();
		pairs = await withSenders(
			second,
			SENDERS,
			async (delivery) =>
				(await Promise.all([deliverLikeThePartner(delivery), deliverLikeThePartner(delivery)])) as [
					Outcome,
					Outcome,
				],
		);
		report('twice at once', started, pairs.flat());
		rememberDeliveryKeys(
			pairs.map(([one]) => one),
			keyOf,
		);
	});

	it('both copies were answered 200, one of them as a repeat', () => {
		expect(pairs.filter(([a, b]) => !a.delivered || !b.delivered)).toHaveLength(0);
		// A copy that had to be retried may be the one accepted; one of each pair is the repeat.
		const answers = pairs.map(([a, b]) =>
			[ignoredOf(a) ?? 'accepted', ignoredOf(b) ?? 'accepted'].sort().join(' + '),
		);
		expect(answers.filter((pair) => pair !== 'accepted + repeated')).toEqual([]);
	});

	it('started one execution per delivery, not per copy', async () => {
		const after = await settled();
		expect(total(after.executions) - total(before.executions)).toBe(second.length);
		// Counted from this phase on: an earlier suite (restarts) may have left crashed executions.
		expect(after.failed - before.failed).toBe(0);
	});

	it(`put ${second.length} more items at the CRM: 0 lost, 0 doubled`, async () => {
		const account = await crmAccount(second, keyOf);
		expect({ lost: account.lost, doubled: account.doubled }).toEqual({ lost: [], doubled: [] });
		expect(account.items).toBe(second.length);
	});
});

describe('a third copy of each, after all have settled', () => {
	let outcomes: Outcome[] = [];
	let before: Counts;

	beforeAll(async () => {
		before = await settled();
		const started = Date.now();
		outcomes = await withSenders(second, SENDERS, deliverLikeThePartner);
		report('third copy', started, outcomes);
	});

	it('is answered 200 as a repeat and starts nothing', async () => {
		expect(outcomes.filter((outcome) => ignoredOf(outcome) !== 'repeated')).toHaveLength(0);
		expect(total((await settled()).executions)).toBe(total(before.executions));
	});
});

describe('after n8n restarts, a copy of all of them again', () => {
	let outcomes: Outcome[] = [];
	let before: Counts;

	beforeAll(async () => {
		before = await settled();
		await restartN8n();
		const started = Date.now();
		outcomes = await withSenders([...first, ...second], SENDERS, deliverLikeThePartner);
		report('after restart', started, outcomes);
	});

	it('is answered 200 as a repeat: the saved record holds every accepted delivery', async () => {
		const notRepeats = outcomes.filter((outcome) => ignoredOf(outcome) !== 'repeated');
		expect(notRepeats.map((outcome) => outcome.delivery.id)).toEqual([]);
		expect(total((await settled()).executions)).toBe(total(before.executions));
	});

	it(`the CRM still holds exactly ${first.length + second.length} items, one per delivery`, async () => {
		const account = await crmAccount([...first, ...second], keyOf);
		expect({ lost: account.lost, doubled: account.doubled }).toEqual({ lost: [], doubled: [] });
		expect(account.items).toBe(first.length + second.length);
	});
});
