/**
 * `npm run n8n:install`: every n8n the package is tested on (TESTED_N8N_VERSIONS), each with
 * its Node 24, into the cache, all at once. CI runs it before the real-n8n suites, so no suite
 * installs while it is timed. On a fresh 2-core machine the three took 856 s one after the
 * other, 792 s two at a time and 656 s all at once: npm's installs keep both cores busy, so what
 * the overlap wins is the sqlite3 compile (one core, done once: the others wait for it and
 * copy it) and the waits on the registry.
 *
 * Each version installs in its own process (./runtime.ts reads N8N_VERSION once, at load).
 * Their lines are prefixed with the version; the exit code is non-zero if any install failed.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';

import { TESTED_N8N_VERSIONS } from './runtime';

function install(version: string): Promise<{ version: string; seconds: number; ok: boolean }> {
	const started = Date.now();
	const child = spawn(process.execPath, [path.join(__dirname, 'runtime.js')], {
		env: { ...process.env, N8N_VERSION: version },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	for (const stream of [child.stdout, child.stderr])
		readline
			.createInterface({ input: stream })
			.on('line', (line) => process.stdout.write(`[n8n ${version}] ${line}\n`));
	return new Promise((resolve) => {
		const done = (ok: boolean) =>
			resolve({ version, seconds: Math.round((Date.now() - started) / 1000), ok });
		child.on('error', () => done(false));
		child.on('exit', (code) => done(code === 0));
	});
}

async function main(): Promise<void> {
	const started = Date.now();
	const results = await Promise.all(TESTED_N8N_VERSIONS.map(install));
	for (const { version, seconds, ok } of results)
		process.stdout.write(`n8n ${version}: ${ok ? 'ready' : 'FAILED'} after ${seconds} s\n`);
	process.stdout.write(
		`${results.length} versions in ${Math.round((Date.now() - started) / 1000)} s, all at once\n`,
	);
	if (results.some((result) => !result.ok)) process.exit(1);
}

void main();
