import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npx n8n-insurance-webhooks …` from a clone (README): npm links the sender's bin into the
 * repository's node_modules/.bin, because the repository has the sender as a development
 * dependency (`file:sender`), and npx runs what it finds there. Runs against sender/dist/
 * (`npm test` builds first).
 */
it('runs the built sender as the bin npx finds in the clone', () => {
	const bin = join(__dirname, '..', '..', 'node_modules', '.bin', 'n8n-insurance-webhooks');
	const run = spawnSync(bin, ['--help'], { encoding: 'utf8' });
	expect(run.error).toBeUndefined();
	expect(run.status).toBe(0);
	expect(run.stdout).toContain('Usage: n8n-insurance-webhooks send <provider-event>');
});
