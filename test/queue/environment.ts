/**
 * The queue-mode suite's access to its environment: the queue-mode cluster of scripts/queue,
 * the run's state file, and n8n's PostgreSQL database.
 *
 * globalSetup starts the cluster (PostgreSQL, Redis, n8n main, worker, two webhook processes,
 * nginx) and the CRM stand-in once, and writes their coordinates to a state file that the test
 * files read; globalTeardown stops all of it.
 */
import { createHash } from 'node:crypto';

import { webhookId, workflowId, workflowsToImport, type WorkflowKey } from '../e2e/scenario';

import * as cluster from '../../scripts/queue/cluster';
import type { Balance } from '../../scripts/queue/cluster';
import * as services from '../../scripts/queue/services';
import type { PostgresConnection } from '../../scripts/queue/services';
import { stateFileAt } from '../helpers/stateFile';
import { TEST_TRIGGERS, type TriggerKey } from '../helpers/triggers';

export { cluster, services };
export type { Balance, QueueCluster } from '../../scripts/queue/cluster';
export type { PostgresConnection } from '../../scripts/queue/services';

// ---------------------------------------------------------------------------------------------
// What the cluster runs: the e2e scenario's credentials, and the workflows this suite needs.

/** One workflow per trigger of the registry with its default authentication: the load goes there. */
export const LOAD_WORKFLOWS: readonly TriggerKey[] = TEST_TRIGGERS.map((trigger) => trigger.key);

/** The same triggers with a filter the samples fall outside of. */
export const FILTERED_WORKFLOWS = LOAD_WORKFLOWS.map((key) => `${key}Filtered` as const);

/** Qoala claim triggers with other schemes: where two copies of a new delivery race. */
export const RACE_WORKFLOWS = [
	'qoalaHmacHex',
	'qoalaMd5Hmac',
	'qoalaBearer',
	'qoalaBasicAuth',
] as const satisfies readonly WorkflowKey[];

/** A Qoala claim trigger for deliveries sent to one webhook process, then the other. */
export const CROSS_PROCESS_WORKFLOW = 'qoalaHmacBase64' satisfies WorkflowKey;

export const QUEUE_WORKFLOWS: readonly WorkflowKey[] = [
	...LOAD_WORKFLOWS,
	...FILTERED_WORKFLOWS,
	...RACE_WORKFLOWS,
	CROSS_PROCESS_WORKFLOW,
];

/**
 * A UUID-shaped id derived from a longer one: n8n's PostgreSQL schema keeps node ids in
 * varchar(36), and the e2e scenario's trigger ids are 44 characters (fine on SQLite).
 */
function shortNodeId(id: string): string {
	if (id.length <= 36) return id;
	const hex = createHash('sha256').update(id).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

interface WorkflowJson {
	id: string;
	nodes: Array<{ id: string; webhookId?: string }>;
}

/** The e2e scenario's workflows for these keys, with node ids PostgreSQL accepts. */
export function queueWorkflows(
	crmUrl: string,
	keys: readonly WorkflowKey[] = QUEUE_WORKFLOWS,
): WorkflowJson[] {
	const wanted = new Set(keys.map((key) => workflowId(key)));
	return (workflowsToImport(crmUrl) as unknown as WorkflowJson[])
		.filter((workflow) => wanted.has(workflow.id))
		.map((workflow) => ({
			...workflow,
			nodes: workflow.nodes.map((node) => ({ ...node, id: shortNodeId(node.id) })),
		}));
}

// ---------------------------------------------------------------------------------------------
// State shared between globalSetup, the test files and globalTeardown.

export interface QueueState {
	runDir: string;
	balance: Balance;
	crmUrl: string;
	tarball: string;
	postgres: PostgresConnection;
	nginx: { baseUrl: string; accessLog: string; version: string };
	redis: { version: string };
	/** Base URL of each webhook process, in order (#1, #2). */
	webhookProcesses: string[];
	main: string;
	setupSeconds: number;
	timings: Record<string, number>;
	debianPackages: { installed: string[]; seconds: number };
	startedAt: number;
}

export const { stateFile, setStateFile, readState, writeState } = stateFileAt<QueueState>(
	'N8N_INSURANCE_QUEUE_STATE',
	'npm run test:queue',
);

/** A webhook URL through nginx (no index) or on webhook process #index directly. */
export function urlOf(key: WorkflowKey, index?: number, state = readState()): string {
	const base = index === undefined ? state.nginx.baseUrl : state.webhookProcesses[index];
	return `${base}/webhook/${webhookId(key)}/webhook`;
}

/** SQL against n8n's PostgreSQL database. */
export async function query<Row = Record<string, unknown>>(
	sql: string,
	params: unknown[] = [],
): Promise<Row[]> {
	return await services.pgQuery<Row>(readState().postgres, sql, params);
}

export { sleep } from '../e2e/harness';
