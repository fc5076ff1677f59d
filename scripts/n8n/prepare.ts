/**
 * One n8n with this package installed, ready to start: the steps the e2e and reliability suites
 * and `npm run bench` share.
 *
 *   n8n (cached) → npm pack → install the tarball the way n8n's community-package installer does
 *   → import credentials (creates the database) → record the package as installed → import and
 *   publish the workflows.
 *
 * Everything lives under `runDir`, outside the repository, so nothing in the repository's
 * node_modules is reachable from the installed package. Build first (`npm run build`): the
 * tarball holds whatever dist/ holds now.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { N8nInstance } from './instance';
import {
	installTarball,
	packRepository,
	registerInstalledPackage,
	type InstalledPackage,
	type PackedPackage,
} from './package';
import { ensureN8n } from './runtime';

/**
 * `step` wraps each step (e.g. to time it); by default it just runs it. n8n is not started:
 * call `n8n.start()`, then `waitForPublished` and `waitForWebhooks`.
 */
export async function prepareN8n({
	runDir,
	credentials,
	workflows,
	env,
	step = (_name, work) => work(),
}: {
	runDir: string;
	credentials: unknown[];
	workflows: Array<{ id: string }>;
	env?: Record<string, string>;
	step?: <T>(name: string, work: () => T) => T;
}): Promise<{
	n8n: N8nInstance;
	packed: PackedPackage;
	installed: InstalledPackage;
	userFolder: string;
}> {
	await ensureN8n();
	const userFolder = path.join(runDir, 'n8n');
	fs.mkdirSync(userFolder, { recursive: true });
	const packed = step('npm pack', () => packRepository(runDir));
	const installed = step('install tarball as n8n does', () =>
		installTarball(packed.tarball, userFolder),
	);
	const n8n = await N8nInstance.create({
		userFolder,
		logFile: path.join(runDir, 'n8n.log'),
		env,
	});
	step('import credentials (creates the database)', () => n8n.importCredentials(credentials));
	step('record package as installed', () =>
		registerInstalledPackage(userFolder, installed.packageDir),
	);
	step(`import + publish ${workflows.length} workflows`, () => n8n.importWorkflows(workflows));
	return { n8n, packed, installed, userFolder };
}
