'use strict';
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
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const { node24Env, paths } = require('./runtime');

const REPO_DIR = path.resolve(__dirname, '..', '..');
const REMOVED_FIELDS = ['devDependencies', 'peerDependencies', 'optionalDependencies'];

/** `npm pack` of the repository (whatever is in dist/ now); returns the tarball's path. */
function packRepository(outDir, repoDir = REPO_DIR) {
	fs.mkdirSync(outDir, { recursive: true });
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], {
		cwd: repoDir,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const [packed] = JSON.parse(output);
	// A tarball without the built files n8n loads (e.g. dist/ cleaned by a concurrent build)
	// would install "fine" and fail only inside n8n: refuse it here.
	const manifest = JSON.parse(fs.readFileSync(path.join(repoDir, 'package.json'), 'utf8'));
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

function nodesDir(userFolder) {
	return path.join(userFolder, '.n8n', 'nodes');
}

function installedPackageDir(userFolder, packageName) {
	return path.join(nodesDir(userFolder), 'node_modules', packageName);
}

/** Steps 1–4 above. Returns the package folder. */
function installTarball(tarball, userFolder) {
	const manifest = JSON.parse(
		execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
	);
	const packageDir = installedPackageDir(userFolder, manifest.name);
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);

	const packageJsonPath = path.join(packageDir, 'package.json');
	const packageJson = JSON.parse(fs.readFileSync(packageJsonPath, 'utf8'));
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
	let ledger;
	try {
		ledger = JSON.parse(fs.readFileSync(ledgerPath, 'utf8'));
	} catch {
		ledger = undefined;
	}
	if (!ledger || typeof ledger.dependencies !== 'object' || ledger.dependencies === null) {
		ledger = { name: 'installed-nodes', private: true, dependencies: {} };
	}
	ledger.dependencies[packageJson.name] = packageJson.version;
	fs.writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2), 'utf8');
	return { packageDir, name: packageJson.name, version: packageJson.version };
}

/**
 * NODE_PATH as n8n sets it for itself at start (LoadNodesAndCredentials.init: the module paths of
 * n8n's dist folder), so a community package's `require('n8n-workflow')` resolves to n8n's copy.
 */
function n8nNodePath() {
	const { n8nModules } = paths();
	return Module._nodeModulePaths(path.join(n8nModules, 'n8n', 'dist')).join(path.delimiter);
}

function runDbTool(args) {
	const { nodeBin } = paths();
	return JSON.parse(
		execFileSync(nodeBin, ['--no-warnings', path.join(__dirname, 'db-tool.js'), ...args], {
			encoding: 'utf8',
			env: node24Env({ NODE_PATH: n8nNodePath() }),
			stdio: ['ignore', 'pipe', 'pipe'],
			maxBuffer: 64 * 1024 * 1024,
		}),
	);
}

function databasePath(userFolder) {
	return path.join(userFolder, '.n8n', 'database.sqlite');
}

/** Step 5. The database must exist (n8n migrates it on any CLI command). */
function registerInstalledPackage(userFolder, packageDir) {
	return runDbTool(['register-package', databasePath(userFolder), packageDir, paths().n8nModules]);
}

/**
 * What step 5 records (package, version, author, one entry per node), without writing it: for a
 * database other than this SQLite file (scripts/queue writes the same rows into PostgreSQL).
 */
function describeInstalledPackage(packageDir) {
	return runDbTool(['describe-package', '-', packageDir, paths().n8nModules]);
}

/** Read-only SQL against the instance's SQLite database (safe while n8n runs). */
function queryDatabase(userFolder, sql, params = []) {
	return runDbTool(['query', databasePath(userFolder), sql, JSON.stringify(params)]);
}

/**
 * How many executions n8n's database holds, per workflow and status, of these workflows (of all
 * when `workflowIds` is omitted): rows `{ workflowId, status, n }`, in one query.
 */
function executionCounts(userFolder, workflowIds) {
	const where = workflowIds
		? ` WHERE workflowId IN (${workflowIds.map(() => '?').join(', ')})`
		: '';
	return queryDatabase(
		userFolder,
		`SELECT workflowId, status, COUNT(*) AS n FROM execution_entity${where} GROUP BY workflowId, status`,
		workflowIds ?? [],
	);
}

module.exports = {
	REPO_DIR,
	databasePath,
	describeInstalledPackage,
	executionCounts,
	installTarball,
	installedPackageDir,
	n8nNodePath,
	packRepository,
	queryDatabase,
	registerInstalledPackage,
};
