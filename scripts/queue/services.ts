/**
 * What n8n's queue mode needs besides n8n, from Debian's own packages, each on a free port on
 * 127.0.0.1 with its data inside the run's folder:
 *
 *   PostgreSQL   n8n's database (DB_TYPE=postgresdb), shared by every n8n process
 *   Redis        the Bull queue between the webhook processes and the worker
 *   nginx        the load balancer in front of the two `n8n webhook` processes
 *
 *   const services = new Services(runDir);
 *   const pg = await services.startPostgres();   // { host, port, database, user, password }
 *   const redis = await services.startRedis();   // { host, port }
 *   const lb = await services.startNginx({ webhookPorts, mainPort, balance });
 *   …
 *   await services.stopAll();
 *
 * Every service runs in a process group of its own led by scripts/n8n/supervisor.ts (the same
 * leader as n8n's), which stops the group if the process that started it dies without calling
 * stopAll() (killed, crashed, Ctrl-C). Nothing is installed as a system service and nothing
 * listens outside 127.0.0.1.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { freePort, killGroupNow, request, sleep, stopGroup, tailOf } from '../n8n/instance';
import { paths } from '../n8n/runtime';
import { compiled } from '../paths';

const say = (text: string) => process.stdout.write(`[queue] ${text}\n`);

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export interface PostgresConnection {
	host: string;
	port: number;
	database: string;
	user: string;
	password?: string;
	version?: string;
}

export type Balance = 'round-robin' | 'body-hash';

// ---------------------------------------------------------------------------------------------
// Debian packages

export function findExecutable(name: string, extraDirs: string[] = []): string | undefined {
	const dirs = [
		...(process.env.PATH ?? '').split(path.delimiter),
		'/usr/sbin',
		'/sbin',
		...extraDirs,
	];
	for (const dir of dirs) {
		const candidate = path.join(dir, name);
		try {
			fs.accessSync(candidate, fs.constants.X_OK);
			return candidate;
		} catch {
			// not here
		}
	}
	return undefined;
}

/** Debian keeps PostgreSQL's server binaries in /usr/lib/postgresql/<major>/bin; the newest wins. */
export function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	let majors: string[] = [];
	try {
		majors = fs.readdirSync(root).filter((entry) => /^\d+$/.test(entry));
	} catch {
		return undefined;
	}
	for (const major of majors.sort((a, b) => Number(b) - Number(a))) {
		const dir = path.join(root, major, 'bin');
		if (fs.existsSync(path.join(dir, 'postgres')) && fs.existsSync(path.join(dir, 'initdb')))
			return dir;
	}
	return undefined;
}

export const DEBIAN_PACKAGES = [
	{ name: 'postgresql', present: () => postgresBinDir() !== undefined },
	{ name: 'redis-server', present: () => findExecutable('redis-server') !== undefined },
	{ name: 'nginx', present: () => findExecutable('nginx') !== undefined },
];

/**
 * Installs Debian's postgresql, redis-server and nginx packages when one is missing (as root,
 * with apt-get). The packages' own system services are not used: everything runs from the
 * run's folder. On a machine with systemd, Debian starts those services when it installs the
 * packages; this script does not touch them.
 */
export function ensureDebianPackages(): { installed: string[]; seconds: number } {
	const missing = DEBIAN_PACKAGES.filter((pkg) => !pkg.present()).map((pkg) => pkg.name);
	if (missing.length === 0) return { installed: [], seconds: 0 };
	const command = `apt-get install -y ${missing.join(' ')}`;
	if (!isRoot()) {
		throw new Error(
			`Debian packages missing: ${missing.join(', ')}. Install them as root (sudo apt-get update && sudo ${command}) and run again.`,
		);
	}
	if (!findExecutable('apt-get')) {
		throw new Error(`Debian packages missing (${missing.join(', ')}) and apt-get is not available`);
	}
	const started = Date.now();
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	say(`installing Debian packages: ${missing.join(', ')} (apt-get update, then ${command}) …`);
	execFileSync('apt-get', ['update'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
	execFileSync('apt-get', ['install', '-y', ...missing], {
		env,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const stillMissing = DEBIAN_PACKAGES.filter((pkg) => !pkg.present()).map((pkg) => pkg.name);
	if (stillMissing.length > 0)
		throw new Error(`apt-get installed, but still missing: ${stillMissing.join(', ')}`);
	const seconds = (Date.now() - started) / 1000;
	say(`Debian packages installed in ${seconds.toFixed(0)} s`);
	return { installed: missing, seconds };
}

// ---------------------------------------------------------------------------------------------
// Supervised processes

/** One service process in a process group of its own, led by scripts/n8n/supervisor.ts. */
export class SupervisedProcess {
	name: string;
	logFile: string;
	pid: number | undefined;
	exited: string | undefined;
	/** The signal that stops this service gracefully (SIGTERM when unset). */
	stopSignal: NodeJS.Signals | undefined;

	constructor(name: string, logFile: string) {
		this.name = name;
		this.logFile = logFile;
		this.pid = undefined;
		this.exited = undefined;
		this.stopSignal = undefined;
	}

	start(
		command: string,
		args: string[],
		{ env = process.env, cwd }: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
	): this {
		fs.appendFileSync(this.logFile, `\n===== ${this.name} ${new Date().toISOString()}\n`);
		const child = spawn(
			process.execPath,
			[compiled('n8n', 'supervisor.js'), String(process.pid), this.logFile, command, ...args],
			{ cwd, env, detached: true, stdio: 'ignore' },
		);
		this.pid = child.pid;
		child.on('exit', (code, signal) => {
			this.exited = signal ?? `code ${code}`;
		});
		return this;
	}

	/** Fails with the log's tail when the process has exited. */
	assertRunning(): void {
		if (this.exited !== undefined)
			throw new Error(`${this.name} exited (${this.exited}); last log lines:\n${this.logTail()}`);
	}

	/** Signals the whole group and waits until none of it is left (SIGKILL after the timeout). */
	async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20000): Promise<void> {
		if (this.pid === undefined) return;
		await stopGroup(this.pid, { signal, timeoutMs });
		this.pid = undefined;
	}

	killNow(): void {
		if (this.pid === undefined) return;
		killGroupNow(this.pid);
		this.pid = undefined;
	}

	logTail(lines = 30): string {
		return tailOf(this.logFile, lines);
	}
}

async function waitUntil(
	what: string,
	probe: () => Promise<boolean>,
	{ timeoutMs = 60000, process: proc }: { timeoutMs?: number; process?: SupervisedProcess } = {},
): Promise<void> {
	const started = Date.now();
	for (;;) {
		proc?.assertRunning();
		if (await probe().catch(() => false)) return;
		if (Date.now() - started > timeoutMs)
			throw new Error(
				`${what} not ready after ${timeoutMs / 1000} s${proc ? `; last log lines:\n${proc.logTail()}` : ''}`,
			);
		await sleep(200);
	}
}

/**
 * The part of `pg` used here. The repository has neither `pg` nor its types (n8n brings both
 * at run time), so they are declared here.
 */
interface PgResult<Row> {
	rows: Row[];
}
export interface PgClient {
	query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<PgResult<Row>>;
}
export interface PgPoolClient extends PgClient {
	release(): void;
}
export interface PgPool extends PgClient {
	connect(): Promise<PgPoolClient>;
	on(event: 'error', listener: (error: Error) => void): this;
	end(): Promise<void>;
}
interface PgModule {
	Client: new (connection: PostgresConnection) => PgClient & {
		connect(): Promise<void>;
		end(): Promise<void>;
	};
	Pool: new (options: PostgresConnection & { max?: number }) => PgPool;
}

/** n8n's own PostgreSQL client (`pg`, plain JavaScript), so the repository needs no copy. */
export function pgModule(): PgModule {
	return require(path.join(paths().n8nModules, 'pg')) as PgModule;
}

/** One query on a fresh connection; returns the rows. */
export async function pgQuery<Row = Record<string, unknown>>(
	connection: PostgresConnection,
	sql: string,
	params: unknown[] = [],
): Promise<Row[]> {
	const { Client } = pgModule();
	const client = new Client(connection);
	await client.connect();
	try {
		return (await client.query<Row>(sql, params)).rows;
	} finally {
		await client.end();
	}
}

function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
		socket.setTimeout(2000, () => socket.destroy());
		socket.on('data', (data) => {
			resolve(data.toString('utf8').startsWith('+PONG'));
			socket.end();
		});
		socket.on('error', () => resolve(false));
		socket.on('close', () => resolve(false));
	});
}

// ---------------------------------------------------------------------------------------------
// nginx

/**
 * nginx in front of the webhook processes, as n8n's queue-mode documentation describes it:
 * /webhook/ goes to the webhook processes, everything else to main.
 *
 * `balance`:
 *   'round-robin'  nginx's default: consecutive requests alternate between the processes;
 *   'body-hash'    `hash $request_body consistent`: byte-identical deliveries (a partner's
 *                  retries) always reach the same webhook process (bodies up to
 *                  client_body_buffer_size, which keeps them in memory where the hash sees them).
 * A POST that reached a process is never passed to the other one by nginx (non-idempotent),
 * so nginx itself adds no copies. Every answer says which process served it (X-Served-By).
 */
export function nginxConfig({
	dir,
	port,
	webhookPorts,
	mainPort,
	balance,
}: {
	dir: string;
	port: number;
	webhookPorts: number[];
	mainPort: number;
	balance: Balance;
}): string {
	const temp = (name: string) => path.join(dir, `${name}_temp`);
	return `# generated by scripts/queue/services.ts
daemon off;
master_process on;
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;

events {
	worker_connections 2048;
}

http {
	log_format queue '$msec $status $upstream_addr $request_time $request_method $request_uri';
	access_log ${path.join(dir, 'access.log')} queue;
	client_body_temp_path ${temp('client_body')};
	proxy_temp_path ${temp('proxy')};
	fastcgi_temp_path ${temp('fastcgi')};
	uwsgi_temp_path ${temp('uwsgi')};
	scgi_temp_path ${temp('scgi')};

	# n8n accepts up to 16 MiB (N8N_PAYLOAD_SIZE_MAX); bodies up to 1 MiB stay in memory.
	client_max_body_size 16m;
	client_body_buffer_size 1m;

	upstream n8n_webhooks {
${balance === 'body-hash' ? '\t\thash $request_body consistent;\n' : ''}${webhookPorts.map((p) => `\t\tserver 127.0.0.1:${p};`).join('\n')}
		keepalive 32;
		# Below n8n's (Node's) keepAliveTimeout of 5 s: otherwise nginx can reuse a connection at
		# the moment n8n closes it, and answers that POST 502 (it never resends a POST).
		keepalive_timeout 4s;
	}

	upstream n8n_main {
		server 127.0.0.1:${mainPort};
		keepalive 8;
		keepalive_timeout 4s;
	}

	server {
		listen 127.0.0.1:${port};

		location = /nginx-ready {
			return 200 "ready\\n";
		}

		location /webhook/ {
			proxy_pass http://n8n_webhooks;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host $http_host;
			proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
			proxy_set_header X-Forwarded-Proto $scheme;
			proxy_read_timeout 300s;
			add_header X-Served-By $upstream_addr always;
		}

		location / {
			proxy_pass http://n8n_main;
			proxy_http_version 1.1;
			proxy_set_header Upgrade $http_upgrade;
			proxy_set_header Connection $http_connection;
			proxy_set_header Host $http_host;
			proxy_read_timeout 300s;
		}
	}
}
`;
}

// ---------------------------------------------------------------------------------------------

export class Services {
	runDir: string;
	processes: SupervisedProcess[];
	postgres: (PostgresConnection & { version: string }) | undefined;
	redis: { host: string; port: number; version: string } | undefined;
	nginx:
		| {
				port: number;
				baseUrl: string;
				balance: Balance;
				confFile: string;
				accessLog: string;
				version: string;
		  }
		| undefined;

	/** `runDir`: the run's folder; each service keeps its data and log in a subfolder. */
	constructor(runDir: string) {
		this.runDir = path.resolve(runDir);
		this.processes = [];
		this.postgres = undefined;
		this.redis = undefined;
		this.nginx = undefined;
		// PostgreSQL refuses to run as root: as root it runs as Debian's `postgres` user, which
		// must be able to reach its folder inside the run's folder.
		if (isRoot()) fs.chmodSync(this.runDir, 0o711);
	}

	supervised(name: string): SupervisedProcess {
		const proc = new SupervisedProcess(name, path.join(this.runDir, `${name}.log`));
		this.processes.push(proc);
		return proc;
	}

	/** A throwaway cluster (initdb), its server on a free port, one database and role for n8n. */
	async startPostgres({ port }: { port?: number } = {}): Promise<
		PostgresConnection & { version: string }
	> {
		const bin = postgresBinDir();
		if (!bin) throw new Error('PostgreSQL is not installed (Debian package postgresql)');
		const dataDir = path.join(this.runDir, 'postgres');
		fs.mkdirSync(dataDir, { mode: 0o700 });
		const log = path.join(this.runDir, 'postgres.log');
		fs.writeFileSync(log, '');
		// As root, run as `postgres` (setpriv execs, so the supervisor's child is the server itself).
		let asUser: string[] = [];
		if (isRoot()) {
			const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
			const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
			fs.chownSync(dataDir, uid, gid);
			fs.chownSync(log, uid, gid);
			asUser = ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--'];
		}
		const run = (command: string, args: string[]) => {
			const [file, ...rest] = [...asUser, command, ...args];
			return execFileSync(file, rest, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
		};
		run(path.join(bin, 'initdb'), [
			'-D',
			dataDir,
			'-U',
			'postgres',
			'--auth=trust',
			'--encoding=UTF8',
			'--locale=C',
			'--no-sync',
		]);
		const pgPort = port ?? (await freePort());
		const proc = this.supervised('postgres');
		const [file, ...prefix] = [...asUser, path.join(bin, 'postgres')];
		proc.start(file, [
			...prefix,
			'-D',
			dataDir,
			'-p',
			String(pgPort),
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			`unix_socket_directories=${dataDir}`,
			'-c',
			'max_connections=200',
		]);
		proc.stopSignal = 'SIGINT'; // PostgreSQL's "fast" shutdown
		const admin = { host: '127.0.0.1', port: pgPort, user: 'postgres', database: 'postgres' };
		await waitUntil('PostgreSQL', async () => (await pgQuery(admin, 'SELECT 1')).length === 1, {
			process: proc,
		});
		const connection = {
			host: '127.0.0.1',
			port: pgPort,
			database: 'n8n',
			user: 'n8n',
			password: 'n8n-queue-test',
		};
		await pgQuery(admin, `CREATE ROLE n8n LOGIN PASSWORD '${connection.password}'`);
		await pgQuery(admin, 'CREATE DATABASE n8n OWNER n8n');
		const [{ server_version: version }] = await pgQuery<{ server_version: string }>(
			admin,
			'SHOW server_version',
		);
		this.postgres = { ...connection, version };
		return this.postgres;
	}

	/** Redis without persistence (the queue only lives as long as the run). */
	async startRedis({ port }: { port?: number } = {}): Promise<{
		host: string;
		port: number;
		version: string;
	}> {
		const redisPort = port ?? (await freePort());
		const dir = path.join(this.runDir, 'redis');
		fs.mkdirSync(dir);
		const proc = this.supervised('redis');
		const redisServer = findExecutable('redis-server');
		if (!redisServer) throw new Error('Redis is not installed (Debian package redis-server)');
		proc.start(redisServer, [
			'--port',
			String(redisPort),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--daemonize',
			'no',
		]);
		await waitUntil('Redis', () => redisPing(redisPort), { process: proc });
		const version = execFileSync(redisServer, ['--version'], {
			encoding: 'utf8',
		}).trim();
		this.redis = { host: '127.0.0.1', port: redisPort, version };
		return this.redis;
	}

	/** nginx on a free port: /webhook/ to the webhook processes, the rest to main. */
	async startNginx({
		webhookPorts,
		mainPort,
		balance = 'round-robin',
		port,
	}: {
		webhookPorts: number[];
		mainPort: number;
		balance?: Balance;
		port?: number;
	}): Promise<NonNullable<Services['nginx']>> {
		if (!['round-robin', 'body-hash'].includes(balance))
			throw new Error(`unknown balance "${balance}" (round-robin or body-hash)`);
		const nginxPort = port ?? (await freePort());
		const dir = path.join(this.runDir, 'nginx');
		fs.mkdirSync(dir);
		for (const name of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
			// nginx's workers run as `nobody` when the master is root.
			fs.mkdirSync(path.join(dir, `${name}_temp`), { mode: 0o777 });
			fs.chmodSync(path.join(dir, `${name}_temp`), 0o777);
		}
		const confFile = path.join(dir, 'nginx.conf');
		fs.writeFileSync(
			confFile,
			nginxConfig({ dir, port: nginxPort, webhookPorts, mainPort, balance }),
		);
		const nginx = findExecutable('nginx');
		if (!nginx) throw new Error('nginx is not installed (Debian package nginx)');
		execFileSync(
			nginx,
			['-t', '-q', '-p', dir, '-e', path.join(dir, 'error.log'), '-c', confFile],
			{
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		const proc = this.supervised('nginx');
		proc.start(nginx, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', confFile]);
		proc.stopSignal = 'SIGQUIT'; // graceful: lets answers in flight finish
		const baseUrl = `http://127.0.0.1:${nginxPort}`;
		await waitUntil(
			'nginx',
			async () => (await request('GET', `${baseUrl}/nginx-ready`)).status === 200,
			{ process: proc },
		);
		// nginx -v writes to stderr.
		const version = spawnSync(nginx, ['-v'], { encoding: 'utf8' }).stderr.trim();
		this.nginx = {
			port: nginxPort,
			baseUrl,
			balance,
			confFile,
			accessLog: path.join(dir, 'access.log'),
			version: version || 'nginx',
		};
		return this.nginx;
	}

	/** Stops every service this object started, last started first. */
	async stopAll(): Promise<void> {
		for (const proc of [...this.processes].reverse()) {
			await proc.stop(proc.stopSignal ?? 'SIGTERM');
		}
	}

	/** Synchronous last resort for 'exit' handlers. */
	killAllNow(): void {
		for (const proc of this.processes) proc.killNow();
	}
}
