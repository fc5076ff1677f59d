/**
 * Delivered means answered 2XX, under load: 100 distinct deliveries per trigger (500 for the
 * five of today's registry; 200 and 1,000 until 6 December 2026, halved to keep CI's time) to
 * every trigger answering "When Last Node Finishes", with a CRM that refuses about 30 % of its
 * posts at random. A refused post fails the run, n8n answers 500, the partner resends, and the
 * trigger must run the resent notification again: every one reaches the CRM, none is lost.
 */
import { crmFailures, setCrmBehaviour } from '../e2e/harness';
import { crmAccount, settled, total, type Counts } from './checks';
import {
	deliverLikeThePartner,
	rememberDeliveryKeys,
	tally,
	withSenders,
	type Outcome,
} from './partner';
import { LAST_NODE_TRIGGERS, distinctDeliveries } from './scenario';

const SENDERS = 20;
const PER_TRIGGER = 100;
const FAIL_RATE = 0.3;

const stream = distinctDeliveries('CF', PER_TRIGGER, LAST_NODE_TRIGGERS);

describe(`${stream.length} deliveries answered When Last Node Finishes, the CRM refusing ~${FAIL_RATE * 100} % of posts`, () => {
	let outcomes: Outcome[] = [];
	let before: Counts;
	let refusedBefore: number;

	beforeAll(async () => {
		// At most 3 refusals per notification: the partner's 9 attempts always get it through,
		// so "lost" can only mean the trigger dropped it.
		for (const trigger of LAST_NODE_TRIGGERS)
			await setCrmBehaviour(trigger.key, { failRate: FAIL_RATE, maxRandomFailures: 3 });
		before = await settled();
		refusedBefore = await crmFailures();
		const started = Date.now();
		outcomes = await withSenders(stream, SENDERS, deliverLikeThePartner);
		const seconds = (Date.now() - started) / 1000;
		process.stdout.write(
			`[reliability] CRM refusing ~30 %: ${outcomes.length} deliveries in ${seconds.toFixed(1)} s; ` +
				`attempts ${JSON.stringify(tally(outcomes))}; the CRM refused ${(await crmFailures()) - refusedBefore} posts\n`,
		);
	});

	afterAll(async () => {
		for (const trigger of LAST_NODE_TRIGGERS) await setCrmBehaviour(trigger.key, {});
	});

	it('made runs fail for real: the CRM refused posts, and n8n answered those deliveries 500', async () => {
		expect((await crmFailures()) - refusedBefore).toBeGreaterThan(stream.length * 0.1);
		expect(tally(outcomes)['500']).toBeGreaterThan(stream.length * 0.1);
	});

	it('got every delivery answered 200 in the end', () => {
		expect(outcomes.filter((outcome) => !outcome.delivered).map((o) => o.delivery.id)).toEqual([]);
	});

	it('put every notification at the CRM: 0 lost, 0 doubled', async () => {
		await settled();
		const account = await crmAccount(stream, rememberDeliveryKeys(outcomes));
		process.stdout.write(
			`[reliability] CRM refusing ~30 %: lost ${account.lost.length}, doubled ${account.doubled.length} ${JSON.stringify(account.doubled)}\n`,
		);
		expect({ lost: account.lost, doubled: account.doubled }).toEqual({ lost: [], doubled: [] });
		expect(account.items).toBe(stream.length);
	});

	it('ran each notification until it succeeded, and no more: one successful execution each', async () => {
		const after = await settled();
		const ran = total(after.executions) - total(before.executions);
		const failed = after.failed - before.failed;
		expect(ran - failed).toBe(stream.length);
	});
});
