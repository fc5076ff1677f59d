/** Types of workflows.js for the TypeScript tests (the scripts run as plain JS). */

/** A workflow node as `n8n import:workflow` reads it. */
export type WorkflowNode = Record<string, unknown> & { name: string };

/** A workflow as `n8n import:workflow` reads it. */
export interface ChainedWorkflow {
	id: string;
	nodes: Array<{ name: string }>;
	connections: Record<string, { main: Connection[][] }>;
}

export interface Connection {
	node: string;
	type: 'main';
	index: number;
}

export const PACKAGE_NAME: string;
export function credential(options: {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}): unknown;
export function triggerNode(options: {
	nodeName: string;
	webhookId: string;
	authentication: string;
	credential?: { id: string; name: string; type: string };
	parameters?: Record<string, unknown>;
	name?: string;
	typeVersion?: number;
}): WorkflowNode;
export function postItemNode(options: {
	id: string;
	name: string;
	url: string;
	position?: [number, number];
}): WorkflowNode;
export function respondNode(options: {
	id: string;
	name: string;
	status: number;
	body: string;
}): WorkflowNode;
export function answerNode(options: {
	id: string;
	name: string;
	parameters: Record<string, unknown>;
}): WorkflowNode;
export function chainWorkflow(options: {
	id: string;
	name: string;
	nodes: Array<{ name: string }>;
}): ChainedWorkflow;
