/**
 * One local n8n: its user folder, ports, CLI (with n8n stopped) and server process.
 *
 *   const n8n = new N8nInstance({ userFolder, port });
 *   n8n.importCredentials([...]); n8n.importWorkflows([...]);   // n8n stopped
 *   await n8n.start(); …; await n8n.stop();
 *
 * The server runs in a process group of its own, led by ./supervisor.ts (its compiled file),
 * which stops the group if this process dies without calling stop(). stop() terminates the
 * whole group (n8n and its task runner) and waits until none of it is left.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';

import { compiled } from '../paths';
import { n8nNodePath, publishWorkflows, queryDatabase } from './package';
import { N8N_VERSION, node24Env, paths } from './runtime';

const N8N_MAJOR = Number(N8N_VERSION.split('.')[0]);
/** How a workflow is taken offline from the CLI (n8n stopped): 2.x unpublishes, 1.x deactivates. */
const UNPUBLISH = (id: string): string[] =>
	N8N_MAJOR >= 2
		? ['unpublish:workflow', `--id=${id}`]
		: ['update:workflow', `--id=${id}`, '--active=false'];

/** A port nothing listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export interface Answer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

export function request(
	method: string,
	url: string,
	{
		headers = {},
		body,
		timeoutMs = 5000,
	}: { headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
): Promise<Answer> {
	return new Promise((resolve, reject) => {
		// A connection per request, as a partner's retry makes. With Node's keep-alive agent the
		// next request may take an idle socket n8n is closing that instant ("socket hang up",
		// failing in 8 ms: a compat run on 1.123.81 lost its first delivery that way).
		const req = http.request(url, { method, headers, timeout: timeoutMs, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () =>
				resolve({
					status: res.statusCode ?? 0,
					headers: res.headers,
					body: Buffer.concat(chunks).toString('utf8'),
				}),
			);
		});
		req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(body);
	});
}

/** Resolves after `ms` milliseconds (the one sleep of scripts/ and test/). */
export const sleep = (ms: number): Promise<void> =>
	new Promise((resolve) => setTimeout(resolve, ms));

export function groupAlive(pgid: number): boolean {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Sends `signal` to the group and waits until none of it is left, killing it after
 * `timeoutMs`. Resolves to whether it had to be killed, so a caller can tell a clean exit.
 */
export async function stopGroup(
	pgid: number,
	{ signal = 'SIGTERM', timeoutMs = 20000 }: { signal?: NodeJS.Signals; timeoutMs?: number } = {},
): Promise<{ killed: boolean }> {
	try {
		process.kill(-pgid, signal);
	} catch {
		// already gone
	}
	const started = Date.now();
	let killed = false;
	while (groupAlive(pgid)) {
		if (!killed && Date.now() - started > timeoutMs) {
			killGroupNow(pgid);
			killed = true;
		}
		await sleep(100);
	}
	return { killed };
}

/**
 * Creates n8n's owner account through its REST API (a fresh instance has none); returns the
 * auth cookie (`{ name: 'n8n-auth', value }`) that n8n's REST API and editor then accept.
 */
export async function setUpOwner(
	baseUrl: string,
	owner: { email: string; firstName: string; lastName: string; password: string },
): Promise<{ name: string; value: string }> {
	const answer = await request('POST', `${baseUrl}/rest/owner/setup`, {
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(owner),
	});
	if (answer.status !== 200) {
		throw new Error(`owner setup answered ${answer.status}: ${answer.body.slice(0, 300)}`);
	}
	const cookie = (answer.headers['set-cookie'] ?? [])
		.map((line) => line.split(';')[0])
		.find((pair) => pair.startsWith('n8n-auth='));
	if (!cookie) throw new Error('owner setup set no n8n-auth cookie');
	return { name: 'n8n-auth', value: cookie.slice('n8n-auth='.length) };
}

/** Synchronous last resort for process 'exit' handlers (no waiting possible there). */
export function killGroupNow(pgid: number): void {
	try {
		process.kill(-pgid, 'SIGKILL');
	} catch {
		// gone
	}
}

/** The last lines of a log file, for a failure message. */
export function tailOf(file: string, lines: number): string {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/** The n8n command start() runs: queue mode adds `webhook` and `worker` processes. */
export type N8nCommand = 'start' | 'webhook' | 'worker';

export interface N8nInstanceOptions {
	userFolder: string;
	port: number;
	brokerPort: number;
	logFile?: string;
	env?: Record<string, string>;
	command?: N8nCommand;
	healthPort?: number;
}

export class N8nInstance {
	userFolder: string;
	port: number;
	brokerPort: number;
	logFile: string;
	extraEnv: Record<string, string>;
	command: N8nCommand;
	healthPort: number;
	/** Process group of the running n8n (its supervisor's pid). */
	pid: number | undefined;
	/** The supervisor of the running n8n, when this object started it. */
	child: ChildProcess | undefined;
	/** How long the last start() took to readiness. */
	startedInMs: number | undefined;

	/**
	 * Use N8nInstance.create() to pick free ports. `command` is the n8n command start() runs;
	 * readiness is asked on `healthPort`, which is `port` except for a worker (its health server,
	 * QUEUE_HEALTH_CHECK_PORT).
	 */
	constructor({
		userFolder,
		port,
		brokerPort,
		logFile,
		env = {},
		command = 'start',
		healthPort,
	}: N8nInstanceOptions) {
		this.userFolder = path.resolve(userFolder);
		this.port = port;
		this.brokerPort = brokerPort;
		this.logFile = logFile ?? path.join(this.userFolder, 'n8n.log');
		this.extraEnv = env;
		this.command = command;
		this.healthPort = healthPort ?? port;
		this.pid = undefined;
		this.child = undefined;
		this.startedInMs = undefined;
		fs.mkdirSync(this.userFolder, { recursive: true });
	}

	static async create({
		userFolder,
		port,
		logFile,
		env,
		command,
		healthPort,
	}: Omit<N8nInstanceOptions, 'port' | 'brokerPort'> & { port?: number }): Promise<N8nInstance> {
		return new N8nInstance({
			userFolder,
			port: port ?? (await freePort()),
			brokerPort: await freePort(),
			logFile,
			env,
			command,
			healthPort,
		});
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Production URL of a trigger's webhook (`path` is the node's webhook path). */
	webhookUrl(webhookId: string, webhookPath = 'webhook'): string {
		return `${this.baseUrl}/webhook/${webhookId}/${webhookPath}`;
	}

	get databasePath(): string {
		return path.join(this.userFolder, '.n8n', 'database.sqlite');
	}

	env(): NodeJS.ProcessEnv {
		const env = node24Env({
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_SECURE_COOKIE: 'false',
			// What n8n would compute itself; set so CLI commands see the same module paths.
			NODE_PATH: n8nNodePath(),
			...this.extraEnv,
		});
		// Jest sets NODE_ENV=test, which makes n8n refuse to load nodes ("Not available in tests").
		if (env.NODE_ENV === 'test') delete env.NODE_ENV;
		return env;
	}

	/**
	 * Runs an n8n CLI command (n8n must be stopped); returns its output. n8n's import and
	 * publish commands exit 0 even when they fail, so `success` (a pattern the output must
	 * contain) is how a failure is told apart.
	 */
	cli(args: string[], success?: RegExp): string {
		if (this.pid !== undefined) throw new Error(`stop n8n before running "n8n ${args[0]}"`);
		const { nodeBin, n8nBin } = paths();
		let output: string;
		try {
			output = execFileSync(nodeBin, [n8nBin, ...args], {
				cwd: this.userFolder,
				env: this.env(),
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'pipe'],
				maxBuffer: 64 * 1024 * 1024,
			});
		} catch (error) {
			const { stdout, stderr } = error as { stdout?: string; stderr?: string };
			throw new Error(`n8n ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
		}
		if (success && !success.test(output))
			throw new Error(`n8n ${args.join(' ')} failed:\n${output}`);
		return output;
	}

	/** Creates/migrates the database if needed (any command does; this one changes nothing). */
	migrate(): void {
		this.cli(['list:workflow']);
	}

	/** Credentials with plain `data` objects; n8n encrypts them with this instance's key. */
	importCredentials(credentials: unknown[]): void {
		const file = path.join(this.userFolder, 'import-credentials.json');
		fs.writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
		try {
			this.cli(['import:credentials', `--input=${file}`], /Successfully imported \d+ credential/);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/**
	 * Imports all workflows in one CLI run, then publishes them in one statement (./publish.ts:
	 * what n8n's publish command writes, without one n8n start-up per workflow). `publish: false`
	 * leaves them as a user's import does, or to a caller whose database is not SQLite.
	 */
	importWorkflows(workflows: Array<{ id: string }>, { publish = true } = {}): void {
		const file = path.join(this.userFolder, 'import-workflows.json');
		fs.writeFileSync(file, JSON.stringify(workflows, null, 2));
		this.cli(
			['import:workflow', `--input=${file}`],
			new RegExp(`Successfully imported ${workflows.length} workflow`),
		);
		fs.rmSync(file, { force: true });
		if (publish)
			publishWorkflows(
				this.userFolder,
				workflows.map((workflow) => workflow.id),
			);
	}

	/** Takes a workflow offline (n8n stopped), before it is imported again. */
	unpublishWorkflow(id: string): void {
		this.cli(UNPUBLISH(id));
	}

	/** Starts `n8n start` (or this.command) and resolves once /healthz/readiness answers 200. */
	async start({ timeoutMs = 180000 } = {}): Promise<N8nInstance> {
		if (this.pid !== undefined) throw new Error('n8n is already running');
		const { nodeBin, n8nBin } = paths();
		fs.appendFileSync(
			this.logFile,
			`\n===== n8n ${this.command} ${new Date().toISOString()} port ${this.port}\n`,
		);
		const child = spawn(
			process.execPath,
			[
				compiled('n8n', 'supervisor.js'),
				String(process.pid),
				this.logFile,
				nodeBin,
				n8nBin,
				this.command,
			],
			{ cwd: this.userFolder, env: this.env(), detached: true, stdio: 'ignore' },
		);
		this.pid = child.pid;
		this.child = child;
		let exited: string | undefined;
		child.on('exit', (code, signal) => {
			exited = signal ?? `code ${code}`;
		});
		const started = Date.now();
		for (;;) {
			if (exited !== undefined) {
				this.pid = undefined;
				throw new Error(
					`n8n exited during start-up (${exited}); last log lines:\n${this.logTail()}`,
				);
			}
			if (Date.now() - started > timeoutMs) {
				await this.stop();
				throw new Error(
					`n8n was not ready after ${timeoutMs / 1000} s; last log lines:\n${this.logTail()}`,
				);
			}
			const answer = await request('GET', `http://127.0.0.1:${this.healthPort}/healthz/readiness`, {
				timeoutMs: 2000,
			}).catch(() => undefined);
			if (answer?.status === 200) break;
			await sleep(250);
		}
		this.startedInMs = Date.now() - started;
		return this;
	}

	/**
	 * Waits until n8n serves the published version of these workflows. n8n 2.40 runs a webhook
	 * from `workflow_published_version`, which its publication service brings in line with what
	 * `publish:workflow` set (activeVersionId) only after start-up, asynchronously; a delivery in
	 * between would run the previously published version.
	 */
	async waitForPublished(workflowIds: string[], { timeoutMs = 60000 } = {}): Promise<void> {
		// n8n 1.x has no published versions: it runs the workflow as saved.
		if (N8N_MAJOR < 2) return;
		const placeholders = workflowIds.map(() => '?').join(', ');
		const sql = `SELECT w.id FROM workflow_entity w
			LEFT JOIN workflow_published_version p ON p.workflowId = w.id
			WHERE w.id IN (${placeholders})
			AND (w.activeVersionId IS NULL OR p.publishedVersionId IS NULL OR p.publishedVersionId != w.activeVersionId
				OR EXISTS (SELECT 1 FROM workflow_publication_outbox o WHERE o.workflowId = w.id AND o.status NOT IN ('completed', 'failed')))`;
		const started = Date.now();
		for (;;) {
			const lagging = queryDatabase<{ id: string }>(this.userFolder, sql, workflowIds).map(
				(row) => row.id,
			);
			if (lagging.length === 0) return;
			if (Date.now() - started > timeoutMs) {
				throw new Error(
					`workflows ${lagging.join(', ')} are not published after ${timeoutMs / 1000} s; last log lines:\n${this.logTail()}`,
				);
			}
			await sleep(300);
		}
	}

	/**
	 * Waits until n8n has registered these production webhooks (activation of published workflows
	 * may finish after readiness). Probes with a CORS preflight (OPTIONS), which runs no workflow:
	 * n8n answers 204 for a registered webhook path, 404/500 otherwise.
	 */
	async waitForWebhooks(urls: string[], { timeoutMs = 60000 } = {}): Promise<void> {
		const started = Date.now();
		for (const url of urls) {
			for (;;) {
				const answer = await request('OPTIONS', url, {
					headers: { 'Access-Control-Request-Method': 'POST', Origin: this.baseUrl },
				}).catch(() => undefined);
				if (answer && answer.status >= 200 && answer.status < 300) break;
				if (Date.now() - started > timeoutMs) {
					throw new Error(
						`webhook ${url} is still not registered after ${timeoutMs / 1000} s; last log lines:\n${this.logTail()}`,
					);
				}
				await sleep(250);
			}
		}
	}

	/** Stops n8n and everything in its process group; resolves when none of it is left. */
	/** Resolves to `{ killed }`: whether n8n had to be killed after `timeoutMs`. */
	async stop({ timeoutMs = 20000 } = {}): Promise<{ killed: boolean }> {
		if (this.pid === undefined) return { killed: false };
		const outcome = await stopGroup(this.pid, { timeoutMs });
		this.pid = undefined;
		return outcome;
	}

	/** Synchronous last resort for process 'exit' handlers (no waiting possible there). */
	killNow(): void {
		if (this.pid === undefined) return;
		killGroupNow(this.pid);
		this.pid = undefined;
	}

	logTail(lines = 40): string {
		return tailOf(this.logFile, lines);
	}
}
