/**
 * The e2e suite's access to the real n8n: the harness in scripts/n8n (shared with `npm start`,
 * imported here from its TypeScript sources), plus the run's state file and the CRM stand-in.
 *
 * globalSetup starts one n8n and one CRM stand-in for the whole run and writes their
 * coordinates to a state file; test files read it (they run in the same process, in band,
 * but in their own module registry) and may restart n8n, which updates the file so
 * globalTeardown stops whatever is running at the end.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { buildUnlessCurrent } from '../../scripts/build-stamp';
import * as instance from '../../scripts/n8n/instance';
import type { N8nInstance } from '../../scripts/n8n/instance';
import * as pkg from '../../scripts/n8n/package';
import * as prepare from '../../scripts/n8n/prepare';
import * as runtime from '../../scripts/n8n/runtime';
import * as workflows from '../../scripts/n8n/workflows';
import { stateFileAt } from '../helpers/stateFile';

export { buildUnlessCurrent, instance, pkg, prepare, runtime, workflows };
export type { N8nInstance } from '../../scripts/n8n/instance';
export type { ChainedWorkflow } from '../../scripts/n8n/workflows';

export interface E2EState {
	runDir: string;
	userFolder: string;
	logFile: string;
	port: number;
	brokerPort: number;
	/** Process group of the running n8n (its supervisor's pid). */
	pid: number | undefined;
	crmUrl: string;
	tarball: string;
	packedFiles: string[];
	packageDir: string;
	workflowIds: string[];
	webhookUrls: string[];
}

export const { stateFile, setStateFile, readState, writeState } = stateFileAt<E2EState>(
	'N8N_INSURANCE_E2E_STATE',
	'npm run test:e2e',
);

/** The running n8n as an object (the state file holds its pid). */
export function currentN8n(state = readState()): N8nInstance {
	const n8n = new instance.N8nInstance({
		userFolder: state.userFolder,
		port: state.port,
		brokerPort: state.brokerPort,
		logFile: state.logFile,
	});
	n8n.pid = state.pid;
	return n8n;
}

/** Starts n8n and waits until every test workflow's published version answers. */
export async function startN8n(n8n: N8nInstance, state: E2EState): Promise<void> {
	await n8n.start();
	state.pid = n8n.pid;
	writeState(state);
	await n8n.waitForPublished(state.workflowIds);
	await n8n.waitForWebhooks(state.webhookUrls);
}

/** Stops the running n8n and starts it again on the same port and database. */
export async function restartN8n(): Promise<void> {
	const state = readState();
	const n8n = currentN8n(state);
	await n8n.stop();
	state.pid = undefined;
	writeState(state);
	await startN8n(n8n, state);
}

// ---------------------------------------------------------------------------------------------
// The CRM stand-in: records every POST /crm/<key> (what the workflows' HTTP Request nodes send)
// and serves them back at GET /records.

export interface CrmRecord {
	key: string;
	at: string;
	headers: http.IncomingHttpHeaders;
	body: unknown;
}

export interface CrmStandIn {
	url: string;
	close(): Promise<void>;
}

/**
 * How the CRM answers the posts for one workflow key (PUT /behaviour/<key>): a CRM that is
 * down for the first attempts of each notification, fails at random, or is slow. A failed post
 * is answered 503 and not recorded, as a real CRM that did not store it.
 */
export interface CrmBehaviour {
	/** Fail the first N posts of each deliveryKey. */
	failFirst?: number;
	/** Fail this share of posts at random (0 to 1)… */
	failRate?: number;
	/** …but never more than this many posts of one deliveryKey (so a partner's 9 attempts suffice). */
	maxRandomFailures?: number;
	/** Hold every post unanswered until the behaviour of this key is set again. */
	hold?: boolean;
}

function deliveryKeyIn(text: string): string {
	try {
		return (JSON.parse(text) as { deliveryKey?: string } | null)?.deliveryKey ?? '';
	} catch {
		return '';
	}
}

export async function startCrm(): Promise<CrmStandIn> {
	const records: CrmRecord[] = [];
	const behaviours = new Map<string, CrmBehaviour>();
	const held = new Map<string, Array<() => void>>();
	const attemptsPerDelivery = new Map<string, number>();
	const failuresPerDelivery = new Map<string, number>();
	let failures = 0;
	const json = (response: http.ServerResponse, status: number, body: unknown) =>
		response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
	const store = (key: string, request: http.IncomingMessage, text: string) => {
		let body: unknown = text;
		try {
			body = JSON.parse(text);
		} catch {
			// kept as text; the test will say so
		}
		const behaviour = behaviours.get(key) ?? {};
		const deliveryKey = deliveryKeyIn(text);
		const attempt = (attemptsPerDelivery.get(`${key}/${deliveryKey}`) ?? 0) + 1;
		attemptsPerDelivery.set(`${key}/${deliveryKey}`, attempt);
		const failedBefore = failuresPerDelivery.get(`${key}/${deliveryKey}`) ?? 0;
		const fails =
			attempt <= (behaviour.failFirst ?? 0) ||
			(failedBefore < (behaviour.maxRandomFailures ?? Infinity) &&
				Math.random() < (behaviour.failRate ?? 0));
		if (fails) failuresPerDelivery.set(`${key}/${deliveryKey}`, failedBefore + 1);
		if (fails) {
			failures += 1;
			return false;
		}
		records.push({ key, at: new Date().toISOString(), headers: request.headers, body });
		return true;
	};
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const url = new URL(request.url ?? '/', 'http://crm');
			const text = Buffer.concat(chunks).toString('utf8');
			if (request.method === 'POST' && url.pathname.startsWith('/crm/')) {
				const key = url.pathname.slice('/crm/'.length);
				// The deliveryKey is echoed, so an answer passed on to the partner (Respond: When
				// Last Node Finishes) still says which notification it was.
				const answer = () =>
					store(key, request, text)
						? json(response, 200, { stored: true, deliveryKey: deliveryKeyIn(text) })
						: json(response, 503, { error: 'The CRM is unavailable' });
				if (behaviours.get(key)?.hold) held.set(key, [...(held.get(key) ?? []), answer]);
				else answer();
				return;
			}
			if (request.method === 'PUT' && url.pathname.startsWith('/behaviour/')) {
				const key = url.pathname.slice('/behaviour/'.length);
				behaviours.set(key, JSON.parse(text) as CrmBehaviour);
				const release = held.get(key) ?? [];
				held.delete(key);
				for (const answer of release) answer();
				json(response, 200, { held: release.length });
				return;
			}
			if (request.method === 'GET' && url.pathname === '/records') {
				const key = url.searchParams.get('key');
				json(response, 200, key === null ? records : records.filter((r) => r.key === key));
				return;
			}
			if (request.method === 'GET' && url.pathname === '/failures') {
				json(response, 200, { failures });
				return;
			}
			response.writeHead(404).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/**
 * Makes the CRM stand-in answer the posts for `key` this way from now on; posts it was holding
 * are answered now. Resolves to how many it was holding.
 */
export async function setCrmBehaviour(key: string, behaviour: CrmBehaviour): Promise<number> {
	const answer = await instance.request('PUT', `${readState().crmUrl}/behaviour/${key}`, {
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(behaviour),
	});
	if (answer.status !== 200) throw new Error(`the CRM stand-in refused ${key}: ${answer.status}`);
	return (JSON.parse(answer.body) as { held: number }).held;
}

/** How many posts the CRM stand-in has failed on purpose so far. */
export async function crmFailures(): Promise<number> {
	const answer = await instance.request('GET', `${readState().crmUrl}/failures`);
	return (JSON.parse(answer.body) as { failures: number }).failures;
}

/** What the CRM stand-in received from the workflow posting to /crm/<key>. */
export async function crmRecords(key: string): Promise<CrmRecord[]> {
	const answer = await instance.request(
		'GET',
		`${readState().crmUrl}/records?key=${encodeURIComponent(key)}`,
	);
	return JSON.parse(answer.body) as CrmRecord[];
}

// ---------------------------------------------------------------------------------------------
// n8n's own execution records (its SQLite database, read with Node 24's node:sqlite).

export interface ExecutionRow {
	id: number;
	workflowId: string;
	status: string;
	mode: string;
	finished: number;
}

export function executions(workflowId: string): ExecutionRow[] {
	return pkg.queryDatabase<ExecutionRow>(
		readState().userFolder,
		'SELECT id, workflowId, status, mode, finished FROM execution_entity WHERE workflowId = ? ORDER BY id',
		[workflowId],
	);
}

export const { sleep } = instance;

/** Polls until `probe` returns a value that `done` accepts; returns the last value either way. */
export async function waitFor<T>(
	probe: () => T | Promise<T>,
	done: (value: T) => boolean,
	timeoutMs = 20000,
): Promise<T> {
	const started = Date.now();
	for (;;) {
		const value = await probe();
		if (done(value) || Date.now() - started > timeoutMs) return value;
		await sleep(250);
	}
}

/** Waits until the workflow has `count` finished executions (or more); returns them. */
export async function finishedExecutions(
	workflowId: string,
	count: number,
): Promise<ExecutionRow[]> {
	return await waitFor(
		() => executions(workflowId),
		(rows) =>
			rows.filter((row) => row.status !== 'new' && row.status !== 'running').length >= count,
	);
}

/**
 * Waits until no execution of these workflows is unfinished and their saved static data has
 * not changed for a quiet period: what a restart of n8n must keep is in the database by then.
 * Throws when that does not happen within `timeoutMs`, rather than letting a test go on hoping.
 */
export async function settledInDatabase(
	workflowIds: readonly string[],
	timeoutMs = 60000,
): Promise<void> {
	const userFolder = readState().userFolder;
	const placeholders = workflowIds.map(() => '?').join(', ');
	const snapshot = () =>
		JSON.stringify([
			pkg.queryDatabase(
				userFolder,
				`SELECT id, staticData FROM workflow_entity WHERE id IN (${placeholders}) ORDER BY id`,
				[...workflowIds],
			),
			workflowIds.flatMap((id) => executions(id)),
		]);
	const unfinished = (text: string) => /"status":"(new|running)"/.test(text);
	const started = Date.now();
	let last = snapshot();
	let stableSince = Date.now();
	while (Date.now() - started < timeoutMs) {
		await sleep(250);
		const now = snapshot();
		if (now !== last || unfinished(now)) {
			last = now;
			stableSince = Date.now();
		} else if (Date.now() - stableSince >= QUIET_PERIOD_MS) return;
	}
	throw new Error(`n8n's database did not settle within ${timeoutMs / 1000} s`);
}

/**
 * How long to keep watching for something that must NOT happen (an execution, a CRM post)
 * after n8n has answered. n8n creates an execution before it answers an accepted delivery,
 * and the CRM post follows within a few hundred ms; this is well beyond both.
 */
export const QUIET_PERIOD_MS = 2500;
