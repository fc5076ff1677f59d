/**
 * Scale-out load through nginx in queue mode: what happens to repeated deliveries when two
 * webhook processes share only PostgreSQL.
 *
 *   1. 500 distinct signed deliveries (100 per trigger) from 20 concurrent senders;
 *   2. every one of them again, twice at the same moment (a partner's retries racing);
 *   3. after everything has settled, a third copy of each;
 *   4. 100 new deliveries whose first two copies arrive at the same moment (to other workflows).
 *
 * Half the sizes of before 6 December 2026 (1,000 and 200), to keep CI's time: the same four
 * phases through the same cluster; the figures in BENCHMARKS.md were measured at the old sizes,
 * which N8N_QUEUE_DELIVERIES=1000 N8N_QUEUE_RACE_DELIVERIES=200 still runs.
 *
 * Nothing may be lost: every distinct delivery must run at least once, and every accepted
 * answer must have become a successful execution. Duplicate executions are not a failure here;
 * they are counted, per phase and per webhook process, with the number of CRM upserts by
 * `deliveryKey` it took to end with exactly one record per delivery. The figures go to
 * <run folder>/queue-report.json (and N8N_QUEUE_REPORT).
 *
 * N8N_QUEUE_DELIVERIES / N8N_QUEUE_RACE_DELIVERIES / N8N_QUEUE_SENDERS change the sizes.
 */
import { savedEntryCount } from '../../nodes/shared/persistedEntries';
import { instance } from '../e2e/harness';
import { spec, workflowId, type WorkflowKey } from '../e2e/scenario';
import { TEST_TRIGGERS } from '../helpers/triggers';
import {
	LOAD_WORKFLOWS,
	RACE_WORKFLOWS,
	query,
	readState,
	sleep,
	urlOf,
	type QueueState,
} from './environment';
import {
	distinctDeliveries,
	isAccepted,
	sendAll,
	summarize,
	type LoadAnswer,
	type LoadDelivery,
	type LoadSummary,
	type LoadTarget,
} from './load';
import { writeReport } from './report';

const DISTINCT = Number(process.env.N8N_QUEUE_DELIVERIES ?? 500);
const RACE = Number(process.env.N8N_QUEUE_RACE_DELIVERIES ?? 100);
const SENDERS = Number(process.env.N8N_QUEUE_SENDERS ?? 20);
/** How long a phase may take to settle (every accepted delivery executed and posted). */
const SETTLE_TIMEOUT_MS = 10 * 60 * 1000;

const targetOf = (key: WorkflowKey, providerEvent: string): LoadTarget => ({
	workflow: key,
	providerEvent,
	partner: spec(key).partner,
});

interface CrmRecord {
	key: string;
	at: string;
	body: { deliveryKey?: string };
}

async function crmRecords(keys: readonly string[], state: QueueState): Promise<CrmRecord[]> {
	const answer = await instance.request('GET', `${state.crmUrl}/records`, { timeoutMs: 30000 });
	return (JSON.parse(answer.body) as CrmRecord[]).filter((record) => keys.includes(record.key));
}

interface ExecutionCounts {
	total: number;
	unfinished: number;
	byStatus: Record<string, number>;
}

async function executionCounts(keys: readonly WorkflowKey[]): Promise<ExecutionCounts> {
	const rows = await query<{ status: string; count: string }>(
		'SELECT status, count(*) AS count FROM execution_entity WHERE "workflowId" = ANY($1) GROUP BY status',
		[keys.map((key) => workflowId(key))],
	);
	const byStatus = Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
	const total = rows.reduce((sum, row) => sum + Number(row.count), 0);
	const unfinished = rows
		.filter((row) => ['new', 'running', 'waiting', 'unknown'].includes(row.status))
		.reduce((sum, row) => sum + Number(row.count), 0);
	return { total, unfinished, byStatus };
}

/**
 * Waits until n8n has run every execution it accepted (`expected` in all) and the CRM holds
 * one post per execution, nothing pending; returns how long that took.
 */
async function settle(
	keys: readonly WorkflowKey[],
	expected: number,
	state: QueueState,
): Promise<{ seconds: number; executions: ExecutionCounts; crmPosts: number }> {
	const started = Date.now();
	for (;;) {
		const executions = await executionCounts(keys);
		const crmPosts = (await crmRecords(keys, state)).length;
		if (executions.total >= expected && executions.unfinished === 0 && crmPosts >= executions.total)
			return { seconds: (Date.now() - started) / 1000, executions, crmPosts };
		if (Date.now() - started > SETTLE_TIMEOUT_MS)
			throw new Error(
				`not settled after ${SETTLE_TIMEOUT_MS / 1000} s: expected ${expected} executions, n8n has ${JSON.stringify(executions)}, the CRM ${crmPosts} posts`,
			);
		await sleep(1000);
	}
}

/** How many entries of the record of accepted deliveries each workflow has in PostgreSQL. */
async function persistedRecord(keys: readonly WorkflowKey[]): Promise<Record<string, number>> {
	const rows = await query<{ id: string; staticData: Record<string, unknown> | null }>(
		'SELECT id, "staticData" FROM workflow_entity WHERE id = ANY($1)',
		[keys.map((key) => workflowId(key))],
	);
	return Object.fromEntries(
		keys.map((key) => {
			const row = rows.find((candidate) => candidate.id === workflowId(key));
			const node = row?.staticData?.['node:Partner Trigger'] as
				{ acceptedDeliveries?: unknown } | undefined;
			return [key, savedEntryCount(node?.acceptedDeliveries)];
		}),
	);
}

interface PhaseReport {
	phase: string;
	requests: number;
	summary: LoadSummary;
	/** Accepted answers (executions started) for a delivery that had already started one. */
	duplicates: number;
	/** Per webhook process (through nginx): requests served and executions started. */
	perProcess: Record<string, { requests: number; accepted: number }>;
	/**
	 * With simultaneous copies: the deliveries whose copies nginx gave to one process, and to
	 * both, with how many of each started more than one execution.
	 */
	copies?: {
		sameProcess: { deliveries: number; startedTwice: number };
		differentProcesses: { deliveries: number; startedTwice: number };
	};
	settleSeconds: number;
	executionsAfter: number;
	crmPostsAfter: number;
	/** Record entries in PostgreSQL per workflow after settling (each workflow got 1/5). */
	persistedRecordAfter: Record<string, number>;
}

describe(`${DISTINCT} distinct deliveries through nginx to two webhook processes`, () => {
	const state = readState();
	const runId = Date.now().toString(36).toUpperCase();
	const deliveries = distinctDeliveries(DISTINCT, {
		runId,
		targets: TEST_TRIGGERS.map((trigger) => targetOf(trigger.key, trigger.mainEvent)),
	});
	const raceDeliveries = distinctDeliveries(RACE, {
		runId: `${runId}R`,
		targets: RACE_WORKFLOWS.map((key) => targetOf(key, 'qoala-claim')),
	});
	const viaNginx = (delivery: LoadDelivery) =>
		urlOf(delivery.workflow as WorkflowKey, undefined, state);
	const processName = (servedBy: unknown) => {
		const index = state.webhookProcesses.findIndex(
			(base) => base.replace('http://', '') === servedBy,
		);
		return index < 0 ? `unknown (${String(servedBy)})` : `webhook #${index + 1}`;
	};

	/** deliveryKey → accepted answers so far, per delivery (index) and per key. */
	const acceptedByKey = new Map<string, number>();
	const keyOf = new Map<LoadDelivery, string>();
	const phases: PhaseReport[] = [];
	const allAnswers: LoadAnswer[] = [];
	/** Accepted answers so far per group of workflows: the executions n8n owes them. */
	const expectedExecutions = new Map<string, number>();

	async function runPhase(
		phase: string,
		list: readonly LoadDelivery[],
		copies: number,
		keys: readonly WorkflowKey[],
	): Promise<PhaseReport> {
		const answers = await sendAll(list, { senders: SENDERS, copies, urlOf: viaNginx });
		allAnswers.push(...answers);
		const group = keys.join(',');
		let duplicates = 0;
		const perProcess: PhaseReport['perProcess'] = {};
		for (const answer of answers) {
			const name = processName(answer.headers['x-served-by']);
			perProcess[name] ??= { requests: 0, accepted: 0 };
			perProcess[name].requests += 1;
			const key = answer.json?.deliveryKey;
			if (key && !keyOf.has(answer.delivery)) keyOf.set(answer.delivery, key);
			if (!isAccepted(answer) || !key) continue;
			perProcess[name].accepted += 1;
			expectedExecutions.set(group, (expectedExecutions.get(group) ?? 0) + 1);
			const before = acceptedByKey.get(key) ?? 0;
			acceptedByKey.set(key, before + 1);
			if (before > 0) duplicates += 1;
		}
		let copiesReport: PhaseReport['copies'];
		if (copies > 1) {
			copiesReport = {
				sameProcess: { deliveries: 0, startedTwice: 0 },
				differentProcesses: { deliveries: 0, startedTwice: 0 },
			};
			for (let at = 0; at < answers.length; at += copies) {
				const group = answers.slice(at, at + copies);
				const processes = new Set(group.map((answer) => answer.headers['x-served-by']));
				const bucket =
					processes.size > 1 ? copiesReport.differentProcesses : copiesReport.sameProcess;
				bucket.deliveries += 1;
				if (group.filter(isAccepted).length > 1) bucket.startedTwice += 1;
			}
		}
		const settled = await settle(keys, expectedExecutions.get(group) ?? 0, state);
		const report: PhaseReport = {
			phase,
			requests: answers.length,
			summary: summarize(answers),
			duplicates,
			perProcess,
			...(copiesReport ? { copies: copiesReport } : {}),
			settleSeconds: Number(settled.seconds.toFixed(1)),
			executionsAfter: settled.executions.total,
			crmPostsAfter: settled.crmPosts,
			persistedRecordAfter: await persistedRecord(keys),
		};
		phases.push(report);
		process.stdout.write(
			`[queue] ${phase}: ${report.requests} requests in ${report.summary.seconds} s (${report.summary.requestsPerSecond}/s, p50 ${report.summary.latencyMs.p50} ms, p95 ${report.summary.latencyMs.p95} ms), ` +
				`${report.summary.accepted} started an execution, ${duplicates} of them duplicates; settled ${report.settleSeconds} s later; ` +
				`record in PostgreSQL: ${JSON.stringify(report.persistedRecordAfter)}\n`,
		);
		return report;
	}

	let final: {
		executions: ExecutionCounts;
		records: CrmRecord[];
		raceExecutions: ExecutionCounts;
		raceRecords: CrmRecord[];
	};

	beforeAll(async () => {
		const started = Date.now();
		const loadKeys = LOAD_WORKFLOWS;
		await runPhase(
			`1. ${DISTINCT} distinct deliveries, ${SENDERS} senders`,
			deliveries,
			1,
			loadKeys,
		);
		await runPhase('2. each again, twice at the same moment', deliveries, 2, loadKeys);
		await runPhase('3. a third copy of each, after settling', deliveries, 1, loadKeys);
		await runPhase(
			`4. ${RACE} new deliveries, first two copies at the same moment`,
			raceDeliveries,
			2,
			RACE_WORKFLOWS,
		);
		final = {
			executions: await executionCounts(loadKeys),
			records: await crmRecords(loadKeys, state),
			raceExecutions: await executionCounts(RACE_WORKFLOWS),
			raceRecords: await crmRecords(RACE_WORKFLOWS, state),
		};
		const upserts = (records: CrmRecord[]) => {
			const store = new Map<string, number>();
			for (const record of records) {
				const key = record.body.deliveryKey ?? '(none)';
				store.set(key, (store.get(key) ?? 0) + 1);
			}
			return {
				upserts: records.length,
				records: store.size,
				updatesOfAnExistingRecord: records.length - store.size,
				mostUpsertsForOneKey: Math.max(0, ...store.values()),
			};
		};
		const seconds = (Date.now() - started) / 1000;
		writeReport('load', {
			balance: state.balance,
			distinct: DISTINCT,
			raceDeliveries: RACE,
			senders: SENDERS,
			phases,
			totals: {
				requests: allAnswers.length,
				duplicateExecutions: phases.slice(0, 3).reduce((sum, phase) => sum + phase.duplicates, 0),
				executions: final.executions,
				crm: upserts(final.records),
				race: {
					duplicateExecutions: phases[3].duplicates,
					executions: final.raceExecutions,
					crm: upserts(final.raceRecords),
				},
			},
			seconds: Number(seconds.toFixed(1)),
			setupSeconds: Number(state.setupSeconds.toFixed(1)),
			versions: {
				postgres: state.postgres.version,
				redis: state.redis.version.split(' ').slice(0, 3).join(' '),
				nginx: state.nginx.version,
			},
		});
		process.stdout.write(
			`[queue] load done in ${seconds.toFixed(1)} s: ${final.records.length} CRM upserts for ${upserts(final.records).records} records (${DISTINCT} deliveries); race: ${final.raceRecords.length} upserts for ${upserts(final.raceRecords).records} records (${RACE} deliveries)\n`,
		);
	});

	it('answers every request 200 {"received": true}, none lost in transport', () => {
		const wrong = allAnswers.filter(
			(answer) => answer.status !== 200 || answer.json?.received !== true,
		);
		expect(
			wrong.slice(0, 5).map((answer) => ({
				subject: answer.delivery.subject,
				status: answer.status,
				error: answer.error,
				body: answer.json,
			})),
		).toEqual([]);
	});

	it('gives each delivery one deliveryKey, the same in every answer', () => {
		const keys = new Set<string>();
		for (const answer of allAnswers) {
			expect(answer.json?.deliveryKey).toBe(keyOf.get(answer.delivery));
		}
		for (const delivery of deliveries) keys.add(keyOf.get(delivery) ?? '');
		expect(keys.size).toBe(DISTINCT);
	});

	it('ran every distinct delivery at least once', () => {
		const posted = new Set(final.records.map((record) => record.body.deliveryKey));
		const missing = deliveries.filter((delivery) => !posted.has(keyOf.get(delivery)));
		expect(missing.map((delivery) => delivery.subject)).toEqual([]);
		const racePosted = new Set(final.raceRecords.map((record) => record.body.deliveryKey));
		expect(
			raceDeliveries
				.filter((delivery) => !racePosted.has(keyOf.get(delivery)))
				.map((delivery) => delivery.subject),
		).toEqual([]);
	});

	it('turned every accepted answer into one successful execution and one CRM post', () => {
		const accepted = (list: readonly LoadDelivery[]) =>
			allAnswers.filter((answer) => list.includes(answer.delivery) && isAccepted(answer)).length;
		expect(final.executions.byStatus).toEqual({ success: accepted(deliveries) });
		expect(final.records).toHaveLength(accepted(deliveries));
		expect(final.raceExecutions.byStatus).toEqual({ success: accepted(raceDeliveries) });
		expect(final.raceRecords).toHaveLength(accepted(raceDeliveries));
	});

	it(`ends with exactly ${DISTINCT} records when the CRM upserts by deliveryKey`, () => {
		const records = new Set(final.records.map((record) => record.body.deliveryKey));
		expect(records.size).toBe(DISTINCT);
		expect(new Set(final.raceRecords.map((record) => record.body.deliveryKey)).size).toBe(RACE);
	});
});
