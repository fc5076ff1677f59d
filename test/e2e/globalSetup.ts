/**
 * Once per e2e run: n8n (cached) → build → npm pack → install the tarball the way n8n's
 * community-package installer does → import credentials and workflows → start n8n with the
 * CRM stand-in. Everything lives in a temporary folder outside the repository, so nothing in
 * the repository's node_modules (zod, n8n-workflow as dev dependencies) is reachable from the
 * installed package: it must work with what n8n provides.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import {
	buildUnlessCurrent,
	prepare,
	runtime,
	setStateFile,
	startCrm,
	startN8n,
	writeState,
	type CrmStandIn,
	type E2EState,
	type N8nInstance,
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
	var __N8N_E2E__: { crm?: CrmStandIn; n8n?: N8nInstance; started: number } | undefined;
}

/** What a suite imports into its n8n; the e2e suite's is ./scenario.ts. */
export interface N8nScenario {
	/** Names the run's temporary folder and prefixes the log lines. */
	name: string;
	credentials(): unknown[];
	/** The workflows, posting to the CRM stand-in at `crmUrl`. */
	workflows(crmUrl: string): Array<{ id: string }>;
	workflowIds(): string[];
	/** The webhook ids of the production URLs that must answer before the tests start. */
	webhookIds(): string[];
}

export const E2E_SCENARIO: N8nScenario = {
	name: 'e2e',
	credentials: credentialsToImport,
	workflows: workflowsToImport,
	workflowIds: () => allSpecs().map((entry) => workflowId(entry.key)),
	webhookIds: () => allSpecs().map((entry) => webhookId(entry.key)),
};

/**
 * Once per run: n8n (cached) → build → npm pack → install the tarball as n8n does → import the
 * scenario's credentials and workflows → start n8n with the CRM stand-in.
 */
export async function setUpN8n(scenario: N8nScenario): Promise<void> {
	const started = Date.now();
	const context: NonNullable<typeof globalThis.__N8N_E2E__> = { started };
	globalThis.__N8N_E2E__ = context;
	const timings: string[] = [];
	const say = (text: string) => process.stdout.write(`[${scenario.name}] ${text}\n`);
	const step = <T>(name: string, work: () => T): T => {
		const stepStarted = Date.now();
		const result = work();
		const seconds = ((Date.now() - stepStarted) / 1000).toFixed(1);
		timings.push(`${name}: ${seconds} s`);
		say(`${name} (${seconds} s)`);
		return result;
	};
	process.stdout.write('\n');
	say('preparing n8n …');
	try {
		const installStarted = Date.now();
		await runtime.ensureN8n();
		timings.push(`n8n install/cache: ${((Date.now() - installStarted) / 1000).toFixed(1)} s`);

		const build = step('npm run build', buildUnlessCurrent);
		if (build === 'current') say('npm run build: skipped, the last build is of these same files');

		const runDir = mkdtempSync(path.join(tmpdir(), `n8n-insurance-${scenario.name}-`));
		const crm = await startCrm();
		context.crm = crm;
		const { n8n, packed, installed, userFolder } = await prepare.prepareN8n({
			runDir,
			credentials: scenario.credentials(),
			workflows: scenario.workflows(crm.url),
			step,
		});
		context.n8n = n8n;

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
			workflowIds: scenario.workflowIds(),
			webhookUrls: scenario.webhookIds().map((id) => n8n.webhookUrl(id)),
		};
		setStateFile(path.join(runDir, 'state.json'));
		writeState(state);

		const startStarted = Date.now();
		await startN8n(n8n, state);
		timings.push(
			`n8n start until webhooks answer: ${((Date.now() - startStarted) / 1000).toFixed(1)} s`,
		);
		say(
			`n8n ${runtime.N8N_VERSION} ready at ${n8n.baseUrl} (user folder ${userFolder}, log ${n8n.logFile})`,
		);
		say(`setup took ${((Date.now() - started) / 1000).toFixed(1)} s: ${timings.join('; ')}`);
	} catch (error) {
		// Jest runs no teardown when setup fails: leave nothing behind here.
		await context.n8n?.stop();
		await context.crm?.close();
		throw error;
	}
}

export default async function globalSetup(): Promise<void> {
	await setUpN8n(E2E_SCENARIO);
}
