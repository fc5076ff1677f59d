/**
 * `node build/scripts/queue/install-debian-packages.js`: Debian's postgresql, redis-server and
 * nginx for the queue-mode suite, installed when missing (./services.ts, ensureDebianPackages;
 * as root). CI starts it in the background beside n8n's install, so the queue suite finds them
 * and does not install them while it is timed; the suite still installs whatever is missing.
 */
import { ensureDebianPackages } from './services';

try {
	const { installed, seconds } = ensureDebianPackages();
	process.stdout.write(
		installed.length > 0
			? `[queue] Debian packages installed in ${seconds.toFixed(0)} s: ${installed.join(', ')}\n`
			: '[queue] Debian packages already installed: postgresql, redis-server, nginx\n',
	);
} catch (error) {
	process.stderr.write(`[queue] ${(error as Error).message}\n`);
	process.exitCode = 1;
}
