/**
 * npm run screenshots: the README's pictures, taken in the real n8n editor so they can be
 * regenerated after a change to the nodes or to n8n.
 *
 *   npm run screenshots          → docs/images/trigger-panel.png, docs/images/item-table-view.png,
 *                                  docs/images/instalment-decline.png, docs/images/rejected-alert.png
 *
 * It starts the same local n8n 2.40.7 as `npm start` (the package installed from its packed
 * tarball, the demo workflows published, plus the Curacel instalment.due and rejection-alert
 * recipes the last two pictures show), but in a throwaway user folder on a free port, so a
 * running `npm start` and its database are left alone. It sends one correctly signed Qoala claim
 * sample with the package's sender. n8n is started and the editor driven by the same code as
 * the editor journey of `npm run test:editor` (scripts/editor/): Debian's headless Chromium
 * (`apt-get install chromium`; CHROMIUM_PATH to use another build) with playwright-core — no
 * browser is downloaded. Everything it started is stopped and the folder removed at the end
 * (N8N_SCREENSHOTS_KEEP=1 keeps the folder and n8n's log).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { Page } from 'playwright-core';

import {
	VIEWPORT,
	checkTools,
	closePopUps,
	found,
	ndv,
	openEditor,
	openNode,
	pickOptions,
	webhookUrl,
	type Editor,
} from './editor/browser';
import { startEditorN8n } from './editor/n8n';
import { N8nInstance, sleep } from './n8n/instance';
import { REPO_DIR, queryDatabase } from './n8n/package';
import {
	answerNode,
	ifNode,
	postItemNode,
	triggerNode,
	type ChainedWorkflow,
	type Connection,
	type WorkflowNode,
} from './n8n/workflows';
import { CREDENTIALS, DEMOS, demoWorkflows, importDemos } from './start';

/*
 * The page.evaluate() callbacks run in the browser's page, where `document` and `Node` are the
 * page's; this program has no DOM types (its lib is es2022), so their part used is declared here.
 */
declare const document: { activeElement: { blur(): void } | null };
declare const Node: { TEXT_NODE: number };

const OUT_DIR = path.join(REPO_DIR, 'docs', 'images');
/** Wide enough for every field of the item side by side (the table is about 1,770 px wide). */
const TABLE_VIEWPORT = { width: 2200, height: 700 };
const SHOWN_WEBHOOK_BASE = 'https://n8n.example.com/';
/** The trigger both pictures show: the Qoala Claim Trigger's demo workflow. */
const SHOWN = found(
	DEMOS.find((demo) => demo.nodeName === 'qoalaClaimTrigger'),
	'the Qoala Claim Trigger demo',
);
const SHOWN_NODE_ID = found(
	found(
		demoWorkflows().find((workflow) => workflow.id === SHOWN.id),
		`the demo workflow ${SHOWN.id}`,
	).nodes.find((node) => node.type.endsWith(`.${SHOWN.nodeName}`)),
	`the trigger of ${SHOWN.id}`,
).id;

/** A connection from one output to `node`'s first input. */
const to = (node: { name: string }): Connection[] => [{ node: node.name, type: 'main', index: 0 }];

/**
 * The Curacel instalment.due recipe the third picture shows: the trigger answers from a
 * response node, an IF decides, and an Answer Insurance Partner node on each branch declines
 * (402) or authorises (2XX) the charge. Imported unpublished: it is only looked at.
 */
function instalmentRecipe(): ChainedWorkflow {
	const trigger = triggerNode({
		nodeName: 'curacelTrigger',
		webhookId: '6f1d2c9a-0b7e-4c51-9a63-c0eace1d0e06',
		authentication: 'signature',
		credential: CREDENTIALS.curacel,
		parameters: { responseMode: 'responseNode', events: ['instalment.due'] },
		name: 'Curacel Trigger',
		position: [0, 0],
	});
	const decide = ifNode({
		id: 'recipeCuracelDue-if',
		name: 'Amount over 1000?',
		position: [240, 0],
		condition: {
			leftValue: '={{ $json.amount }}',
			rightValue: 1000,
			operator: { type: 'number', operation: 'gt' },
		},
	});
	const decline = answerNode({
		id: 'recipeCuracelDue-decline',
		name: 'Decline Charge',
		parameters: { answer: 'decline', statusCode: 402, message: 'Charge declined' },
		position: [480, -120],
	});
	const authorise = answerNode({
		id: 'recipeCuracelDue-authorise',
		name: 'Authorise Charge',
		parameters: { answer: 'acknowledge' },
		position: [480, 120],
	});
	return {
		id: 'recipeCuracelDue',
		name: 'Curacel instalment.due: decline or authorise',
		nodes: [trigger, decide, decline, authorise],
		connections: {
			[trigger.name]: { main: [to(decide)] },
			// An IF node's first output is its true branch, the second its false branch.
			[decide.name]: { main: [to(decline), to(authorise)] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
}

/**
 * The "alert me when signatures start failing" recipe the fourth picture shows: the Curacel
 * Trigger with Output Rejected Deliveries on; its Accepted output posts to the CRM, its Rejected
 * output posts an alert to a team chat's incoming webhook when the refusal is about who sent
 * it (a signature or key that fails, a header missing, the trigger misconfigured).
 */
function alertRecipe(): ChainedWorkflow {
	const trigger = triggerNode({
		nodeName: 'curacelTrigger',
		webhookId: '6f1d2c9a-0b7e-4c51-9a63-c0eace1d0e07',
		authentication: 'signature',
		credential: CREDENTIALS.curacel,
		parameters: { options: { rejectedOutput: true } },
		name: 'Curacel Trigger',
		position: [0, 0],
	});
	const crm = postItemNode({
		id: 'recipeAlert-crm',
		name: 'Upsert In CRM',
		url: 'https://crm.example.com/api/claims',
		position: [280, -120],
	});
	const decide = ifNode({
		id: 'recipeAlert-if',
		name: 'Who Sent It Failed?',
		position: [280, 120],
		condition: {
			leftValue:
				'={{ ["signature_mismatch", "missing_header", "malformed_header", "misconfigured"].includes($json.check) }}',
			rightValue: '',
			operator: { type: 'boolean', operation: 'true', singleValue: true },
		},
	});
	const alert = postItemNode({
		id: 'recipeAlert-chat',
		name: 'Alert Team Chat',
		url: 'https://chat.example.com/hooks/insurance-ops',
		position: [560, 100],
	});
	alert.parameters.jsonBody =
		'={{ JSON.stringify({ text: `Curacel deliveries refused: ${$json.reason} (${$json.httpStatus}, ${$json.suppressed} more since the last alert)` }) }}';
	return {
		id: 'recipeRejectAlert',
		name: 'Curacel: alert me when signatures start failing',
		nodes: [trigger, crm, decide, alert],
		connections: {
			// The trigger's first output is Accepted, its second Rejected.
			[trigger.name]: { main: [to(crm), to(decide)] },
			[decide.name]: { main: [to(alert)] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
}

const say = (text: string) => process.stdout.write(`[screenshots] ${text}\n`);

/**
 * n8n with the packed package, the published demo workflows and the two recipes, in `folder`;
 * the editor shows a public Production URL, as a real installation behind a proxy does.
 */
async function startN8n(folder: string) {
	return await startEditorN8n({
		folder,
		env: { WEBHOOK_URL: SHOWN_WEBHOOK_BASE },
		say,
		importWorkflows: (n8n) => {
			importDemos(n8n, folder);
			n8n.importWorkflows([instalmentRecipe(), alertRecipe()], { publish: false });
			return {
				published: DEMOS.map((demo) => demo.id),
				webhookUrls: [n8n.webhookUrl(SHOWN.webhookId)],
			};
		},
	});
}

/** Sends the Qoala claim sample, signed, and returns the id of the execution it started. */
async function sendSample(n8n: N8nInstance): Promise<string> {
	// The built sender, as its users run it.
	const { sendDelivery } = require(
		path.join(REPO_DIR, 'sender', 'dist', 'sender', 'src'),
	) as typeof import('../sender/src');
	const answer = await sendDelivery({
		providerEvent: SHOWN.sample,
		url: n8n.webhookUrl(SHOWN.webhookId),
		secret: SHOWN.secret,
	});
	if (answer.status !== 200) {
		throw new Error(`the sample delivery was answered ${answer.status}: ${answer.body}`);
	}
	const started = Date.now();
	for (;;) {
		const [row] = queryDatabase<{ id: number; status: string }>(
			n8n.userFolder,
			'SELECT id, status FROM execution_entity WHERE workflowId = ? ORDER BY id DESC LIMIT 1',
			[SHOWN.id],
		);
		if (row && row.status === 'success') return String(row.id);
		if (row && ['error', 'crashed', 'canceled'].includes(row.status)) {
			throw new Error(`the sample's execution ${row.id} ended ${row.status}`);
		}
		if (Date.now() - started > 30000) throw new Error('the sample started no execution in 30 s');
		await sleep(250);
	}
}

/** The trigger's parameters: URLs, registration notice, Authentication, Respond, Statuses open. */
async function triggerPanel(page: Page, baseUrl: string, file: string): Promise<void> {
	await openNode(page, `${baseUrl}/workflow/${SHOWN.id}/${SHOWN_NODE_ID}`);
	await webhookUrl(page, 'Production URL');
	await pickOptions(ndv(page), 'Statuses', ['Rejected by Qoala', 'Rejected by insurer'], {
		keepOpen: true,
	});
	await page.mouse.move(0, VIEWPORT.height - 1);
	await page.waitForTimeout(500);
	await ndv(page).screenshot({ path: file });
}

/**
 * The item of the sample's execution in table view: the parameters column narrowed as far as
 * n8n lets it, the picture cut to the output panel's header and the table.
 */
async function itemTableView(
	page: Page,
	baseUrl: string,
	executionId: string,
	file: string,
): Promise<void> {
	await openNode(
		page,
		`${baseUrl}/workflow/${SHOWN.id}/executions/${executionId}/${SHOWN_NODE_ID}`,
	);
	const output = page.locator('[data-test-id="output-panel"]');
	await output.locator('[data-test-id="radio-button-table"]').click();
	const handle = found(
		await ndv(page).locator('[data-test-id="resize-handle"]').first().boundingBox(),
		"the NDV's resize handle",
	);
	await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
	await page.mouse.down();
	await page.mouse.move(0, handle.y + handle.height / 2, { steps: 10 });
	await page.mouse.up();
	await page.mouse.move(0, TABLE_VIEWPORT.height - 1);
	await page.evaluate(() => document.activeElement?.blur());
	await page.waitForTimeout(500);
	const table = found(
		await output.locator('[data-test-id="ndv-data-container"] table').first().boundingBox(),
		"the output panel's table",
	);
	const panel = found(await output.boundingBox(), 'the output panel');
	if (table.x + table.width > panel.x + panel.width + 1) {
		throw new Error(
			`the table (${table.width} px) is wider than the output panel: widen TABLE_VIEWPORT`,
		);
	}
	await page.screenshot({
		path: file,
		clip: {
			x: panel.x,
			y: panel.y,
			width: panel.width,
			height: table.y + table.height + 16 - panel.y,
		},
	});
}

/**
 * A recipe on the editor's canvas, zoomed to fit: the picture is cut to the
 * nodes, their names and the connections between them, without the canvas's buttons.
 */
async function recipeCanvas(
	page: Page,
	baseUrl: string,
	workflow: ChainedWorkflow<WorkflowNode>,
	file: string,
): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${workflow.id}`);
	const nodes = page.locator('[data-test-id="canvas-node"]');
	await nodes.nth(workflow.nodes.length - 1).waitFor();
	await page.waitForLoadState('networkidle');
	await closePopUps(page);
	const shown = await nodes.count();
	if (shown !== workflow.nodes.length) {
		throw new Error(`the canvas shows ${shown} nodes, not the recipe's ${workflow.nodes.length}`);
	}
	await page.locator('[data-test-id="zoom-to-fit"]').click();
	await page.mouse.move(0, VIEWPORT.height - 1);
	await page.waitForTimeout(800);
	// A node's name and subtitle hang below its box: measure the box and what shows around it,
	// text and icons (a node also holds empty and transparent boxes wider than what it shows).
	const drawn = await nodes.evaluateAll((elements) =>
		elements
			.flatMap((node) => [
				node,
				...[...node.querySelectorAll('*')].filter(
					(element) =>
						(element.tagName.toLowerCase() === 'svg' ||
							[...element.childNodes].some(
								(child) => child.nodeType === Node.TEXT_NODE && child.textContent?.trim() !== '',
							)) &&
						element.checkVisibility({ opacityProperty: true, visibilityProperty: true }),
				),
			])
			.map((element) => element.getBoundingClientRect())
			.filter((box) => box.width > 0 && box.height > 0)
			.reduce(
				(all, box) => ({
					left: Math.min(all.left, box.left),
					top: Math.min(all.top, box.top),
					right: Math.max(all.right, box.right),
					bottom: Math.max(all.bottom, box.bottom),
				}),
				{ left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity },
			),
	);
	const canvas = found(
		await page.locator('[data-test-id="canvas-wrapper"]').boundingBox(),
		"the editor's canvas",
	);
	const margin = 48;
	const left = Math.max(canvas.x, drawn.left - margin);
	const top = Math.max(canvas.y, drawn.top - margin);
	const right = Math.min(canvas.x + canvas.width, drawn.right + margin);
	const bottom = Math.min(canvas.y + canvas.height, drawn.bottom + margin);
	await page.screenshot({
		path: file,
		clip: { x: left, y: top, width: right - left, height: bottom - top },
	});
}

async function takeScreenshots({
	baseUrl,
	cookie,
	executionId,
	outDir = OUT_DIR,
}: {
	baseUrl: string;
	cookie: { name: string; value: string };
	executionId: string;
	outDir?: string;
}): Promise<Record<'panel' | 'table' | 'recipe' | 'alert', string>> {
	fs.mkdirSync(outDir, { recursive: true });
	let editor: Editor | undefined;
	try {
		editor = await openEditor({ baseUrl, cookie });
		const { page } = editor;
		const files = {
			panel: path.join(outDir, 'trigger-panel.png'),
			table: path.join(outDir, 'item-table-view.png'),
			recipe: path.join(outDir, 'instalment-decline.png'),
			alert: path.join(outDir, 'rejected-alert.png'),
		};
		try {
			await triggerPanel(page, baseUrl, files.panel);
			say(`wrote ${path.relative(REPO_DIR, files.panel)}`);
			await page.setViewportSize(TABLE_VIEWPORT);
			await itemTableView(page, baseUrl, executionId, files.table);
			say(`wrote ${path.relative(REPO_DIR, files.table)}`);
			await page.setViewportSize(VIEWPORT);
			await recipeCanvas(page, baseUrl, instalmentRecipe(), files.recipe);
			say(`wrote ${path.relative(REPO_DIR, files.recipe)}`);
			await recipeCanvas(page, baseUrl, alertRecipe(), files.alert);
			say(`wrote ${path.relative(REPO_DIR, files.alert)}`);
		} catch (error) {
			// After a change of n8n's editor a selector may find nothing: show what was on screen.
			const shot = path.join(os.tmpdir(), 'n8n-insurance-screenshots-failure.png');
			await page.screenshot({ path: shot }).catch(() => undefined);
			if (error instanceof Error) error.message += ` (the page at that moment: ${shot})`;
			throw error;
		}
		return files;
	} finally {
		await editor?.close();
	}
}

async function main(): Promise<void> {
	checkTools();
	const keep = process.env.N8N_SCREENSHOTS_KEEP === '1';
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-insurance-screenshots-'));
	let n8n: N8nInstance | undefined;
	const stop = async () => {
		await n8n?.stop();
		if (keep) say(`kept ${folder} (n8n's log: ${path.join(folder, 'n8n.log')})`);
		else fs.rmSync(folder, { recursive: true, force: true });
	};
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.on(signal, () => void stop().finally(() => process.exit(1)));
	}
	process.on('exit', () => n8n?.killNow());
	try {
		const started = await startN8n(folder);
		n8n = started.n8n;
		const { cookie } = started;
		const executionId = await sendSample(n8n);
		say(`sent the Qoala claim sample: execution ${executionId}`);
		await takeScreenshots({ baseUrl: n8n.baseUrl, cookie, executionId });
	} finally {
		await stop();
	}
}

if (require.main === module) {
	main().catch((error: Error) => {
		process.stderr.write(`npm run screenshots failed: ${error.message}\n`);
		process.exit(1);
	});
}
