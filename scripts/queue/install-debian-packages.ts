/**
 * `node build/scripts/queue/install-debian-packages.js`: Debian's postgresql, redis-server and
 * nginx for the queue-mode suite, installed when missing (./services.ts, ensureDebianPackages;
 * as root). CI starts it in the background beside n8n's install, so the queue suite finds them
 * and does not install them while it is timed; the suite still installs whatever is missing.
 */
import { ensureDebianPackages } from './services';

try {
	// ensureDebianPackages says what it installs and how long it took.
	if (ensureDebianPackages().installed.length === 0)
		process.stdout.write(
			'[queue] Debian packages already installed: postgresql, redis-server, nginx\n',
		);
} catch (error) {
	process.stderr.write(`[queue] ${(error as Error).message}\n`);
	process.exitCode = 1;
}
