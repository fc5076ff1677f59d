/**
 * Bad input, tried for real: a table of deliveries no partner should send — wrong, missing,
 * repeated or oversized credentials, wrong case or prefix, bodies that are not notifications,
 * huge or deeply nested bodies, invalid UTF-8, a wrong Content-Type, a GET — sent to every
 * trigger of the registry inside the real n8n. Each row says who answers (the trigger, n8n before the trigger
 * runs, or Node's HTTP parser before n8n sees the request), with which status, and how many
 * executions it may start: none, except for the few rows that are valid by design (hex is
 * case-insensitive, the Authorization scheme word too, header names always; Node keeps only the
 * first of two Authorization headers; Cermati does not sign the status). The table is printed
 * at the end with `N cases, N as specified`; afterwards n8n must still be healthy.
 *
 * The rows are in badInput/cases.ts, the client that sends them as they are in
 * badInput/client.ts, the verdicts and the printed table in badInput/report.ts; this file runs
 * the table against n8n and counts the executions.
 */
import { TEST_TRIGGERS } from '../helpers/triggers';
import { urlOf } from './deliver';
import { pkg, readState, sleep, waitFor, QUIET_PERIOD_MS } from './harness';
import { workflowId } from './scenario';
import {
	ALL_TRIGGERS,
	fresh,
	OPTION_TRIGGERS,
	OVER_LIMIT,
	READ_OVER_LIMIT,
	ROWS,
	sample,
	signed,
} from './badInput/cases';
import { send } from './badInput/client';
import { problemsWith, reportOf, type Result } from './badInput/report';

const WORKFLOW_IDS = ALL_TRIGGERS.map((trigger) => workflowId(trigger.key));
const COUNTED_IDS = [...ALL_TRIGGERS, ...OPTION_TRIGGERS].map((trigger) => workflowId(trigger.key));

/** Executions so far per workflow (every workflow a row sends to), in one query. */
function executionCounts(ids = COUNTED_IDS): Record<string, number> {
	const counts = Object.fromEntries(ids.map((id) => [id, 0]));
	for (const entry of pkg.executionCounts(readState().userFolder, ids))
		counts[entry.workflowId] += entry.n;
	return counts;
}

const results: Result[] = [];
let executionsBefore: Record<string, number> = {};

beforeAll(async () => {
	// The replay rows need a sample the trigger has accepted.
	for (const trigger of ALL_TRIGGERS) {
		const answer = await send(urlOf(trigger.key), {
			headers: signed(trigger, sample(trigger)),
			body: sample(trigger),
		});
		if (answer.status !== 200)
			throw new Error(`${trigger.label}: the sample was answered ${answer.status}`);
	}
	await waitFor(
		() => executionCounts(),
		(counts) => WORKFLOW_IDS.every((id) => counts[id] >= 1),
	);
	executionsBefore = executionCounts();

	let counts = executionsBefore;
	for (const row of ROWS) {
		const id = workflowId(row.trigger.key);
		const result: Result = { row, executions: 0, problems: [] };
		try {
			result.answer = await send(urlOf(row.trigger.key), row.request());
			result.problems.push(...problemsWith(row.expected, result.answer));
		} catch (error) {
			result.error = (error as Error).message;
			// Over the payload limit n8n may answer 500 or close the socket while the 16 MiB are
			// still being sent; either way the delivery is refused, and executions are checked below.
			const cutOff =
				(row.expected === OVER_LIMIT || row.expected === READ_OVER_LIMIT) &&
				/EPIPE|ECONNRESET|socket hang up/.test(result.error);
			if (!cutOff) result.problems.push(`no answer: ${result.error}`);
		}
		// n8n records an execution before it answers; allow the accepted ones a moment anyway.
		const after =
			row.expected.executions > 0
				? await waitFor(
						() => executionCounts(),
						(now) => now[id] >= counts[id] + row.expected.executions,
						10000,
					)
				: executionCounts();
		result.executions = after[id] - counts[id];
		if (result.executions !== row.expected.executions)
			result.problems.push(`${result.executions} executions`);
		counts = after;
		results.push(result);
	}
}, 600000);
afterAll(() => {
	process.stdout.write(reportOf(results));
});

describe('bad deliveries to every trigger in a real n8n', () => {
	it('has at least 60 cases across every trigger of the registry', () => {
		expect(ROWS.length).toBeGreaterThanOrEqual(60);
		expect(new Set(ROWS.map((entry) => entry.trigger.providerEvent))).toEqual(
			new Set(TEST_TRIGGERS.map((trigger) => trigger.mainEvent)),
		);
	});

	it.each(ROWS.map((entry, index) => [index + 1, entry.trigger.label, entry.name, entry] as const))(
		'%i. %s: %s',
		(index) => {
			const result = results[index - 1];
			expect(result?.problems).toEqual([]);
		},
	);

	it('started no execution but for the rows valid by design, also after a quiet period', async () => {
		await sleep(QUIET_PERIOD_MS);
		const now = executionCounts();
		const expected = { ...executionsBefore };
		for (const entry of ROWS) expected[workflowId(entry.trigger.key)] += entry.expected.executions;
		expect(now).toEqual(expected);
	});
});

describe('n8n after the bad deliveries', () => {
	it('is alive and ready', async () => {
		const state = readState();
		expect(state.pid).toBeDefined();
		expect(() => process.kill(-(state.pid as number), 0)).not.toThrow();
		for (const path of ['/healthz', '/healthz/readiness']) {
			const answer = await send(`http://127.0.0.1:${state.port}${path}`, {
				method: 'GET',
				headers: {},
				body: Buffer.alloc(0),
			});
			expect({ path, status: answer.status }).toEqual({ path, status: 200 });
		}
	});

	it('still starts the workflow for a genuine new delivery to each trigger', async () => {
		const before = executionCounts(WORKFLOW_IDS);
		for (const trigger of ALL_TRIGGERS) {
			const body = fresh(trigger);
			const answer = await send(urlOf(trigger.key), { headers: signed(trigger, body), body });
			expect({ trigger: trigger.label, status: answer.status }).toEqual({
				trigger: trigger.label,
				status: 200,
			});
		}
		const after = await waitFor(
			() => executionCounts(WORKFLOW_IDS),
			(now) => WORKFLOW_IDS.every((id) => now[id] === before[id] + 1),
		);
		expect(after).toEqual(Object.fromEntries(WORKFLOW_IDS.map((id) => [id, before[id] + 1])));
	});
});
