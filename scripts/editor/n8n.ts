/**
 * The n8n the editor is driven in (`npm run test:editor`, `npm run screenshots`): n8n 2.40.7
 * (cached) with the package installed from its packed tarball as n8n's community-package
 * installer does, in a throwaway user folder on a free port, and its owner account created
 * through n8n's REST API, so the browser can sign in with the cookie that returns.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { N8nInstance, setUpOwner } from '../n8n/instance';
import {
	installTarball,
	packRepository,
	registerInstalledPackage,
	type InstalledPackage,
} from '../n8n/package';
import { ensureN8n } from '../n8n/runtime';

export const OWNER = {
	email: 'owner@example.com',
	firstName: 'Demo',
	lastName: 'Owner',
	password: 'Screenshots-2026',
};

export interface EditorN8n {
	n8n: N8nInstance;
	cookie: { name: string; value: string };
}

/**
 * Starts n8n in `folder` with the packed package. `importWorkflows` (n8n still stopped) imports
 * what the caller shows and returns the workflow ids and production URLs to wait for.
 */
export async function startEditorN8n({
	folder,
	env,
	importWorkflows,
	say = () => undefined,
}: {
	folder: string;
	env?: Record<string, string>;
	importWorkflows?: (n8n: N8nInstance) => { published: string[]; webhookUrls: string[] };
	say?: (text: string) => void;
}): Promise<EditorN8n> {
	await ensureN8n();
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-insurance-pack-'));
	let installed: InstalledPackage;
	try {
		say('packing and installing the package …');
		installed = installTarball(packRepository(packDir).tarball, folder);
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
	const n8n = await N8nInstance.create({ userFolder: folder, env });
	// Any CLI command creates the database, which registering the package writes to.
	const waitFor = importWorkflows?.(n8n) ?? (n8n.migrate(), { published: [], webhookUrls: [] });
	registerInstalledPackage(folder, installed.packageDir);
	say(`starting n8n on ${n8n.baseUrl} …`);
	await n8n.start();
	try {
		await n8n.waitForPublished(waitFor.published);
		await n8n.waitForWebhooks(waitFor.webhookUrls);
		return { n8n, cookie: await setUpOwner(n8n.baseUrl, OWNER) };
	} catch (error) {
		await n8n.stop();
		throw error;
	}
}
