import type { IDataObject, IHookFunctions, INodeType, WorkflowExecuteMode } from 'n8n-workflow';

import type { FakeN8n } from './webhookContext';

/**
 * A stand-in for what n8n hands a trigger's webhook lifecycle methods (`checkExists`,
 * `create`, `delete`): the node's webhook URL, the workflow's static data and a logger. Like
 * n8n, it loads static data afresh and saves it after a production activation or deactivation,
 * and never saves what "Listen for test event" did (n8n keeps that copy in memory only).
 */
export interface HookRun {
	result: boolean;
	logs: Array<{ level: string; message: string }>;
}

export interface HookOptions {
	url: string;
	/** `trigger` for activation, `internal` for deactivation, `manual` for the test URL. */
	mode?: WorkflowExecuteMode;
	/** Whether n8n saves static data afterwards (not for the test URL). */
	save?: boolean;
}

export async function runHook(
	node: INodeType,
	method: 'checkExists' | 'create' | 'delete',
	n8n: FakeN8n,
	options: HookOptions,
): Promise<HookRun> {
	const staticData = JSON.parse(JSON.stringify(n8n.staticData)) as IDataObject;
	const logs: HookRun['logs'] = [];
	const logger = Object.fromEntries(
		['debug', 'info', 'warn', 'error'].map((level) => [
			level,
			(message: string) => logs.push({ level, message }),
		]),
	);
	const context = {
		getMode: () => options.mode ?? 'trigger',
		getActivationMode: () => 'activate',
		getNodeWebhookUrl: (name: string) => (name === 'default' ? options.url : undefined),
		getWorkflowStaticData: (scope: string) => {
			const key = scope === 'node' ? 'node:Trigger' : 'global';
			staticData[key] ??= {};
			return staticData[key] as IDataObject;
		},
		getNode: () => ({ id: n8n.nodeId, name: 'Trigger', type: node.description.name }),
		getWorkflow: () => ({ id: n8n.workflowId, active: true }),
		logger,
	} as unknown as IHookFunctions;

	const method_ = node.webhookMethods?.default?.[method];
	if (!method_) throw new Error(`${node.description.name} has no webhookMethods.default.${method}`);
	const result = await method_.call(context);
	if (options.save ?? options.mode !== 'manual') {
		n8n.staticData = JSON.parse(JSON.stringify(staticData)) as IDataObject;
	}
	return { result, logs };
}

/** What n8n does on activation: `checkExists`, then `create` when that says no. */
export async function activate(node: INodeType, n8n: FakeN8n, url: string): Promise<HookRun> {
	const exists = await runHook(node, 'checkExists', n8n, { url, save: false });
	if (exists.result) return exists;
	const created = await runHook(node, 'create', n8n, { url });
	return { result: created.result, logs: [...exists.logs, ...created.logs] };
}

export async function deactivate(node: INodeType, n8n: FakeN8n, url: string): Promise<HookRun> {
	return await runHook(node, 'delete', n8n, { url, mode: 'internal' });
}
