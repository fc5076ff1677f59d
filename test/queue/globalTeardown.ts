/**
 * Stops everything globalSetup started (n8n's four processes, nginx, Redis, PostgreSQL, the
 * CRM stand-in) and removes the run's folder unless N8N_QUEUE_KEEP=1.
 */
import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
	const context = globalThis.__N8N_QUEUE__;
	if (!context) return;
	const runDir = context.cluster?.runDir;
	try {
		await context.cluster?.stop();
	} finally {
		await context.crm?.close();
	}
	const stopped = context.cluster?.timings.stop;
	if (stopped !== undefined)
		process.stdout.write(`[queue] everything stopped in ${stopped.toFixed(1)} s\n`);
	if (runDir && process.env.N8N_QUEUE_KEEP !== '1')
		rmSync(runDir, { recursive: true, force: true });
	else if (runDir) process.stdout.write(`[queue] kept ${runDir}\n`);
	process.stdout.write(
		`[queue] whole run: ${((Date.now() - context.started) / 1000).toFixed(1)} s\n`,
	);
}
