/**
 * Packs this repository with `npm pack` and installs the tarball into an n8n user folder the way
 * n8n 2.40.7's community-package installer does (CommunityPackagesService.downloadPackage and
 * installOrUpdatePackage):
 *
 *   1. unpack into <user folder>/.n8n/nodes/node_modules/<name> (tar --strip-components=1);
 *   2. delete devDependencies, peerDependencies and optionalDependencies from its package.json;
 *   3. `npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow
 *       --ignore-scripts=true --package-lock=false` in that folder (only `dependencies`);
 *   4. record it in the ledger <user folder>/.n8n/nodes/package.json ({ dependencies: {name: version} });
 *   5. record it in n8n's database (installed_packages + installed_nodes), after loading it with
 *      n8n-core's PackageDirectoryLoader, as the installer does (needs the database migrated:
 *      run any n8n CLI command first).
 *
 * n8n itself loads every `n8n-nodes-*` folder under .n8n/nodes/node_modules at start; the ledger
 * and the database rows are what make it show as installed (Settings → Community nodes) and keep
 * n8n from treating it as missing.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

import { compiled, INSTALLED_PACKAGE_DIR, REPO_DIR } from '../paths';
import { node24Env, paths } from './runtime';

export { REPO_DIR };
const REMOVED_FIELDS = ['devDependencies', 'peerDependencies', 'optionalDependencies'];

export interface PackedPackage {
	tarball: string;
	name: string;
	version: string;
	files: string[];
}

export interface InstalledPackage {
	packageDir: string;
	name: string;
	version: string;
}

/** What n8n's installer records for a package (scripts/n8n/db-tool.ts describe-package). */
export interface DescribedPackage {
	packageName: string;
	version: string;
	authorName: string | null;
	authorEmail: string | null;
	nodes: Array<{ name: string; type: string; latestVersion: number }>;
	credentials: string[];
}

/** What `npm pack --json` says about one tarball. */
interface NpmPackResult {
	filename: string;
	name: string;
	version: string;
	files: Array<{ path: string }>;
}

/** The fields of a package.json read here. */
interface Manifest {
	name: string;
	version: string;
	n8n?: { nodes?: string[]; credentials?: string[] };
	bin?: Record<string, string>;
	[field: string]: unknown;
}

/**
 * `npm pack` of the package the harness installs (the repository, or the partner's package
 * N8N_INSURANCE_PACKAGE names), whatever is built now; returns the tarball's path.
 */
export function packRepository(outDir: string, repoDir = INSTALLED_PACKAGE_DIR): PackedPackage {
	fs.mkdirSync(outDir, { recursive: true });
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], {
		cwd: repoDir,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const [packed] = JSON.parse(output) as NpmPackResult[];
	// A tarball without the built files n8n loads (e.g. dist/ cleaned by a concurrent build)
	// would install "fine" and fail only inside n8n: refuse it here.
	const manifest = JSON.parse(
		fs.readFileSync(path.join(repoDir, 'package.json'), 'utf8'),
	) as Manifest;
	const required = [
		...(manifest.n8n?.nodes ?? []),
		...(manifest.n8n?.credentials ?? []),
		...Object.values(manifest.bin ?? {}),
	].map((file) => path.posix.normalize(file));
	const missing = required.filter((file) => !packed.files.some((entry) => entry.path === file));
	if (missing.length > 0) {
		throw new Error(`npm pack left out ${missing.join(', ')}: is dist/ complete (npm run build)?`);
	}
	return {
		tarball: path.join(outDir, packed.filename),
		name: packed.name,
		version: packed.version,
		files: packed.files.map((f) => f.path),
	};
}

function nodesDir(userFolder: string): string {
	return path.join(userFolder, '.n8n', 'nodes');
}

export function installedPackageDir(userFolder: string, packageName: string): string {
	return path.join(nodesDir(userFolder), 'node_modules', packageName);
}

/** Steps 1–4 above. Returns the package folder. */
export function installTarball(tarball: string, userFolder: string): InstalledPackage {
	const manifest = JSON.parse(
		execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
	) as Manifest;
	const packageDir = installedPackageDir(userFolder, manifest.name);
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);

	const packageJsonPath = path.join(packageDir, 'package.json');
	const packageJson = JSON.parse(fs.readFileSync(packageJsonPath, 'utf8')) as Manifest;
	for (const field of REMOVED_FIELDS) delete packageJson[field];
	fs.writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2), 'utf8');

	execFileSync(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		{ cwd: packageDir, env: node24Env(), stdio: ['ignore', 'ignore', 'inherit'] },
	);

	const ledgerPath = path.join(nodesDir(userFolder), 'package.json');
	let ledger: Record<string, unknown> | undefined;
	try {
		ledger = JSON.parse(fs.readFileSync(ledgerPath, 'utf8')) as Record<string, unknown>;
	} catch {
		ledger = undefined;
	}
	let dependencies: Record<string, string>;
	if (ledger && typeof ledger.dependencies === 'object' && ledger.dependencies !== null) {
		dependencies = ledger.dependencies as Record<string, string>;
	} else {
		dependencies = {};
		ledger = { name: 'installed-nodes', private: true, dependencies };
	}
	dependencies[packageJson.name] = packageJson.version;
	fs.writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2), 'utf8');
	return { packageDir, name: packageJson.name, version: packageJson.version };
}

/**
 * NODE_PATH as n8n sets it for itself at start (LoadNodesAndCredentials.init: the module paths of
 * n8n's dist folder), so a community package's `require('n8n-workflow')` resolves to n8n's copy.
 */
export function n8nNodePath(): string {
	const { n8nModules } = paths();
	// Node's own resolver, not in its published types: what n8n calls for the same list.
	const { _nodeModulePaths } = Module as unknown as {
		_nodeModulePaths: (from: string) => string[];
	};
	return _nodeModulePaths(path.join(n8nModules, 'n8n', 'dist')).join(path.delimiter);
}

/** Runs ./db-tool.ts (compiled: it runs under n8n's Node 24) and parses what it prints. */
function runDbTool<T>(args: string[]): T {
	const { nodeBin } = paths();
	return JSON.parse(
		execFileSync(nodeBin, ['--no-warnings', compiled('n8n', 'db-tool.js'), ...args], {
			encoding: 'utf8',
			env: node24Env({ NODE_PATH: n8nNodePath() }),
			stdio: ['ignore', 'pipe', 'pipe'],
			maxBuffer: 64 * 1024 * 1024,
		}),
	) as T;
}

export function databasePath(userFolder: string): string {
	return path.join(userFolder, '.n8n', 'database.sqlite');
}

/** Step 5. The database must exist (n8n migrates it on any CLI command). */
export function registerInstalledPackage(
	userFolder: string,
	packageDir: string,
): Omit<DescribedPackage, 'authorName' | 'authorEmail'> {
	return runDbTool(['register-package', databasePath(userFolder), packageDir, paths().n8nModules]);
}

/**
 * What step 5 records (package, version, author, one entry per node), without writing it: for a
 * database other than this SQLite file (scripts/queue writes the same rows into PostgreSQL).
 */
export function describeInstalledPackage(packageDir: string): DescribedPackage {
	return runDbTool(['describe-package', '-', packageDir, paths().n8nModules]);
}

/** Read-only SQL against the instance's SQLite database (safe while n8n runs). */
export function queryDatabase<Row = Record<string, unknown>>(
	userFolder: string,
	sql: string,
	params: unknown[] = [],
): Row[] {
	return runDbTool(['query', databasePath(userFolder), sql, JSON.stringify(params)]);
}

/** Puts these imported workflows live, as n8n's publish command would (see ./publish.ts). */
export function publishWorkflows(userFolder: string, ids: readonly string[]): void {
	runDbTool(['publish', databasePath(userFolder), JSON.stringify(ids)]);
}

/**
 * How many executions n8n's database holds, per workflow and status, of these workflows (of all
 * when `workflowIds` is omitted): rows `{ workflowId, status, n }`, in one query.
 */
export function executionCounts(
	userFolder: string,
	workflowIds?: readonly string[],
): Array<{ workflowId: string; status: string; n: number }> {
	const where = workflowIds
		? ` WHERE workflowId IN (${workflowIds.map(() => '?').join(', ')})`
		: '';
	return queryDatabase(
		userFolder,
		`SELECT workflowId, status, COUNT(*) AS n FROM execution_entity${where} GROUP BY workflowId, status`,
		[...(workflowIds ?? [])],
	);
}
