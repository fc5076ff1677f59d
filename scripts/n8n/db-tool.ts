/**
 * Runs under the cached Node 24 (it uses `node:sqlite` and n8n's own n8n-core), never under the
 * Node that runs npm/jest, and so always from its compiled file, build/scripts/n8n/db-tool.js.
 * Called by ./package.ts:
 *
 *   db-tool.js query <database.sqlite> <sql> [<json params array>]   → JSON rows on stdout
 *   db-tool.js publish <database.sqlite> <json ids array>          → JSON ids published
 *   db-tool.js register-package <database.sqlite> <package dir>      → JSON summary on stdout
 *   db-tool.js describe-package - <package dir>                      → the same summary, no database
 *
 * `register-package` records a package the way n8n's community-package installer does after a
 * successful install: it loads the package with n8n-core's PackageDirectoryLoader (the loader the
 * installer uses; NODE_PATH is set to n8n's module paths by the caller, as n8n sets it for itself)
 * and writes one `installed_packages` row and one `installed_nodes` row per loaded node.
 * `describe-package` only loads it and prints what would be written, for databases other than
 * SQLite (the queue-mode environment writes the same rows into PostgreSQL).
 */
import * as path from 'node:path';

import type { PackageDirectoryLoader as Loader } from 'n8n-core';

import { SQLITE, assertPublished, publishStatements } from './publish';

/**
 * The part of Node 24's `node:sqlite` used here. The types of the Node the repository builds
 * with (Node 20's) have no `node:sqlite`, so they are declared here.
 */
interface Statement {
	all(...params: unknown[]): unknown[];
	run(...params: unknown[]): unknown;
}
interface Database {
	exec(sql: string): void;
	prepare(sql: string): Statement;
	close(): void;
	readonly isTransaction: boolean;
}
const { DatabaseSync } = require('node:sqlite') as {
	DatabaseSync: new (path: string, options?: { readOnly?: boolean }) => Database;
};

function query(dbPath: string, sql: string, params: unknown[]): unknown[] {
	const db = new DatabaseSync(dbPath, { readOnly: true });
	try {
		db.exec('PRAGMA busy_timeout = 5000');
		return db.prepare(sql).all(...params);
	} finally {
		db.close();
	}
}

/** See ./publish.ts: all of `ids` live in one transaction, or none and an error. */
function publish(dbPath: string, ids: string[]): string[] {
	const { update, published } = publishStatements(ids, SQLITE);
	const db = new DatabaseSync(dbPath);
	try {
		db.exec('PRAGMA busy_timeout = 5000; BEGIN');
		db.prepare(update).run(...ids);
		assertPublished(ids, db.prepare(published).all(...ids) as Array<{ id: string }>);
		db.exec('COMMIT');
		return ids;
	} catch (error) {
		if (db.isTransaction) db.exec('ROLLBACK');
		throw error;
	} finally {
		db.close();
	}
}

/** What n8n's installer records for a package, from loading it as the installer does. */
async function describePackage(packageDir: string, n8nModules: string) {
	// n8n's own n8n-core, as n8n's installer loads a package (the repository's copy only types it).
	const { PackageDirectoryLoader } = require(path.join(n8nModules, 'n8n-core')) as {
		PackageDirectoryLoader: typeof Loader;
	};
	const loader = new PackageDirectoryLoader(packageDir);
	await loader.loadAll();
	const { name, version, author } = loader.packageJson;
	if (loader.loadedNodes.length === 0) throw new Error(`${name} contains no nodes n8n can load`);
	const nodes = loader.loadedNodes.map((node) => ({
		name: loader.nodeTypes[node.name].type.description.displayName,
		type: `${name}.${node.name}`,
		latestVersion: node.version,
	}));
	return {
		packageName: name,
		version,
		authorName: author?.name ?? null,
		authorEmail: author?.email ?? null,
		nodes,
		credentials: Object.keys(loader.credentialTypes),
	};
}

async function registerPackage(dbPath: string, packageDir: string, n8nModules: string) {
	const described = await describePackage(packageDir, n8nModules);
	const { packageName: name, version, nodes } = described;
	const db = new DatabaseSync(dbPath);
	try {
		db.exec('PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; BEGIN');
		db.prepare('DELETE FROM installed_nodes WHERE package = ?').run(name);
		db.prepare('DELETE FROM installed_packages WHERE packageName = ?').run(name);
		db.prepare(
			`INSERT INTO installed_packages (packageName, installedVersion, authorName, authorEmail, createdAt, updatedAt)
			 VALUES (?, ?, ?, ?, STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'), STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'))`,
		).run(name, version, described.authorName, described.authorEmail);
		const insertNode = db.prepare(
			'INSERT INTO installed_nodes (name, type, latestVersion, package) VALUES (?, ?, ?, ?)',
		);
		for (const node of nodes) insertNode.run(node.name, node.type, node.latestVersion, name);
		db.exec('COMMIT');
	} catch (error) {
		if (db.isTransaction) db.exec('ROLLBACK');
		throw error;
	} finally {
		db.close();
	}
	return { packageName: name, version, nodes, credentials: described.credentials };
}

async function main(): Promise<void> {
	const [command, dbPath, ...rest] = process.argv.slice(2);
	if (command === 'query') {
		const [sql, params = '[]'] = rest;
		process.stdout.write(JSON.stringify(query(dbPath, sql, JSON.parse(params))));
		return;
	}
	if (command === 'publish') {
		process.stdout.write(JSON.stringify(publish(dbPath, JSON.parse(rest[0]) as string[])));
		return;
	}
	if (command === 'register-package') {
		const [packageDir, n8nModules] = rest;
		process.stdout.write(JSON.stringify(await registerPackage(dbPath, packageDir, n8nModules)));
		return;
	}
	if (command === 'describe-package') {
		const [packageDir, n8nModules] = rest;
		process.stdout.write(JSON.stringify(await describePackage(packageDir, n8nModules)));
		return;
	}
	throw new Error(`unknown command ${command}`);
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error instanceof Error && error.stack) || String(error)}\n`);
	process.exit(1);
});
