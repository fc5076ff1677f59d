/**
 * npm start: a local n8n (2.40.7 unless --n8n says another) with this package installed from
 * its packed tarball, one demo workflow per trigger, and for each a production URL plus a
 * command that sends a correctly signed sample to it. Ctrl-C stops everything.
 *
 *   npm start                     (n8n on 127.0.0.1:5678, or a free port if 5678 is taken)
 *   npm start -- --port 5800
 *   npm start -- --n8n 1.123.81   (another tested n8n: 1.123.81, 2.40.7 (default), 2.41.1)
 *
 * n8n's user folder (database, credentials' encryption key) is kept between runs, outside the
 * repository: a package installed under the repository would find the repository's
 * node_modules (zod, n8n-workflow as dev dependencies) before n8n's own, which is exactly
 * what a real installation does not do. Override it with N8N_INSURANCE_USER_FOLDER.
 */
// `--n8n <version>` picks the n8n (any the harness installs); read before the runtime loads
// (./start-options, imported first: imports run in their order, before this file's code).
import './start-options';

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { N8nInstance, freePort } from './n8n/instance';
import {
	REPO_DIR,
	databasePath,
	installTarball,
	packRepository,
	queryDatabase,
	registerInstalledPackage,
	type InstalledPackage,
} from './n8n/package';
import { DEFAULT_N8N_VERSION, ensureN8n, paths, N8N_VERSION } from './n8n/runtime';
import { chainWorkflow, credential, noOpNode, triggerNode, type Credential } from './n8n/workflows';

const say = (text: string) => process.stdout.write(`[npm start] ${text}\n`);

/**
 * The partners, from the registry the build compiles (nodes/partners.ts → dist/): each
 * partner's demo credential, and one demo workflow per trigger (`demo` in its partner.ts).
 */
function loadRegistry(): (typeof import('../nodes/partners'))['registry'] {
	try {
		return (
			require(
				path.join(REPO_DIR, 'dist', 'nodes', 'partners.js'),
			) as typeof import('../nodes/partners')
		).registry;
	} catch (error) {
		throw new Error(
			`npm start needs the built package: run npm run build first (${(error as Error).message})`,
		);
	}
}
const registry = loadRegistry();

/** Demo secrets: what the printed sender commands use. Replace them before real partners call. */
export const DEMO: Record<string, string> = Object.fromEntries(
	registry.partners.map((partner) => [partner.provider, partner.demoCredential.secret]),
);

export const CREDENTIALS: Record<string, Credential> = Object.fromEntries(
	registry.partners.map(({ provider, demoCredential: { id, name, type, data } }) => [
		provider,
		credential({ id, name, type, data }),
	]),
);

/** One demo workflow per trigger; the webhook ids are fixed so the URLs stay the same between runs. */
export const DEMOS = registry.triggers.map(({ partner, nodeName, defaultScheme, demo }) => ({
	id: demo.workflowId,
	title: demo.title,
	nodeName,
	authentication: defaultScheme,
	credential: CREDENTIALS[partner.provider],
	webhookId: demo.webhookId,
	sample: demo.sample,
	secret: DEMO[partner.provider],
}));

export function demoWorkflows() {
	return DEMOS.map((demo) =>
		chainWorkflow({
			id: demo.id,
			name: `Demo: ${demo.title}`,
			nodes: [
				triggerNode({
					nodeName: demo.nodeName,
					webhookId: demo.webhookId,
					authentication: demo.authentication,
					credential: demo.credential,
					name: demo.title,
				}),
				noOpNode({ id: `${demo.id}-next`, name: 'Your CRM goes here' }),
			],
		}),
	);
}

function parsePort(argv: string[]): number | undefined {
	const index = argv.findIndex((arg) => arg === '--port' || arg.startsWith('--port='));
	if (index === -1) return undefined;
	const value = argv[index].includes('=') ? argv[index].split('=')[1] : argv[index + 1];
	if (!/^\d+$/.test(value ?? '')) throw new Error('--port needs a number');
	return Number(value);
}

async function choosePort(requested: number | undefined): Promise<number> {
	if (requested !== undefined) return requested;
	const free = await new Promise<boolean>((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(5678, '127.0.0.1', () => server.close(() => resolve(true)));
	});
	if (free) return 5678;
	const port = await freePort();
	say(`port 5678 is taken; using ${port}`);
	return port;
}

function userFolder(): string {
	if (process.env.N8N_INSURANCE_USER_FOLDER)
		return path.resolve(process.env.N8N_INSURANCE_USER_FOLDER);
	const tag = crypto.createHash('sha256').update(REPO_DIR).digest('hex').slice(0, 8);
	// A database is not shared between n8n versions: an older n8n cannot read a newer's schema.
	const version = N8N_VERSION === DEFAULT_N8N_VERSION ? '' : `-n8n-${N8N_VERSION}`;
	return path.join(paths().cacheRoot, 'local', `${path.basename(REPO_DIR)}-${tag}${version}`);
}

/** One npm start per user folder: two n8n on one SQLite database would corrupt each other's state. */
function claimFolder(folder: string): void {
	const pidFile = path.join(folder, 'npm-start.pid');
	const other = Number.parseInt(fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8') : '', 10);
	if (other && other !== process.pid) {
		let alive = true;
		try {
			process.kill(other, 0);
		} catch (error) {
			alive = (error as NodeJS.ErrnoException).code === 'EPERM';
		}
		if (alive)
			throw new Error(`another npm start (pid ${other}) is using ${folder}; stop it first`);
	}
	fs.writeFileSync(pidFile, String(process.pid));
	process.on('exit', () => {
		if (fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') === String(process.pid))
			fs.rmSync(pidFile);
	});
}

const timed = <T>(label: string, work: () => T): T => {
	const started = Date.now();
	say(`${label} …`);
	const result = work();
	say(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return result;
};

/**
 * Imports the demo credentials and workflows when they are missing or have changed. A
 * published workflow is unpublished before it is imported again: n8n 2.40 keeps serving the
 * previously published version of a workflow re-imported while published.
 */
export function importDemos(n8n: N8nInstance, folder: string): void {
	const workflows = demoWorkflows();
	const credentials = Object.values(CREDENTIALS);
	const digest = crypto
		.createHash('sha256')
		.update(JSON.stringify({ credentials, workflows }))
		.digest('hex');
	const digestFile = path.join(folder, 'demo-workflows.sha256');
	const hasDatabase = fs.existsSync(databasePath(folder));
	const current =
		hasDatabase && fs.existsSync(digestFile) && fs.readFileSync(digestFile, 'utf8') === digest;
	if (current) {
		say('demo workflows are up to date');
		return;
	}
	timed('importing demo credentials', () => n8n.importCredentials(credentials));
	const existing = new Set(
		queryDatabase<{ id: string }>(
			folder,
			`SELECT id FROM workflow_entity WHERE id IN (${workflows.map(() => '?').join(', ')})`,
			workflows.map((w) => w.id),
		).map((row) => row.id),
	);
	for (const workflow of workflows) {
		if (existing.has(workflow.id)) n8n.unpublishWorkflow(workflow.id);
	}
	timed(`importing and publishing ${workflows.length} demo workflows`, () =>
		n8n.importWorkflows(workflows),
	);
	fs.writeFileSync(digestFile, digest);
}

function printTable(n8n: N8nInstance): void {
	const senderPath =
		path.relative(
			process.cwd(),
			path.join(REPO_DIR, 'sender', 'dist', 'sender', 'src', 'bin.js'),
		) || 'sender/dist/sender/src/bin.js';
	const lines = [
		'',
		`n8n ${N8N_VERSION} is running: editor ${n8n.baseUrl} (first visit: create the owner account)`,
		`user folder ${n8n.userFolder}, log ${n8n.logFile}`,
		'',
		'Demo workflows (published) — production URL and a command that sends a correctly signed sample:',
	];
	for (const demo of DEMOS) {
		const url = n8n.webhookUrl(demo.webhookId);
		lines.push('', `  ${demo.title} (${demo.nodeName})`, `    ${url}`);
		lines.push(`    node ${senderPath} send ${demo.sample} --url ${url} --secret ${demo.secret}`);
	}
	lines.push('');
	// A trigger that receives several events takes any of their samples.
	for (const { partner, samples } of registry.triggers) {
		if (samples.length < 2) continue;
		lines.push(
			`  ${partner.name}: any ${partner.provider}-<event> works on the ${partner.name} URL (list: node ${senderPath} --help).`,
		);
	}
	lines.push(
		'  The demo secrets are in the demo credentials; change them in the editor before a partner calls.',
		'',
		'Press Ctrl-C to stop n8n.',
		'',
	);
	process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
	const started = Date.now();
	const port = parsePort(process.argv.slice(2));
	const folder = userFolder();
	fs.mkdirSync(folder, { recursive: true });
	claimFolder(folder);
	await ensureN8n();

	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-insurance-pack-'));
	let installed: InstalledPackage;
	try {
		const packed = timed('npm pack', () => packRepository(packDir));
		installed = timed(
			`installing ${path.basename(packed.tarball)} as n8n's community-package installer does`,
			() => installTarball(packed.tarball, folder),
		);
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}

	const n8n = await N8nInstance.create({ userFolder: folder, port: await choosePort(port) });
	let stopping = false;
	const stop = async (signal?: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`\n${signal ? `${signal}: ` : ''}stopping n8n …\n`);
		await n8n.stop();
		process.stdout.write('n8n stopped.\n');
		process.exit(signal ? 0 : 1);
	};
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
	process.on('exit', () => n8n.killNow());

	importDemos(n8n, folder);
	timed('recording the package as installed', () =>
		registerInstalledPackage(folder, installed.packageDir),
	);

	const startStarted = Date.now();
	say(`starting n8n on ${n8n.baseUrl} …`);
	await n8n.start();
	await n8n.waitForPublished(DEMOS.map((demo) => demo.id));
	await n8n.waitForWebhooks(DEMOS.map((demo) => n8n.webhookUrl(demo.webhookId)));
	say(
		`n8n ready in ${((Date.now() - startStarted) / 1000).toFixed(1)} s (whole start ${((Date.now() - started) / 1000).toFixed(1)} s)`,
	);
	printTable(n8n);

	n8n.child?.on('exit', (code, signal) => {
		if (stopping) return;
		process.stderr.write(
			`n8n exited unexpectedly (${signal ?? `code ${code}`}); last log lines:\n${n8n.logTail()}\n`,
		);
		process.exit(1);
	});
}

// The demo workflows (exported above) are also what `npm run screenshots` (scripts/screenshots.ts)
// shows.
if (require.main === module) {
	main().catch((error: Error) => {
		process.stderr.write(`npm start failed: ${error.message}\n`);
		process.exit(1);
	});
}
