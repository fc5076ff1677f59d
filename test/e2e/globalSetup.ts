/**
 * Once per e2e run: n8n (cached) → build → npm pack → install the tarball the way n8n's
 * community-package installer does → import credentials and workflows → start n8n with the
 * CRM stand-in. Everything lives in a temporary folder outside the repository, so nothing in
 * the repository's node_modules (zod, n8n-workflow as dev dependencies) is reachable from the
 * installed package: it must work with what n8n provides.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import {
	pkg,
	runtime,
	instance,
	setStateFile,
	startCrm,
	startN8n,
	writeState,
	type CrmStandIn,
	type E2EState,
	type N8nInstanceLike,
} from './harness';
import {
	allSpecs,
	credentialsToImport,
	webhookId,
	workflowId,
	workflowsToImport,
} from './scenario';

declare global {
	// Shared with globalTeardown (same context).
	var __N8N_E2E__: { crm?: CrmStandIn; n8n?: N8nInstanceLike; started: number } | undefined;
}

function step<T>(timings: string[], name: string, work: () => T): T {
	const started = Date.now();
	const result = work();
	timings.push(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	process.stdout.write(`[e2e] ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
	return result;
}

export default async function globalSetup(): Promise<void> {
	const started = Date.now();
	const context: NonNullable<typeof globalThis.__N8N_E2E__> = { started };
	globalThis.__N8N_E2E__ = context;
	const timings: string[] = [];
	process.stdout.write('\n[e2e] preparing n8n …\n');
	try {
		const installStarted = Date.now();
		await runtime.ensureN8n();
		timings.push(`n8n install/cache: ${((Date.now() - installStarted) / 1000).toFixed(1)} s`);

		step(timings, 'npm run build', () =>
			execFileSync('npm', ['run', 'build'], {
				cwd: pkg.REPO_DIR,
				stdio: ['ignore', 'ignore', 'inherit'],
			}),
		);

		const runDir = mkdtempSync(path.join(tmpdir(), 'n8n-insurance-e2e-'));
		const userFolder = path.join(runDir, 'n8n');
		mkdirSync(userFolder);
		const packed = step(timings, 'npm pack', () => pkg.packRepository(runDir));
		const installed = step(timings, 'install tarball as n8n does', () =>
			pkg.installTarball(packed.tarball, userFolder),
		);

		const crm = await startCrm();
		context.crm = crm;
		const n8n = await instance.N8nInstance.create({
			userFolder,
			logFile: path.join(runDir, 'n8n.log'),
		});
		context.n8n = n8n;

		step(timings, 'import credentials (creates the database)', () =>
			n8n.importCredentials(credentialsToImport()),
		);
		step(timings, 'record package as installed', () =>
			pkg.registerInstalledPackage(userFolder, installed.packageDir),
		);
		const toImport = workflowsToImport(crm.url);
		step(timings, `import + publish ${toImport.length} workflows`, () =>
			n8n.importWorkflows(toImport),
		);

		const state: E2EState = {
			runDir,
			userFolder,
			logFile: n8n.logFile,
			port: n8n.port,
			brokerPort: n8n.brokerPort,
			pid: undefined,
			crmUrl: crm.url,
			tarball: packed.tarball,
			packedFiles: packed.files,
			packageDir: installed.packageDir,
			workflowIds: allSpecs().map((entry) => workflowId(entry.key)),
			webhookUrls: allSpecs().map((entry) => n8n.webhookUrl(webhookId(entry.key))),
		};
		setStateFile(path.join(runDir, 'state.json'));
		writeState(state);

		const startStarted = Date.now();
		await startN8n(n8n, state);
		timings.push(
			`n8n start until webhooks answer: ${((Date.now() - startStarted) / 1000).toFixed(1)} s`,
		);
		process.stdout.write(
			`[e2e] n8n ${runtime.N8N_VERSION} ready at ${n8n.baseUrl} (user folder ${userFolder}, log ${n8n.logFile})\n` +
				`[e2e] setup took ${((Date.now() - started) / 1000).toFixed(1)} s: ${timings.join('; ')}\n`,
		);
	} catch (error) {
		// Jest runs no teardown when setup fails: leave nothing behind here.
		await context.n8n?.stop();
		await context.crm?.close();
		throw error;
	}
}
