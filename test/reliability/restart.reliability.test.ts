/**
 * n8n stopped in the middle of a stream and started again: 20 partners keep sending distinct
 * deliveries and retry whatever is not answered 200 (503 from the proxy, refused connections
 * while n8n is down, 404 while its webhooks come back, resets of requests cut at the stop).
 *
 * 1. Stopped the way n8n 2.40.7 has to be stopped: the reverse proxy in front stops forwarding
 *    first, then n8n gets SIGTERM once the requests it has are answered. Every delivery must end
 *    up executed exactly once: one execution, one item at the CRM, none lost, none doubled.
 * 2. SIGTERM straight into the stream: n8n keeps starting executions while it shuts down and
 *    kills the running ones when its 30 s timeout runs out. The partner still gets every
 *    delivery answered in the end; with Respond: Immediately, what the kill cost (lost,
 *    doubled) is printed as a measurement of n8n, not asserted (docs/reliability.md).
 * 3. The same with Respond: When Last Node Finishes: a run cut short was never answered 2XX,
 *    so the partner's retry runs it again. None the trigger answered may be lost; doubles are
 *    measured.
 *
 * Without the proxy, a retry that reaches n8n while it starts can be answered 200 by n8n's
 * start-up page (`N8N_STARTING_UP`) and is lost to n8n, not to the trigger: counted, printed,
 * and kept apart from the trigger's account. With the proxy, which forwards again only once
 * n8n is ready, none may be.
 */
import { currentN8n, readState, sleep, startN8n, writeState } from '../e2e/harness';
import { crmAccount, noDeliveryKeyFor, settled, total, type Counts } from './checks';
import { FrontDoor } from './frontDoor';
import {
	answeredWhileN8nStarted,
	deliverLikeThePartner,
	rememberDeliveryKeys,
	tally,
	withSenders,
	type Attempt,
	type Outcome,
} from './partner';
import { LAST_NODE_TRIGGERS, distinctDeliveries, type Delivery } from './scenario';

const SENDERS = 20;
/**
 * 400 deliveries (80 per trigger), n8n stopped after 50: what follows the stop is what it was
 * with 500 and 150 (until 6 December 2026) — 300 deliveries to keep the stream going while n8n
 * stops, then the 50 held for the outage — and the stream before it is shorter, to keep CI's
 * time. Fifty answered means every sender is still sending: the stop lands in a live stream.
 */
const PER_TRIGGER = 80;
/** n8n is stopped once this many deliveries have been answered 200. */
const STOP_AFTER = 50;
/**
 * The last deliveries of the stream are first sent once n8n is down, and n8n is started again
 * only after one of them was answered while it was: "deliveries arrived while n8n was down"
 * is made true, however fast or slow n8n stops on this machine.
 */
const HELD_FOR_THE_OUTAGE = 50;

/** When n8n was asked to stop, when none of it was left, when it answered again (ms). */
interface Phases {
	stopAsked: number;
	down: number;
	up: number;
	deliveredBefore: number;
	/** Whether the harness had to kill n8n: it did not exit on its own after SIGTERM. */
	killed: boolean;
}

interface Run {
	outcomes: Outcome[];
	phases: Phases;
	before: Counts;
}

const isRepeat = (outcome: Outcome) =>
	(outcome.delivered?.json as { ignored?: string } | undefined)?.ignored === 'repeated';

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
	let resolve = () => {};
	const promise = new Promise<void>((done) => (resolve = done));
	return { promise, resolve };
}

async function streamWithRestart(
	label: string,
	stream: readonly Delivery[],
	frontDoor?: FrontDoor,
): Promise<Run> {
	const before = await settled();
	const port = frontDoor ? await frontDoor.listen() : undefined;
	const outcomes: Outcome[] = [];
	let phases: Phases | undefined;
	let delivered = 0;
	let restarting: Promise<void> | undefined;
	const down = signal();
	const answeredWhileDown = signal();
	const restart = async () => {
		const state = readState();
		const n8n = currentN8n(state);
		const current: Phases = {
			stopAsked: Date.now(),
			down: 0,
			up: 0,
			deliveredBefore: delivered,
			killed: false,
		};
		phases = current;
		await frontDoor?.close();
		// SIGTERM, then as long as n8n itself takes: it waits for active executions up to
		// N8N_GRACEFUL_SHUTDOWN_TIMEOUT (30 s) and exits; the harness kills only after 60 s.
		current.killed = (await n8n.stop({ timeoutMs: 60000 })).killed;
		current.down = Date.now();
		state.pid = undefined;
		writeState(state);
		down.resolve();
		await answeredWhileDown.promise;
		await startN8n(n8n, state);
		current.up = Date.now();
		frontDoor?.reopen();
	};
	const startRestart = () => {
		restarting ??= restart();
	};
	const onAttempt = (attempt: Attempt) => {
		if (phases && phases.down > 0 && attempt.at >= phases.down) answeredWhileDown.resolve();
	};
	const firstHeld = stream.length - HELD_FOR_THE_OUTAGE;
	const started = Date.now();
	await withSenders(
		stream.map((delivery, index) => ({ delivery, held: index >= firstHeld })),
		SENDERS,
		async ({ delivery, held }) => {
			if (held) {
				startRestart();
				await down.promise;
			}
			const outcome = await deliverLikeThePartner(delivery, port, onAttempt);
			outcomes.push(outcome);
			if (outcome.delivered) delivered += 1;
			if (delivered >= STOP_AFTER) startRestart();
		},
	);
	await restarting;
	await frontDoor?.stop();

	const p = phases as Phases;
	const at = (ms: number) => `${((ms - started) / 1000).toFixed(1)} s`;
	const during = (from: number, to: number) =>
		tally(
			outcomes.map((outcome) => ({
				...outcome,
				attempts: outcome.attempts.filter((attempt) => attempt.at >= from && attempt.at < to),
			})),
		);
	process.stdout.write(
		`[reliability] ${label}: stop asked at ${at(p.stopAsked)} (${p.deliveredBefore} delivered), ` +
			`n8n gone at ${at(p.down)} (${((p.down - p.stopAsked) / 1000).toFixed(1)} s to stop` +
			`${p.killed ? ', killed by the harness' : ''}), ` +
			`answering again at ${at(p.up)}, stream done at ${at(Date.now())}\n` +
			`[reliability]   answers while stopping ${JSON.stringify(during(p.stopAsked, p.down))}, ` +
			`while down or starting ${JSON.stringify(during(p.down, p.up))}, ` +
			`after ${JSON.stringify(during(p.up, Infinity))}; ` +
			`${outcomes.filter(isRepeat).length} answered as repeats, ` +
			`${outcomes.filter(answeredWhileN8nStarted).length} answered 200 by n8n's start-up page\n`,
	);
	return { outcomes, phases: p, before };
}

function expectTheStreamWasInterrupted(run: Run, stream: readonly Delivery[]): void {
	expect(run.phases.deliveredBefore).toBeLessThan(stream.length);
	const whileDown = run.outcomes.flatMap((outcome) =>
		outcome.attempts.filter(
			(attempt) => attempt.at >= run.phases.down && attempt.at < run.phases.up,
		),
	);
	expect(whileDown.length).toBeGreaterThan(0);
	expect(run.outcomes).toHaveLength(stream.length);
	// The partner never gave up: every delivery was finally answered 200.
	expect(run.outcomes.filter((outcome) => !outcome.delivered)).toHaveLength(0);
}

/** How the CRM account names the deliveries n8n's start-up page answered 200, sorted. */
const lostWhileN8nStarted = (run: Run): string[] =>
	run.outcomes
		.filter(answeredWhileN8nStarted)
		.map((outcome) => noDeliveryKeyFor(outcome.delivery))
		.sort();

/** Prints what a stop into the stream cost once everything settled; returns the CRM's account. */
async function reportWhatTheStopCost(
	label: string,
	run: Run,
	stream: readonly Delivery[],
): Promise<Awaited<ReturnType<typeof crmAccount>>> {
	const after = await settled();
	const account = await crmAccount(stream, rememberDeliveryKeys(run.outcomes));
	const report = {
		secondsToStop: Number(((run.phases.down - run.phases.stopAsked) / 1000).toFixed(1)),
		executions: total(after.executions) - total(run.before.executions),
		notSuccessful: after.failed - run.before.failed,
		lost: account.lost.length,
		lostToN8nStarting: lostWhileN8nStarted(run).length,
		doubled: account.doubled.length,
	};
	process.stdout.write(
		`[reliability] ${label}: ${JSON.stringify(report)}; ` +
			`lost ${JSON.stringify(account.lost)}, doubled ${JSON.stringify(account.doubled)}\n`,
	);
	return account;
}

const drained = distinctDeliveries('RD', PER_TRIGGER);

describe(`${drained.length} deliveries, n8n restarted after ${STOP_AFTER} behind a proxy that stops forwarding first`, () => {
	let run: Run;

	beforeAll(async () => {
		run = await streamWithRestart(
			'restart behind the proxy',
			drained,
			new FrontDoor(() => readState().port),
		);
	});

	it('stopped n8n mid-stream, and deliveries kept coming while it was down', () => {
		expectTheStreamWasInterrupted(run, drained);
	});

	// How long it took is printed above as a measurement; that it exited by itself is the check
	// (with no execution cut short, asserted next).
	it('let n8n finish what it had and exit on its own after SIGTERM', () => {
		expect(run.phases.killed).toBe(false);
	});

	it('started exactly one successful execution per delivery', async () => {
		await sleep(1000);
		const after = await settled();
		expect(total(after.executions) - total(run.before.executions)).toBe(drained.length);
		expect(after.failed - run.before.failed).toBe(0);
	});

	// n8n answers 200 to anything while it starts (N8N_STARTING_UP); the proxy forwards again only
	// once n8n is ready, so no delivery can be taken for delivered by that page.
	it("let no delivery reach n8n's start-up page", () => {
		expect(lostWhileN8nStarted(run)).toEqual([]);
	});

	it('put exactly one item per delivery at the CRM: 0 lost, 0 doubled', async () => {
		const account = await crmAccount(drained, rememberDeliveryKeys(run.outcomes));
		expect({ lost: account.lost, doubled: account.doubled }).toEqual({ lost: [], doubled: [] });
		expect(account.items).toBe(drained.length);
	});
});

const cut = distinctDeliveries('RS', PER_TRIGGER);

describe(`${cut.length} deliveries, SIGTERM straight into the stream after ${STOP_AFTER}`, () => {
	let run: Run;

	beforeAll(async () => {
		run = await streamWithRestart('SIGTERM into the stream', cut);
		// A measurement, not a check: with Respond: Immediately, what n8n 2.40.7 cuts short
		// after answering 200 is n8n's (docs/reliability.md).
		await reportWhatTheStopCost('SIGTERM into the stream', run, cut);
	});

	it('stopped n8n mid-stream, and the partner still got every delivery answered 200', () => {
		expectTheStreamWasInterrupted(run, cut);
	});
});

const cutLastNode = distinctDeliveries('RL', PER_TRIGGER, LAST_NODE_TRIGGERS);

describe(`${cutLastNode.length} deliveries answered When Last Node Finishes, SIGTERM straight into the stream after ${STOP_AFTER}`, () => {
	let run: Run;
	let account: Awaited<ReturnType<typeof crmAccount>>;

	beforeAll(async () => {
		const label = 'SIGTERM into a When Last Node Finishes stream';
		run = await streamWithRestart(label, cutLastNode);
		account = await reportWhatTheStopCost(label, run, cutLastNode);
	});

	it('stopped n8n mid-stream, and the partner still got every delivery answered 200', () => {
		expectTheStreamWasInterrupted(run, cutLastNode);
	});

	// A run cut short was never answered 2XX, so it was not remembered: the partner's retry ran
	// it again. A run cut after the CRM had the item but before its answer runs twice (doubled:
	// measured above, harmless with an upsert by deliveryKey). None the trigger answered may be
	// missing: the only ones allowed to are those n8n's start-up page answered 200, which no
	// trigger ever saw (counted above, the reason the README's restart goes through the proxy).
	it('lost no notification the trigger answered: every other one is at the CRM', () => {
		expect([...account.lost].sort()).toEqual(lostWhileN8nStarted(run));
	});
});
