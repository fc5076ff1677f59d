/**
 * The one way this repository drives n8n's editor: Debian's headless Chromium through
 * playwright-core (no browser is downloaded), and the editor's parts found the way a person
 * finds them — by the labels, roles and texts on screen. `npm run test:editor`
 * (test/editor/) walks a user's journey with these helpers and asserts what it sees;
 * `npm run screenshots` (scripts/screenshots.ts) takes the README's pictures with the same ones.
 *
 * Where n8n gives a part no label a person reads (the node details view as a whole, the output
 * panel, the canvas), its `data-test-id` names it: those ids are n8n's own hooks for its tests.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { BrowserContext, Locator, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** Flags that work as root and offline: no sandbox, no GPU, no QUIC, no calls home. */
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
export const VIEWPORT = { width: 1440, height: 900 };

/** Fails early, with the command that fixes it, when Chromium or playwright-core is missing. */
export function checkTools(): typeof import('playwright-core') {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(
			`no Chromium at ${CHROMIUM}. Install Debian's: sudo apt-get update && sudo apt-get install -y chromium ` +
				'(or set CHROMIUM_PATH to a Chromium or Chrome binary)',
		);
	}
	try {
		return require('playwright-core') as typeof import('playwright-core');
	} catch {
		throw new Error('playwright-core is missing: run npm install (it is a dev dependency)');
	}
}

export interface Editor {
	page: Page;
	close(): Promise<void>;
}

/**
 * A Chromium signed in to n8n as the owner (`cookie` from setUpOwner), with a profile of its
 * own that close() removes.
 */
export async function openEditor({
	baseUrl,
	cookie,
	viewport = VIEWPORT,
}: {
	baseUrl: string;
	cookie: { name: string; value: string };
	viewport?: { width: number; height: number };
}): Promise<Editor> {
	const { chromium } = checkTools();
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-insurance-chromium-'));
	let context: BrowserContext | undefined;
	const close = async () => {
		await context?.close();
		fs.rmSync(userDataDir, { recursive: true, force: true });
	};
	try {
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport,
			// The Webhook URLs panel copies a URL when it is clicked.
			permissions: ['clipboard-read', 'clipboard-write'],
		});
		await context.addCookies([{ ...cookie, url: baseUrl }]);
		const page = context.pages()[0] ?? (await context.newPage());
		return { page, close };
	} catch (error) {
		await close();
		throw error;
	}
}

/** `value`, or a failure naming `what` was not there. */
export function found<T>(value: T | undefined | null, what: string): T {
	if (value === undefined || value === null) throw new Error(`${what} was not found`);
	return value;
}

/**
 * Closes whatever n8n pops up over the editor (surveys, "what's new", notifications), so only
 * what the step opened is left.
 */
export async function closePopUps(page: Page): Promise<void> {
	const popUps = page.locator(
		'.el-overlay:visible:not(:has([data-test-id="ndv"])):not(:has([data-test-id="editCredential-modal"])) .el-dialog__headerbtn, ' +
			'.el-notification:visible .el-notification__closeBtn',
	);
	for (let count = await popUps.count(); count > 0; count = await popUps.count()) {
		await popUps.first().click();
		await page.waitForTimeout(300);
	}
}

/** The node details view (NDV): the panel a node opens in. */
export const ndv = (page: Page): Locator => page.locator('[data-test-id="ndv"]');

/** Opens a node's details view by its URL and waits until n8n has drawn it. */
export async function openNode(page: Page, url: string): Promise<void> {
	await page.goto(url);
	await ndv(page).waitFor();
	await page.waitForLoadState('networkidle');
	await closePopUps(page);
}

/** A label as n8n writes it: the text, maybe a required field's `*`, maybe spaces around. */
function labelText(label: string): RegExp {
	const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`^\\s*${escaped}\\s*\\*?\\s*$`);
}

/**
 * The field under `scope` (a node's panel, a credential's form) whose label reads `label`: the
 * nearest box around the label that also holds an input — the label and its input, as the
 * person sees them together.
 */
export function field(scope: Locator, label: string): Locator {
	return scope
		.locator('label')
		.filter({ has: scope.page().getByText(labelText(label)) })
		.first()
		.locator('xpath=ancestor::*[.//input or .//textarea][1]');
}

/** The list a select opened (n8n draws it outside the panel). */
export const openList = (page: Page): Locator => page.locator('.el-select-dropdown:visible');

/**
 * The option of the open list whose title reads `option` (an option's accessible name also
 * holds its description, so the title is matched on its own).
 */
export const listOption = (page: Page, option: string): Locator =>
	openList(page)
		.getByRole('option')
		.filter({ has: page.getByText(option, { exact: true }) });

/**
 * Opens the select of the field labelled `label` and picks each of `options` by its title.
 * `keepOpen` leaves a multi-select's list open (a picture shows the choices beside the picks).
 */
export async function pickOptions(
	scope: Locator,
	label: string,
	options: string[],
	{ keepOpen = false } = {},
): Promise<void> {
	const page = scope.page();
	await field(scope, label).locator('.el-select').first().click();
	for (const option of options) await listOption(page, option).click();
	// A multi-select stays open after a pick; the key a person presses closes it.
	if (!keepOpen && (await openList(page).count())) await page.keyboard.press('Escape');
}

/**
 * The URL the trigger's Webhook URLs panel shows for `which` ("Production URL" or "Test URL"),
 * as a person reads it there: the panel opened, the toggle set, the URL's text.
 */
export async function webhookUrl(
	page: Page,
	which: 'Production URL' | 'Test URL',
): Promise<string> {
	const panel = ndv(page);
	const toggle = panel.getByRole('radio', { name: which });
	if (!(await toggle.isVisible())) await panel.getByText('Webhook URLs', { exact: true }).click();
	await toggle.click();
	const route = which === 'Production URL' ? '/webhook/' : '/webhook-test/';
	const shown = panel.getByText(new RegExp(`^https?://\\S+${route}`)).first();
	await shown.waitFor();
	return (await shown.innerText()).trim();
}

/** A node on the canvas, by the name it shows. */
export const canvasNode = (page: Page, name: string): Locator =>
	page.locator('[data-test-id="canvas-node"]').filter({ hasText: name }).first();
