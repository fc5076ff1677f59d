/**
 * npm run test:editor: the journey a person takes with this package in n8n 2.40.7's editor,
 * driven in headless Chromium by what is on screen (scripts/editor/browser.ts), with the package
 * installed from its packed tarball. Each step asserts what the person would see and keeps a
 * screenshot (./steps.ts says where).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import type { Locator, Page } from 'playwright-core';

import { buildUnlessCurrent } from '../../scripts/build-stamp';
import {
	canvasNode,
	closePopUps,
	field,
	listOption,
	ndv,
	openEditor,
	pickOptions,
	webhookUrl,
	type Editor,
} from '../../scripts/editor/browser';
import { startEditorN8n, type EditorN8n } from '../../scripts/editor/n8n';
import { REPO_DIR } from '../../scripts/n8n/package';
import { stepRunner, until } from './steps';

const run = promisify(execFile);

/** The HMAC-SHA256 secret the journey types into the credential form and signs with. */
const SECRET = 'journey-hmac-secret-7f3a9c';
/** A claim Qoala reports paid: the status the journey's Statuses filter lets through. */
const paidClaim = (claimNumber: string) =>
	JSON.stringify({
		claim_number: claimNumber,
		policy_number: 'POL-2026-0042',
		status: 'INSURANCE_CLAIM_PAID',
	});

let server: EditorN8n | undefined;
let editor: Editor | undefined;
let folder: string | undefined;
const { folder: stepsFolder, step } = stepRunner({
	page: () => editor?.page,
	n8nLog: () => server?.n8n.logFile,
});
const page = (): Page => {
	if (!editor) throw new Error('the editor did not open (see beforeAll)');
	return editor.page;
};
const say = (text: string) => process.stdout.write(`[editor] ${text}\n`);

/** Sends `body` signed as Qoala with the package's sender, as its README tells a user to. */
async function sendSigned(url: string, body: string): Promise<string> {
	if (!folder) throw new Error('n8n did not start (see beforeAll)');
	const file = path.join(folder, 'claim.json');
	fs.writeFileSync(file, body);
	const { stdout } = await run(process.execPath, [
		path.join(REPO_DIR, 'sender', 'dist', 'sender', 'src', 'bin.js'),
		'send',
		'qoala-claim',
		'--url',
		url,
		'--scheme',
		'hmacSha256',
		'--secret',
		SECRET,
		'--file',
		file,
	]);
	return stdout;
}

beforeAll(async () => {
	say(`screenshots of every step: ${stepsFolder}`);
	buildUnlessCurrent();
	folder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-insurance-editor-'));
	server = await startEditorN8n({ folder, say });
	editor = await openEditor({ baseUrl: server.n8n.baseUrl, cookie: server.cookie });
}, 300000);

afterAll(async () => {
	await editor?.close();
	await server?.n8n.stop();
	if (folder && process.env.N8N_E2E_KEEP !== '1')
		fs.rmSync(folder, { recursive: true, force: true });
	say(`screenshots of every step: ${stepsFolder}`);
}, 60000);

// The steps share what they made on screen: the workflow stays open from one to the next.
let productionUrl = '';

/** Each node of the package, the words a person might search for it by, and its icon's file. */
const SEARCHES: Array<{ term: string; finds: Array<{ name: string; icon: string }> }> = [
	{
		term: 'Qoala',
		finds: [
			{ name: 'Qoala Claim Trigger', icon: 'Qoala/qoala.svg' },
			{ name: 'Qoala Policy Trigger', icon: 'Qoala/qoala.svg' },
		],
	},
	{
		term: 'Cermati',
		finds: [
			{ name: 'Cermati Application Trigger', icon: 'Cermati/cermati.svg' },
			{ name: 'Cermati Claim Trigger', icon: 'Cermati/cermati.svg' },
		],
	},
	// n8n lists a trigger whose events are a list (the Curacel Trigger's Events) by its service's
	// name, as it does its own (GitHub for the GitHub Trigger).
	{ term: 'Curacel', finds: [{ name: 'Curacel', icon: 'Curacel/curacel.svg' }] },
	{
		term: 'claim',
		finds: [
			{ name: 'Qoala Claim Trigger', icon: 'Qoala/qoala.svg' },
			{ name: 'Cermati Claim Trigger', icon: 'Cermati/cermati.svg' },
		],
	},
	{
		term: 'answer',
		finds: [{ name: 'Answer Insurance Partner', icon: 'PartnerAnswer/answer.svg' }],
	},
];

/**
 * The nodes panel's result named `name` shows the package's icon `icon`, and the browser
 * could load and draw it (a missing or broken file has no width).
 */
async function expectResultWithIcon(p: Page, name: string, icon: string): Promise<void> {
	const result = p
		.locator('[data-test-id="item-iterator-item"]')
		.filter({ has: p.getByText(name, { exact: true }) })
		.first();
	await result.waitFor();
	const image = result.locator('img').first();
	expect(await image.getAttribute('src')).toContain(
		`/n8n-nodes-insurance-webhooks/dist/nodes/${icon}`,
	);
	await until(
		`the width of the icon of "${name}" as drawn`,
		() =>
			image.evaluate((element) => (element as unknown as { naturalWidth: number }).naturalWidth),
		(width) => width > 0,
	);
}

/** Adds the node `name` from the nodes panel's search for `term`, as a person does. */
async function addNode(p: Page, term: string, name: string): Promise<void> {
	await p.getByPlaceholder('Search nodes...').fill(term);
	await p.getByText(name, { exact: true }).click();
	// A community node opens its details first; the person adds it from there.
	await p.getByRole('button', { name: 'Add to workflow' }).click();
	await ndv(p).waitFor();
}

step('a new workflow: the nodes panel finds every node of the package, with its icon', async () => {
	const p = page();
	await p.goto(`${server?.n8n.baseUrl}/workflow/new`);
	await p.waitForLoadState('networkidle');
	await closePopUps(p);
	await p.getByRole('button', { name: 'Open nodes panel' }).click();
	for (const { term, finds } of SEARCHES) {
		await p.getByPlaceholder('Search nodes...').fill(term);
		for (const { name, icon } of finds) await expectResultWithIcon(p, name, icon);
	}
	await addNode(p, 'Qoala', 'Qoala Claim Trigger');
	await ndv(p)
		.getByText('Qoala Claim Trigger', { exact: true })
		.filter({ visible: true })
		.first()
		.waitFor();
	await ndv(p)
		.getByRole('alert')
		.filter({ hasText: 'Qoala sets the callback URL with you at onboarding' })
		.waitFor();
});

/**
 * What a field shows: its text and its input's value (a select shows its choice in either,
 * depending on the kind of select).
 */
async function shown(part: Locator): Promise<string> {
	const value = await part
		.locator('input')
		.first()
		.inputValue({ timeout: 1000 })
		.catch(() => '');
	return `${await part.innerText()} ${value}`;
}

/** Waits until the field labelled `label` shows `text`. */
async function expectShown(scope: Locator, label: string, text: string): Promise<void> {
	await until(
		`what "${label}" shows`,
		() => shown(field(scope, label)),
		(all) => all.includes(text),
	);
}

/** The label of the trigger's credential once Authentication is HMAC-SHA256. */
const CREDENTIAL_LABEL = 'Credential for Qoala HMAC-SHA256 Webhook API';

/** The credential form that is open now. */
const credentialForm = (p: Page): Locator => p.locator('[data-test-id="editCredential-modal"]');

/** Closes the credential form and opens the node's list of credentials; returns the form. */
async function reopenCredentialList(p: Page): Promise<Locator> {
	const form = credentialForm(p);
	await form.getByRole('button', { name: 'Close this dialog' }).click();
	await form.waitFor({ state: 'hidden' });
	await ndv(p).getByRole('combobox', { name: 'Select Credential' }).click();
	return form;
}

/** The fields of the HMAC-SHA256 credential, each with the help its "?" shows. */
const HMAC_FIELDS = [
	{ label: 'Secret', help: 'The signing secret agreed with Qoala at onboarding' },
	{ label: 'Previous Secret', help: /^Only while you change the secret/ },
	{ label: 'Header Name', help: 'The header Qoala puts the signature in' },
	{ label: 'Encoding', help: 'How the signature is written in the header' },
];

/** The help of a field, shown when the pointer rests on the "?" beside its label. */
async function expectHelp(form: Locator, label: string, help: string | RegExp): Promise<void> {
	const title = field(form, label).locator('label').first();
	await title.hover();
	await title.locator('svg[data-icon="circle-help"]').hover();
	await form
		.page()
		.getByText(help, { exact: typeof help === 'string' })
		.filter({ visible: true })
		.first()
		.waitFor();
}

step(
	'Authentication HMAC-SHA256: a credential made in its form, and its test says it works',
	async () => {
		const p = page();
		await pickOptions(ndv(p), 'Authentication', ['HMAC-SHA256']);
		await field(ndv(p), CREDENTIAL_LABEL).waitFor();
		await ndv(p).getByRole('button', { name: 'Connect to Qoala HMAC-SHA256 Webhook' }).click();
		const form = credentialForm(p);
		await form
			.getByText('Qoala HMAC-SHA256 Webhook API')
			.filter({ visible: true })
			.first()
			.waitFor();
		for (const { label, help } of HMAC_FIELDS) await expectHelp(form, label, help);
		expect(await field(form, 'Header Name').locator('input').inputValue()).toBe('x-api-key');
		await field(form, 'Secret').locator('input').fill(SECRET);
		// Save runs the credential's test; a credential that passes closes the form.
		await form.getByRole('button', { name: 'Save', exact: true }).click();
		await form.waitFor({ state: 'hidden' });
		await expectShown(ndv(p), CREDENTIAL_LABEL, 'Qoala HMAC-SHA256 Webhook account');
		// Opened again, the form shows the test's verdict.
		await ndv(p).locator('[data-test-id="credential-edit-button"]').click();
		await form.getByText('Connection tested successfully').first().waitFor();
	},
);

step(
	'a second credential with a header name HTTP cannot carry: its form says what is wrong',
	async () => {
		const p = page();
		const form = await reopenCredentialList(p);
		await p.getByText('Create new credential', { exact: true }).click();
		await field(form, 'Secret').locator('input').fill(SECRET);
		await field(form, 'Header Name').locator('input').fill('x api key');
		await form.getByRole('button', { name: 'Save', exact: true }).click();
		await form.getByText('Couldn’t connect with these settings').first().waitFor();
		// What is wrong is behind the banner's link, as n8n shows any test's message.
		await form.getByText('More details').first().click();
		await p
			.getByText('Header Name "x api key" is not a valid HTTP header name', { exact: false })
			.filter({ visible: true })
			.first()
			.waitFor();
	},
);

step('Statuses: "Paid" picked from the list by its label', async () => {
	const p = page();
	// First the form of the bad credential is closed, and the one that works chosen again.
	await reopenCredentialList(p);
	await listOption(p, 'Qoala HMAC-SHA256 Webhook account').click();
	await expectShown(ndv(p), CREDENTIAL_LABEL, 'Qoala HMAC-SHA256 Webhook account');
	await pickOptions(ndv(p), 'Statuses', ['Paid']);
	await expectShown(ndv(p), 'Statuses', 'Paid');
});

step(
	'the Production URL read from the Webhook URLs panel; the workflow saved and published',
	async () => {
		const p = page();
		productionUrl = await webhookUrl(p, 'Production URL');
		expect(productionUrl).toMatch(
			new RegExp(`^${server?.n8n.baseUrl}/webhook/[0-9a-f-]{36}/webhook$`),
		);
		await p.keyboard.press('Escape');
		await ndv(p).waitFor({ state: 'hidden' });
		await p.keyboard.press('Control+s');
		await p.waitForURL(/\/workflow\/(?!new)[^/]+$/);
		await p.getByRole('button', { name: 'Publish', exact: true }).click();
		const publish = p.getByRole('dialog').filter({ hasText: 'Publish workflow' });
		await publish.getByRole('button', { name: 'Publish', exact: true }).click();
		const published = p.getByRole('dialog').filter({ hasText: 'Workflow published' });
		await published
			.getByText('Your workflow will now listen for events from Qoala Claim')
			.waitFor();
		await published.getByRole('button', { name: 'Got it' }).click();
		await p.getByRole('button', { name: 'Published' }).waitFor();
	},
);

/** The first row of the output panel's table, by column: what a person reads there. */
async function firstRow(output: Locator): Promise<Record<string, string>> {
	await output.getByRole('radio', { name: 'Table' }).click();
	const table = output.getByRole('table');
	await table.getByRole('row').nth(1).waitFor();
	const headers = await table.getByRole('columnheader').allInnerTexts();
	const cells = await table.getByRole('row').nth(1).getByRole('cell').allInnerTexts();
	return Object.fromEntries(
		headers.map((header, index) => [header.trim(), (cells[index] ?? '').trim()]),
	);
}

step(
	'a signed paid claim sent to the Production URL: 200, and the run in Executions with its fields',
	async () => {
		const p = page();
		const answer = await sendSigned(productionUrl, paidClaim('CLM-2026-EDITOR-1'));
		expect(answer).toMatch(/^HTTP 200\b/);
		await p.getByRole('radio', { name: 'Executions' }).click();
		const run = p.getByRole('link', { name: /Succeeded/ });
		await until(
			'the runs listed',
			() => run.count(),
			(count) => count === 1,
			30000,
		);
		await run.click();
		await canvasNode(p, 'Qoala Claim Trigger').dblclick();
		const row = await firstRow(ndv(p).locator('[data-test-id="output-panel"]'));
		expect(row).toMatchObject({
			outcome: 'paid',
			statusLabel: 'Paid',
			claimNumber: 'CLM-2026-EDITOR-1',
		});
	},
);

step(
	'Execute step listens for a test event; a signed claim to the Test URL shows in the output',
	async () => {
		const p = page();
		await p.keyboard.press('Escape');
		await p.getByRole('radio', { name: 'Editor' }).click();
		await canvasNode(p, 'Qoala Claim Trigger').dblclick();
		const testUrl = await webhookUrl(p, 'Test URL');
		await ndv(p).getByRole('button', { name: 'Execute step' }).first().click();
		await ndv(p).getByText('Listening for test event').first().waitFor();
		const answer = await sendSigned(testUrl, paidClaim('CLM-2026-EDITOR-TEST'));
		expect(answer).toMatch(/^HTTP 200\b/);
		const row = await firstRow(ndv(p).locator('[data-test-id="output-panel"]'));
		expect(row).toMatchObject({ outcome: 'paid', claimNumber: 'CLM-2026-EDITOR-TEST' });
	},
);

step(
	'the Answer Insurance Partner node after a trigger that answers itself shows its notice',
	async () => {
		const p = page();
		// The trigger's Respond is still "Immediately": it answers the partner itself.
		await expectShown(ndv(p), 'Respond', 'Immediately');
		await p.keyboard.press('Escape');
		await ndv(p).waitFor({ state: 'hidden' });
		await canvasNode(p, 'Qoala Claim Trigger').click();
		await p.getByRole('button', { name: 'Open nodes panel' }).click();
		await addNode(p, 'answer', 'Answer Insurance Partner');
		await ndv(p)
			.getByRole('alert')
			.filter({ hasText: "Set the trigger's Respond to Using a Response Node." })
			.waitFor();
	},
);
