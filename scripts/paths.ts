/**
 * Where the repository and the compiled harness are, from either place the harness runs:
 * compiled, as build/scripts/…/*.js (npm start, npm run bench, npm run build's own steps), or
 * as its TypeScript sources under ts-jest (the real-n8n suites import them). __dirname differs
 * between the two, so the root is the nearest folder above with a package.json (neither
 * scripts/ nor build/ has one).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

function repositoryRoot(from: string): string {
	for (let dir = from; ; dir = path.dirname(dir)) {
		if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
		if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
	}
}

export const REPO_DIR = repositoryRoot(__dirname);

/** Where `npm run build` writes the package of each partner (scripts/partner-packages.ts). */
export const PARTNER_PACKAGES_DIR = path.join(REPO_DIR, 'partner-packages');

/**
 * The partner whose own package the harness installs into n8n instead of the pack:
 * `N8N_INSURANCE_PACKAGE=<provider>` (`npm run test:partners`); unset, the pack.
 */
export const INSTALLED_PARTNER = process.env.N8N_INSURANCE_PACKAGE || undefined;

/** The package the harness installs into n8n: the pack (the repository) or that partner's. */
export const INSTALLED_PACKAGE_DIR = INSTALLED_PARTNER
	? path.join(PARTNER_PACKAGES_DIR, INSTALLED_PARTNER)
	: REPO_DIR;

/**
 * Where the harness keeps what it installs outside the repository (each n8n version with its
 * Node 24, n8n's own node CLI): `N8N_INSURANCE_CACHE_DIR`, else the user's cache folder.
 */
export const CACHE_DIR = process.env.N8N_INSURANCE_CACHE_DIR
	? path.resolve(process.env.N8N_INSURANCE_CACHE_DIR)
	: path.join(
			process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
			'n8n-insurance-webhooks',
		);

/**
 * A compiled harness file (`compiled('n8n', 'supervisor.js')`): what a child process runs by
 * path. Node 20 (and the Node 24 n8n runs on) cannot run .ts, so a child is always started from
 * build/, also when the parent runs from the sources (ts-jest); `npm run build` makes it.
 */
export function compiled(...segments: string[]): string {
	const file = path.join(REPO_DIR, 'build', 'scripts', ...segments);
	if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
	return file;
}
