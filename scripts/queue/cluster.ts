/**
 * n8n 2.40.7 in queue mode on one machine, with this package installed the way n8n's
 * community-package installer does:
 *
 *   nginx ──/webhook/──▶ n8n webhook #1 ─┐
 *        └─/webhook/──▶ n8n webhook #2 ─┼─▶ Redis (Bull queue) ─▶ n8n worker
 *        └─ rest ─────▶ n8n main ───────┘        all on one PostgreSQL database
 *
 *   const cluster = new QueueCluster({ runDir, balance: 'round-robin' });
 *   await cluster.start({ tarball, credentials, workflows });
 *   cluster.webhookUrl(webhookId)             // through nginx
 *   cluster.webhookUrl(webhookId, 0)          // webhook process #1 directly
 *   await cluster.query('SELECT …', [...])    // n8n's PostgreSQL database
 *   await cluster.stop();                     // everything it started, also after a failure
 *
 * The settings are n8n's documented queue-mode ones, checked against @n8n/config 2.40.7:
 * EXECUTIONS_MODE=queue, QUEUE_BULL_REDIS_HOST/PORT, DB_TYPE=postgresdb + DB_POSTGRESDB_*, one
 * N8N_ENCRYPTION_KEY for every process, N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true on main (so
 * production webhooks are served by the webhook processes only), N8N_WEBHOOK_URL = nginx (the
 * URL the editor shows and the trigger records at activation), QUEUE_HEALTH_CHECK_ACTIVE on the
 * worker (its readiness endpoint).
 *
 * One user folder per process, each with the package installed into .n8n/nodes: in queue mode
 * n8n's installer runs in every process (main publishes `community-package-install`, webhook
 * processes and workers install into their own folder), while the installed_packages rows live
 * once in the shared database.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { N8nInstance, freePort, sleep } from '../n8n/instance';
import {
	describeInstalledPackage,
	installTarball,
	type DescribedPackage,
	type InstalledPackage,
} from '../n8n/package';
import { POSTGRES, assertPublished, publishStatements } from '../n8n/publish';
import { Services, pgModule, type Balance, type PgClient, type PgPool } from './services';

export type { Balance };

const say = (text: string) => process.stdout.write(`[queue] ${text}\n`);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

export const WEBHOOK_PROCESSES = 2;

/** A workflow to import: its id, and its nodes' webhook ids (the URLs to wait for). */
interface ClusterWorkflow {
	id: string;
	nodes: Array<{ webhookId?: string }>;
}

/** How long a webhook process may take to exit after SIGTERM before it is killed (see stop). */
const WEBHOOK_STOP_MS = 5000;

export class QueueCluster {
	runDir: string;
	balance: Balance;
	workerConcurrency: number;
	services: Services;
	encryptionKey: string;
	main: N8nInstance | undefined;
	worker: N8nInstance | undefined;
	webhooks: N8nInstance[];
	timings: Record<string, number>;
	pool: PgPool | undefined;
	nginxPort: number | undefined;
	installed: InstalledPackage | undefined;

	constructor({
		runDir,
		balance = 'round-robin',
		workerConcurrency = 10,
	}: {
		runDir: string;
		balance?: Balance;
		workerConcurrency?: number;
	}) {
		this.runDir = path.resolve(runDir);
		this.balance = balance;
		this.workerConcurrency = workerConcurrency;
		this.services = new Services(this.runDir);
		this.encryptionKey = crypto.randomBytes(24).toString('base64url');
		this.main = undefined;
		this.worker = undefined;
		this.webhooks = [];
		this.timings = {};
		this.pool = undefined;
		this.nginxPort = undefined;
		this.installed = undefined;
	}

	/** Every n8n process, main first. */
	get n8nProcesses(): N8nInstance[] {
		return [this.main, this.worker, ...this.webhooks].filter(
			(n8n): n8n is N8nInstance => n8n !== undefined,
		);
	}

	/** The environment every n8n process shares (queue mode, database, key, public URL). */
	sharedEnv(): Record<string, string> {
		const { postgres, redis } = this.services;
		if (!postgres || !redis) throw new Error('start PostgreSQL and Redis first');
		return {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password ?? '',
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_WEBHOOK_URL: `http://127.0.0.1:${this.nginxPort}/`,
			// nginx sets X-Forwarded-For; n8n trusts one proxy hop.
			N8N_PROXY_HOPS: '1',
		};
	}

	/**
	 * Starts PostgreSQL and Redis, installs the packed package into every process's user folder,
	 * imports credentials and workflows (published), then main, the worker, the webhook
	 * processes and nginx; resolves once every workflow's webhook answers through nginx and on
	 * each webhook process. On failure everything started is stopped before the error is thrown.
	 */
	async start({
		tarball,
		credentials,
		workflows,
	}: {
		tarball: string;
		credentials: unknown[];
		workflows: Array<ClusterWorkflow>;
	}): Promise<QueueCluster> {
		const started = Date.now();
		try {
			await this.startServices();
			await this.prepareProcesses(tarball);
			await this.importScenario({ credentials, workflows });
			await this.startN8n(workflows);
		} catch (error) {
			await this.stop();
			throw error;
		}
		this.timings.start = (Date.now() - started) / 1000;
		say(`queue-mode n8n ready in ${seconds(started)}: ${this.describe()}`);
		return this;
	}

	async startServices(): Promise<void> {
		let since = Date.now();
		const postgres = await this.services.startPostgres();
		say(`PostgreSQL ${postgres.version} on 127.0.0.1:${postgres.port} (${seconds(since)})`);
		since = Date.now();
		const redis = await this.services.startRedis();
		say(
			`${redis.version.split(' ').slice(0, 3).join(' ')} on 127.0.0.1:${redis.port} (${seconds(since)})`,
		);
		this.pool = new (pgModule().Pool)({
			host: postgres.host,
			port: postgres.port,
			database: postgres.database,
			user: postgres.user,
			password: postgres.password,
			max: 2,
		});
		// The pool's idle clients must not keep a finished run alive, nor fail it on a restart.
		this.pool.on('error', () => {});
		this.nginxPort = await freePort();
	}

	async prepareProcesses(tarball: string): Promise<void> {
		const since = Date.now();
		const shared = this.sharedEnv();
		const folder = (name: string) => path.join(this.runDir, name);
		this.main = await N8nInstance.create({
			userFolder: folder('main'),
			logFile: path.join(this.runDir, 'main.log'),
			env: { ...shared, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
		});
		const workerHealthPort = await freePort();
		this.worker = await N8nInstance.create({
			userFolder: folder('worker'),
			port: workerHealthPort,
			healthPort: workerHealthPort,
			command: 'worker',
			logFile: path.join(this.runDir, 'worker.log'),
			env: {
				...shared,
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(workerHealthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				N8N_CONCURRENCY_PRODUCTION_LIMIT: String(this.workerConcurrency),
			},
		});
		for (let index = 0; index < WEBHOOK_PROCESSES; index += 1) {
			this.webhooks.push(
				await N8nInstance.create({
					userFolder: folder(`webhook-${index + 1}`),
					command: 'webhook',
					logFile: path.join(this.runDir, `webhook-${index + 1}.log`),
					env: shared,
				}),
			);
		}
		for (const n8n of this.n8nProcesses) this.installed = installTarball(tarball, n8n.userFolder);
		this.timings.install = (Date.now() - since) / 1000;
		say(
			`package installed into ${this.n8nProcesses.length} user folders as n8n's installer does (${seconds(since)})`,
		);
	}

	async importScenario({
		credentials,
		workflows,
	}: {
		credentials: unknown[];
		workflows: ClusterWorkflow[];
	}): Promise<void> {
		const main = this.started(this.main);
		let since = Date.now();
		// The first CLI command creates n8n's tables in PostgreSQL.
		main.importCredentials(credentials);
		say(`database migrated, ${credentials.length} credentials imported (${seconds(since)})`);
		since = Date.now();
		await this.registerPackage();
		main.importWorkflows(workflows, { publish: false });
		await this.publish(workflows.map((workflow) => workflow.id));
		this.timings.importWorkflows = (Date.now() - since) / 1000;
		say(`${workflows.length} workflows imported and published (${seconds(since)})`);
	}

	/** Runs `work` in one transaction of the shared database: all of it, or none and the error. */
	private async inTransaction<T>(work: (client: PgClient) => Promise<T>): Promise<T> {
		const client = await this.started(this.pool).connect();
		try {
			await client.query('BEGIN');
			const result = await work(client);
			await client.query('COMMIT');
			return result;
		} catch (error) {
			await client.query('ROLLBACK').catch(() => {});
			throw error;
		} finally {
			client.release();
		}
	}

	/** What n8n's publish command writes (../n8n/publish.ts), in the shared database. */
	async publish(ids: readonly string[]): Promise<void> {
		const { update, published } = publishStatements(ids, POSTGRES);
		await this.inTransaction(async (client) => {
			await client.query(update, [...ids]);
			assertPublished(ids, (await client.query<{ id: string }>(published, [...ids])).rows);
		});
	}

	/** The installer's installed_packages / installed_nodes rows, once, in the shared database. */
	async registerPackage(): Promise<DescribedPackage> {
		const described = describeInstalledPackage(this.started(this.installed).packageDir);
		await this.inTransaction(async (client) => {
			await client.query('DELETE FROM installed_nodes WHERE package = $1', [described.packageName]);
			await client.query('DELETE FROM installed_packages WHERE "packageName" = $1', [
				described.packageName,
			]);
			await client.query(
				`INSERT INTO installed_packages ("packageName", "installedVersion", "authorName", "authorEmail", "createdAt", "updatedAt")
				 VALUES ($1, $2, $3, $4, NOW(), NOW())`,
				[described.packageName, described.version, described.authorName, described.authorEmail],
			);
			for (const node of described.nodes) {
				await client.query(
					'INSERT INTO installed_nodes (name, type, "latestVersion", package) VALUES ($1, $2, $3, $4)',
					[node.name, node.type, node.latestVersion, described.packageName],
				);
			}
		});
		return described;
	}

	async startN8n(workflows: ClusterWorkflow[]): Promise<void> {
		const main = this.started(this.main);
		let since = Date.now();
		await main.start();
		await this.waitForPublished(workflows.map((workflow) => workflow.id));
		say(`main ready and workflows published (${seconds(since)})`);
		since = Date.now();
		await Promise.all([this.started(this.worker), ...this.webhooks].map((n8n) => n8n.start()));
		say(`worker and ${this.webhooks.length} webhook processes ready (${seconds(since)})`);
		since = Date.now();
		const lb = await this.services.startNginx({
			port: this.nginxPort,
			webhookPorts: this.webhooks.map((n8n) => n8n.port),
			mainPort: main.port,
			balance: this.balance,
		});
		say(`${lb.version} on 127.0.0.1:${lb.port}, ${lb.balance} (${seconds(since)})`);
		since = Date.now();
		const webhookIds = workflows.flatMap((workflow) =>
			workflow.nodes.flatMap((node) => (node.webhookId ? [node.webhookId] : [])),
		);
		for (const target of [...this.webhooks.keys(), undefined]) {
			const urls = webhookIds.map((id) => this.webhookUrl(id, target));
			await this.webhooks[0].waitForWebhooks(urls);
		}
		say(`every webhook answers on each webhook process and through nginx (${seconds(since)})`);
	}

	/**
	 * Waits until n8n serves the published version of these workflows (as N8nInstance does for
	 * SQLite: see waitForPublished there), here in PostgreSQL.
	 */
	async waitForPublished(workflowIds: string[], { timeoutMs = 60000 } = {}): Promise<void> {
		const sql = `SELECT w.id FROM workflow_entity w
			LEFT JOIN workflow_published_version p ON p."workflowId" = w.id
			WHERE w.id = ANY($1)
			AND (w."activeVersionId" IS NULL OR p."publishedVersionId" IS NULL OR p."publishedVersionId" != w."activeVersionId"
				OR EXISTS (SELECT 1 FROM workflow_publication_outbox o WHERE o."workflowId" = w.id AND o.status NOT IN ('completed', 'failed')))`;
		const started = Date.now();
		for (;;) {
			const lagging = (await this.query<{ id: string }>(sql, [workflowIds])).map((row) => row.id);
			if (lagging.length === 0) return;
			if (Date.now() - started > timeoutMs)
				throw new Error(
					`workflows ${lagging.join(', ')} are not published after ${timeoutMs / 1000} s; main's log:\n${this.main?.logTail()}`,
				);
			await sleep(300);
		}
	}

	/** SQL against n8n's PostgreSQL database. */
	async query<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> {
		return (await this.started(this.pool).query<Row>(sql, params)).rows;
	}

	/** The processes and services of a started cluster (throws before start() has finished). */
	running(): {
		main: N8nInstance;
		worker: N8nInstance;
		postgres: NonNullable<Services['postgres']>;
		redis: NonNullable<Services['redis']>;
		nginx: NonNullable<Services['nginx']>;
	} {
		const { postgres, redis, nginx } = this.services;
		return {
			main: this.started(this.main),
			worker: this.started(this.worker),
			postgres: this.started(postgres),
			redis: this.started(redis),
			nginx: this.started(nginx),
		};
	}

	/** What start() sets up, once it has: a call before that is a mistake of the caller. */
	private started<T>(value: T | undefined): T {
		if (value === undefined) throw new Error('the queue cluster is not started');
		return value;
	}

	/** Base URL of nginx (no index) or of webhook process #index directly. */
	baseUrl(index?: number): string {
		return index === undefined
			? `http://127.0.0.1:${this.nginxPort}`
			: `http://127.0.0.1:${this.webhooks[index].port}`;
	}

	webhookUrl(webhookId: string, index?: number, webhookPath = 'webhook'): string {
		return `${this.baseUrl(index)}/webhook/${webhookId}/${webhookPath}`;
	}

	describe(): string {
		return [
			`nginx ${this.baseUrl()} (${this.balance})`,
			...this.webhooks.map((n8n, index) => `webhook #${index + 1} ${n8n.baseUrl}`),
			`main ${this.main?.baseUrl}`,
			`worker (health :${this.worker?.healthPort}, concurrency ${this.workerConcurrency})`,
			`PostgreSQL :${this.services.postgres?.port}`,
			`Redis :${this.services.redis?.port}`,
		].join(', ');
	}

	/**
	 * Stops the n8n processes (webhooks first, main last), then nginx, Redis and PostgreSQL.
	 * The webhook processes get 5 s, not the 20 s default: they run no execution (the worker
	 * does), yet n8n 2.40.7's `n8n webhook` keeps waiting on SIGTERM for executions that have
	 * already finished until it is killed, so every second past their last answer is idle.
	 */
	async stop(): Promise<void> {
		const since = Date.now();
		await Promise.all(this.webhooks.map((n8n) => n8n.stop({ timeoutMs: WEBHOOK_STOP_MS })));
		await this.worker?.stop();
		await this.main?.stop();
		if (this.pool) {
			await this.pool.end().catch(() => {});
			this.pool = undefined;
		}
		await this.services.stopAll();
		this.timings.stop = (Date.now() - since) / 1000;
	}

	/** Synchronous last resort for 'exit' handlers. */
	killNow(): void {
		for (const n8n of this.n8nProcesses) n8n.killNow();
		this.services.killAllNow();
	}
}

/** A folder for one run, removed by the caller unless kept. */
export function makeRunDir(prefix = 'n8n-insurance-queue-'): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
