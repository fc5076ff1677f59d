/**
 * The example workflows of docs/workflows, as a user imports them, turned into what the e2e
 * suite can run: the one place that replaces their placeholders with local targets.
 *
 * - Credentials named in the file ("Qoala account", "SMTP account", "CRM API key") are replaced
 *   by credentials of the same type that this run imported (the partner's test secrets, the
 *   SMTP stand-in, a test CRM token).
 * - The CRM URL `https://crm.example.com` becomes the local HTTP recorder.
 * - Google Sheets: n8n's Google Sheets node calls `https://sheets.googleapis.com` (hard-coded
 *   in n8n-nodes-base `Google/Sheet/v2/transport`) and has no base-URL option. n8n does honour
 *   HTTPS_PROXY, but tunnels HTTPS through it (CONNECT), so a local stand-in would have to pose
 *   as sheets.googleapis.com with a certificate n8n trusts. This suite does not do that:
 *   `sheetsNodeReplacedByRecorderPost` swaps that one node for an HTTP Request node with the
 *   same name that posts the row the Sheets node was given (the same column names, the same
 *   expressions) to the recorder. So the test proves the row's mapping and the wiring, not the
 *   Google Sheets node itself.
 * - The trigger gets a webhook id of this run, the workflow an id (at most 16 characters).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import { TEST_TRIGGERS, type TestTrigger } from '../helpers/triggers';
import { variantsOfTrigger, type Variant } from '../helpers/variants';
import { workflows } from './harness';

export const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'docs', 'workflows');

export interface CredentialRef {
	id?: string;
	name: string;
}

export interface ExampleNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, CredentialRef>;
	webhookId?: string;
}

export interface ExampleWorkflow {
	name: string;
	nodes: ExampleNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
}

/** Where the examples' steps go in this run. */
export interface LocalTargets {
	/** The workflow's id in n8n. */
	id: string;
	/** The trigger's webhook id (its production URL). */
	webhookId: string;
	/** Base URL of the HTTP recorder standing in for the CRM and for Google Sheets. */
	recorderUrl: string;
	/** Credential type → a credential of that type imported into n8n. */
	credentials: Record<string, { id: string; name: string }>;
}

export const CRM_PLACEHOLDER = 'https://crm.example.com';

export function exampleFiles(): string[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort();
}

export function readExample(file: string): ExampleWorkflow {
	return JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as ExampleWorkflow;
}

const isTrigger = (node: ExampleNode) => node.type.startsWith(`${workflows.PACKAGE_NAME}.`);

/**
 * How the e2e suite runs an example without a row of its own: the registry trigger the example
 * starts with (whose scenario workflow's secrets sign the delivery), and a delivery the
 * example's filter lets through, worked out from the trigger's samples (test/helpers/variants.ts).
 */
export function exampleRun(file: string): { trigger: TestTrigger; delivery: Variant } {
	const example = readExample(file);
	for (const node of example.nodes.filter(isTrigger)) {
		const trigger = TEST_TRIGGERS.find(
			(candidate) => node.type === `${workflows.PACKAGE_NAME}.${candidate.nodeName}`,
		);
		if (!trigger) continue;
		const selected = (node.parameters[trigger.filter] as string[] | undefined) ?? [];
		return { trigger, delivery: variantsOfTrigger(trigger).admittedBy(selected) };
	}
	throw new Error(`${file} starts with no trigger of the registry`);
}

/** The example with its placeholders pointed at this run's targets, ready for `n8n import:workflow`. */
export function localised(
	example: ExampleWorkflow,
	targets: LocalTargets,
): ExampleWorkflow & { id: string; active: boolean } {
	const nodes = example.nodes.map((original) => {
		let node: ExampleNode = { ...original, parameters: { ...original.parameters } };
		if (node.type === 'n8n-nodes-base.googleSheets') {
			node = sheetsNodeReplacedByRecorderPost(node, targets.recorderUrl);
		}
		if (node.type === 'n8n-nodes-base.httpRequest' && typeof node.parameters.url === 'string') {
			node.parameters.url = node.parameters.url.replace(CRM_PLACEHOLDER, targets.recorderUrl);
		}
		if (node.credentials) {
			node.credentials = Object.fromEntries(
				Object.keys(node.credentials).map((type) => {
					const credential = targets.credentials[type];
					if (!credential) throw new Error(`no test credential of type ${type} (${node.name})`);
					return [type, credential];
				}),
			);
		}
		if (node.webhookId !== undefined && isTrigger(node)) node.webhookId = targets.webhookId;
		return node;
	});
	return { ...example, id: targets.id, nodes, active: false };
}

/**
 * The test's replacement of the Google Sheets node (see the comment at the top): an HTTP Request
 * node of the same name posting the row (column name → value, the Sheets node's own mapping) to
 * `<recorder>/google-sheets/append?document=<the file's spreadsheet>&sheet=<its sheet name>`.
 */
export function sheetsNodeReplacedByRecorderPost(
	sheets: ExampleNode,
	recorderUrl: string,
): ExampleNode {
	const value = (parameter: string) =>
		(sheets.parameters[parameter] as { value?: unknown } | undefined)?.value;
	const columns = sheets.parameters.columns as { value?: Record<string, string> } | undefined;
	if (sheets.parameters.operation !== 'append' || !columns?.value) {
		throw new Error(`${sheets.name}: only an append with mapped columns is replaced`);
	}
	return {
		id: sheets.id,
		name: sheets.name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: sheets.position,
		parameters: {
			method: 'POST',
			url: `${recorderUrl}/google-sheets/append`,
			sendQuery: true,
			queryParameters: {
				parameters: [
					{ name: 'document', value: String(value('documentId')) },
					{ name: 'sheet', value: String(value('sheetName')) },
				],
			},
			sendBody: true,
			contentType: 'json',
			bodyParameters: {
				parameters: Object.entries(columns.value).map(([name, expression]) => ({
					name,
					value: expression,
				})),
			},
			options: {},
		},
	};
}
