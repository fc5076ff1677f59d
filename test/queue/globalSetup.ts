/**
 * Once per queue-mode run (npm run test:queue): Debian's postgresql, redis-server and nginx
 * (installed with apt-get when missing, as root) → n8n 2.40.7 (cached) → build → npm pack →
 * the queue-mode cluster of scripts/queue with the package installed into every process, the
 * e2e scenario's credentials and this suite's workflows, and the CRM stand-in they post to.
 *
 * N8N_QUEUE_BALANCE=body-hash makes nginx send byte-identical deliveries to the same webhook
 * process (default: round-robin, nginx's default). N8N_QUEUE_PACKAGE=<tarball> tests that
 * tarball (e.g. a release, or a candidate change) instead of building and packing this one.
 */
import * as path from 'node:path';

import { buildUnlessCurrent, pkg, runtime, startCrm, type CrmStandIn } from '../e2e/harness';
import { credentialsToImport } from '../e2e/scenario';
import {
	cluster,
	queueWorkflows,
	services,
	setStateFile,
	writeState,
	type Balance,
	type QueueCluster,
	type QueueState,
} from './environment';

declare global {
	// Shared with globalTeardown (same context).
	var __N8N_QUEUE__: { crm?: CrmStandIn; cluster?: QueueCluster; started: number } | undefined;
}

const say = (text: string) => process.stdout.write(`[queue] ${text}\n`);

export default async function globalSetup(): Promise<void> {
	const started = Date.now();
	const context: NonNullable<typeof globalThis.__N8N_QUEUE__> = { started };
	globalThis.__N8N_QUEUE__ = context;
	const balance = (process.env.N8N_QUEUE_BALANCE ?? 'round-robin') as Balance;
	if (balance !== 'round-robin' && balance !== 'body-hash')
		throw new Error(`N8N_QUEUE_BALANCE must be round-robin or body-hash, not ${balance}`);
	process.stdout.write('\n');
	try {
		const debianPackages = services.ensureDebianPackages();
		await runtime.ensureN8n();
		const runDir = cluster.makeRunDir();
		let tarball = process.env.N8N_QUEUE_PACKAGE;
		if (tarball) {
			tarball = path.resolve(tarball);
			say(`package: ${tarball} (N8N_QUEUE_PACKAGE)`);
		} else {
			let since = Date.now();
			const build = buildUnlessCurrent();
			say(
				`npm run build (${((Date.now() - since) / 1000).toFixed(1)} s${build === 'current' ? ': skipped, the last build is of these same files' : ''})`,
			);
			since = Date.now();
			tarball = pkg.packRepository(runDir).tarball;
			say(`npm pack: ${path.basename(tarball)} (${((Date.now() - since) / 1000).toFixed(1)} s)`);
		}

		const crm = await startCrm();
		context.crm = crm;
		const queue = new cluster.QueueCluster({ runDir, balance });
		context.cluster = queue;
		await queue.start({
			tarball,
			credentials: credentialsToImport(),
			workflows: queueWorkflows(crm.url),
		});

		const { main, postgres, nginx, redis } = queue.running();
		const state: QueueState = {
			runDir,
			balance,
			crmUrl: crm.url,
			tarball,
			postgres,
			nginx: { baseUrl: nginx.baseUrl, accessLog: nginx.accessLog, version: nginx.version },
			redis: { version: redis.version },
			webhookProcesses: queue.webhooks.map((n8n) => n8n.baseUrl),
			main: main.baseUrl,
			setupSeconds: (Date.now() - started) / 1000,
			timings: queue.timings,
			debianPackages,
			startedAt: started,
		};
		setStateFile(path.join(runDir, 'state.json'));
		writeState(state);
		say(`setup took ${state.setupSeconds.toFixed(1)} s; run folder ${runDir}`);
	} catch (error) {
		// Jest runs no teardown when setup fails: leave nothing behind here.
		await context.cluster?.stop();
		await context.crm?.close();
		throw error;
	}
}
