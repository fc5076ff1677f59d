/**
 * Builders for the workflow and credential JSON that `n8n import:workflow` and
 * `n8n import:credentials` read. Used by `npm start` (demo workflows) and the e2e suite.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { INSTALLED_PACKAGE_DIR } from '../paths';

/** The installed package's name, the prefix of its node types (`<name>.qoalaClaimTrigger`). */
export const PACKAGE_NAME = (
	JSON.parse(fs.readFileSync(path.join(INSTALLED_PACKAGE_DIR, 'package.json'), 'utf8')) as {
		name: string;
	}
).name;

/** A workflow node as `n8n import:workflow` reads it. */
export type WorkflowNode = Record<string, unknown> & {
	id: string;
	name: string;
	type: string;
	parameters: Record<string, unknown>;
};

export interface Connection {
	node: string;
	type: 'main';
	index: number;
}

/** A workflow as `n8n import:workflow` reads it. */
export interface ChainedWorkflow<Node extends { name: string } = WorkflowNode> {
	id: string;
	name: string;
	nodes: Node[];
	connections: Record<string, { main: Connection[][] }>;
	settings: { executionOrder: 'v1' };
	pinData: Record<string, unknown>;
	active: boolean;
	staticData?: unknown;
}

/** An imported credential as a node refers to it. */
export interface CredentialRef {
	id: string;
	name: string;
	type: string;
}

export interface Credential extends CredentialRef {
	data: Record<string, unknown>;
}

type Position = [number, number];

/** A credential for import: n8n encrypts the plain `data` object with the instance's key. */
export function credential({ id, name, type, data }: Credential): Credential {
	return { id, name, type, data };
}

/**
 * One of this package's trigger nodes. `credential` is the imported credential (`{ id, name,
 * type }`) of the type the chosen authentication asks for; none for `none`. `id` defaults to
 * `<webhookId>-trigger`, 44 characters: SQLite takes it, but n8n's PostgreSQL schema keeps node
 * ids in varchar(36) (workflow_publication_trigger_status), so on PostgreSQL pass an id of at
 * most 36 characters (a UUID, as n8n's editor makes them). `typeVersion` is what the editor
 * puts on a new node; workflows saved before 2 keep 1.
 */
export function triggerNode({
	nodeName,
	webhookId,
	authentication,
	credential: cred,
	parameters = {},
	name,
	position = [0, 0],
	id,
	typeVersion = 2,
}: {
	nodeName: string;
	webhookId: string;
	authentication: string;
	credential?: CredentialRef;
	parameters?: Record<string, unknown>;
	name?: string;
	position?: Position;
	id?: string;
	typeVersion?: number;
}): WorkflowNode {
	return {
		id: id ?? `${webhookId}-trigger`,
		name: name ?? 'Partner Trigger',
		type: `${PACKAGE_NAME}.${nodeName}`,
		typeVersion,
		position,
		webhookId,
		parameters: { authentication, ...parameters },
		...(cred ? { credentials: { [cred.type]: { id: cred.id, name: cred.name } } } : {}),
	};
}

/** n8n's HTTP Request node posting each item's JSON to `url`. */
export function postItemNode({
	id,
	name,
	url,
	position = [240, 0],
}: {
	id: string;
	name: string;
	url: string;
	position?: Position;
}): WorkflowNode {
	return {
		id,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position,
		parameters: {
			method: 'POST',
			url,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json) }}',
			options: {},
		},
	};
}

/**
 * n8n's Respond to Webhook node answering `status` with a JSON body (an expression is allowed).
 * Version 1: from 1.1 on, n8n 2.40's Respond to Webhook refuses to run ("No Webhook node found
 * in the workflow") unless a parent is one of n8n's own Webhook/Form/Chat Trigger/Wait nodes.
 */
export function respondNode({
	id,
	name,
	status,
	body,
	position = [240, 0],
}: {
	id: string;
	name: string;
	status: number;
	body: string;
	position?: Position;
}): WorkflowNode {
	return {
		id,
		name,
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: 1,
		position,
		parameters: { respondWith: 'json', responseBody: body, options: { responseCode: status } },
	};
}

/**
 * This package's Answer Insurance Partner node: `parameters` are its own (`answer`,
 * `statusCode`, `message`, `body`, `retryAfterSeconds`). Works after any trigger of the package
 * whose Respond is "Using a Response Node", on every n8n version.
 */
export function answerNode({
	id,
	name,
	parameters,
	position = [480, 0],
}: {
	id: string;
	name: string;
	parameters: Record<string, unknown>;
	position?: Position;
}): WorkflowNode {
	return {
		id,
		name,
		type: `${PACKAGE_NAME}.partnerAnswer`,
		typeVersion: 1,
		position,
		parameters,
	};
}

/**
 * n8n's IF node with one condition (`leftValue`, `rightValue`, `operator`); its first output is
 * the true branch, its second the false branch.
 */
export function ifNode({
	id,
	name,
	position,
	condition,
}: {
	id: string;
	name: string;
	position: Position;
	condition: { leftValue: unknown; rightValue: unknown; operator: Record<string, unknown> };
}): WorkflowNode {
	return {
		id,
		name,
		type: 'n8n-nodes-base.if',
		typeVersion: 2.2,
		position,
		parameters: {
			conditions: {
				options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
				conditions: [{ id: `${id}-condition`, ...condition }],
				combinator: 'and',
			},
			options: {},
		},
	};
}

export function noOpNode({
	id,
	name,
	position = [240, 0],
}: {
	id: string;
	name: string;
	position?: Position;
}): WorkflowNode {
	return { id, name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position, parameters: {} };
}

/** A workflow: the nodes run one after another in the order given. */
export function chainWorkflow<Node extends { name: string }>({
	id,
	name,
	nodes,
}: {
	id: string;
	name: string;
	nodes: Node[];
}): ChainedWorkflow<Node> {
	const connections: Record<string, { main: Connection[][] }> = {};
	for (let index = 0; index + 1 < nodes.length; index += 1) {
		connections[nodes[index].name] = {
			main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]],
		};
	}
	return {
		id,
		name,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
}
