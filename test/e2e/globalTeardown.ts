/**
 * Stops whatever n8n is running now (a test may have restarted it: the state file has its
 * pid), closes the CRM stand-in, and removes the run's folder unless N8N_E2E_KEEP=1.
 */
import { rmSync } from 'node:fs';

import { currentN8n, readState } from './harness';

export default async function globalTeardown(): Promise<void> {
	const context = globalThis.__N8N_E2E__;
	let runDir: string | undefined;
	try {
		const state = readState();
		runDir = state.runDir;
		await currentN8n(state).stop();
	} finally {
		await context?.n8n?.stop();
		await context?.crm?.close();
	}
	if (runDir && process.env.N8N_E2E_KEEP !== '1') rmSync(runDir, { recursive: true, force: true });
	else if (runDir) process.stdout.write(`[e2e] kept ${runDir}\n`);
	if (context)
		process.stdout.write(
			`[e2e] whole run: ${((Date.now() - context.started) / 1000).toFixed(1)} s\n`,
		);
}
