/**
 * n8n stopped in the middle of a stream and started again: 20 partners keep sending distinct
 * deliveries and retry whatever is not answered 200 (refused connections while n8n is down,
 * 404 while its webhooks come back, resets of requests in flight at the stop). Every delivery
 * must end up executed exactly once: one execution, one item at the CRM, none lost to the
 * stop, none doubled by a retry of a delivery n8n had already accepted.
 */
import { currentN8n, readState, sleep, startN8n, writeState } from '../e2e/harness';
import { crmAccount, settled, total, type Counts } from './checks';
import { deliverLikeThePartner, tally, withSenders, type Outcome } from './partner';
import { distinctDeliveries, type Delivery } from './scenario';

const SENDERS = 20;
const PER_TRIGGER = 200;
/** n8n is stopped once this many deliveries have been answered 200. */
const STOP_AFTER = 150;

const stream = distinctDeliveries('R', PER_TRIGGER);

/** When n8n was asked to stop, when none of it was left, when it answered again (ms since start). */
interface Phases {
	stopAsked: number;
	down: number;
	up: number;
	deliveredBefore: number;
}

const repeatsOf = (outcomes: readonly Outcome[]) =>
	outcomes.filter(
		(outcome) =>
			(outcome.delivered?.json as { ignored?: string } | undefined)?.ignored === 'repeated',
	);

describe(`${stream.length} deliveries, n8n restarted after ${STOP_AFTER} of them`, () => {
	const outcomes: Outcome[] = [];
	let before: Counts;
	let phases: Phases | undefined;
	let started = 0;

	beforeAll(async () => {
		before = await settled();
		let delivered = 0;
		let restarting: Promise<void> | undefined;
		const restart = async () => {
			const state = readState();
			const n8n = currentN8n(state);
			const current = { stopAsked: Date.now(), down: 0, up: 0, deliveredBefore: delivered };
			phases = current;
			// SIGTERM, then as long as n8n itself takes: it waits for active executions up to
			// N8N_GRACEFUL_SHUTDOWN_TIMEOUT (30 s) and exits; the harness kills only after that.
			await n8n.stop({ timeoutMs: 60000 });
			current.down = Date.now();
			state.pid = undefined;
			writeState(state);
			await startN8n(n8n, state);
			current.up = Date.now();
		};
		started = Date.now();
		await withSenders(stream, SENDERS, async (delivery: Delivery) => {
			const outcome = await deliverLikeThePartner(delivery);
			outcomes.push(outcome);
			if (outcome.delivered) delivered += 1;
			if (delivered >= STOP_AFTER && restarting === undefined) restarting = restart();
		});
		await restarting;
		const at = (ms: number) => `${((ms - started) / 1000).toFixed(1)} s`;
		const during = (from: number, to: number) =>
			tally(
				outcomes.map((outcome) => ({
					...outcome,
					attempts: outcome.attempts.filter((attempt) => attempt.at >= from && attempt.at < to),
				})),
			);
		const p = phases as Phases;
		process.stdout.write(
			`[reliability] restart: stop asked at ${at(p.stopAsked)} (${p.deliveredBefore} delivered), ` +
				`n8n gone at ${at(p.down)}, answering again at ${at(p.up)}, stream done at ${at(Date.now())}\n` +
				`[reliability]   answers while stopping ${JSON.stringify(during(p.stopAsked, p.down))}, ` +
				`while down or starting ${JSON.stringify(during(p.down, p.up))}, ` +
				`after ${JSON.stringify(during(p.up, Infinity))}; all attempts ${JSON.stringify(tally(outcomes))}; ` +
				`${repeatsOf(outcomes).length} answered as repeats\n`,
		);
	});

	it('stopped n8n while deliveries were still coming, and they kept coming while it was down', () => {
		const p = phases as Phases;
		expect(p.deliveredBefore).toBeLessThan(stream.length);
		const whileDown = outcomes.flatMap((outcome) =>
			outcome.attempts.filter((attempt) => attempt.at >= p.down && attempt.at < p.up),
		);
		expect(whileDown.length).toBeGreaterThan(0);
	});

	it('every delivery was finally answered 200 (the partner never gave up)', () => {
		expect(outcomes).toHaveLength(stream.length);
		expect(outcomes.filter((outcome) => !outcome.delivered).map((o) => o.delivery.id)).toEqual([]);
	});

	it('started exactly one successful execution per delivery', async () => {
		await sleep(1000);
		const after = await settled();
		expect(total(after.executions) - total(before.executions)).toBe(stream.length);
		expect(after.failed - before.failed).toBe(0);
	});

	it('put exactly one item per delivery at the CRM: 0 lost, 0 doubled', async () => {
		const keyOf = new Map<Delivery, string>();
		for (const outcome of outcomes) {
			const key = (outcome.delivered?.json as { deliveryKey?: string } | undefined)?.deliveryKey;
			if (key) keyOf.set(outcome.delivery, key);
		}
		const account = await crmAccount(stream, keyOf);
		expect({ lost: account.lost, doubled: account.doubled }).toEqual({ lost: [], doubled: [] });
		expect(account.items).toBe(stream.length);
	});
});
