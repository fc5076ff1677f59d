import type { IncomingHttpHeaders } from 'node:http';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	INodeType,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

/**
 * A stand-in for what n8n hands a trigger's `webhook()`: the request (headers and raw bytes),
 * node parameters, credentials, the workflow's static data and the response object. It
 * records what the trigger answered, so tests assert what a partner and a user would see.
 */
export interface FakeN8n {
	/** The workflow's static data, kept across deliveries like n8n's database would. */
	staticData: IDataObject;
	workflowId: string;
	nodeId: string;
}

export interface DeliveryOptions {
	parameters?: IDataObject;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	headers?: IncomingHttpHeaders;
	body: Buffer | string;
	n8n?: FakeN8n;
	/**
	 * n8n left the body for the node to read (a version-1.1 node and a type n8n does not parse),
	 * optionally failing the way n8n's reader does (`{ type: 'entity.too.large' }`).
	 */
	bodyLeftUnread?: true | { failsWith: unknown };
	/** How long n8n takes to save static data after answering (to make saves land out of order). */
	saveDelayMs?: number;
}

export interface Answer {
	/** HTTP status the partner receives. */
	status: number;
	/** JSON body the partner receives. */
	body: unknown;
	/** Items the workflow starts with; empty when no execution starts. */
	items: IDataObject[];
	raw: IWebhookResponseData;
	logs: string[];
	/** Whether n8n saved static data after this request: only when the node changed it. */
	savedStaticData: boolean;
}

let nextWorkflow = 0;

export function freshN8n(): FakeN8n {
	nextWorkflow += 1;
	return { staticData: {}, workflowId: `wf-${nextWorkflow}`, nodeId: `node-${nextWorkflow}` };
}

/** What n8n does between requests: static data round-trips through JSON in the database. */
function reload(staticData: IDataObject): IDataObject {
	return JSON.parse(JSON.stringify(staticData)) as IDataObject;
}

export async function deliver(node: INodeType, options: DeliveryOptions): Promise<Answer> {
	const n8n = options.n8n ?? freshN8n();
	const rawBody = Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, 'utf8');
	const headers: IncomingHttpHeaders = { 'content-type': 'application/json', ...options.headers };
	// Like n8n: node static data is scoped per node, loaded fresh for the request.
	const workflowStaticData = reload(n8n.staticData);
	// n8n's static data notices assignments and is saved only after one.
	let staticDataChanged = false;
	const noticeChanges = (scoped: IDataObject) =>
		new Proxy(scoped, {
			set(target, key, value) {
				staticDataChanged = true;
				return Reflect.set(target, key, value);
			},
		});
	const parameters: IDataObject = { ...defaultsOf(node), ...options.parameters };
	let written: { status: number; body: unknown } | undefined;
	const logs: string[] = [];
	const log = (message: string) => logs.push(message);

	const unread = options.bodyLeftUnread;
	const request: { rawBody?: Buffer; headers: IncomingHttpHeaders; body: object } & IDataObject =
		unread
			? {
					headers,
					body: {},
					readRawBody: async () => {
						await Promise.resolve();
						if (typeof unread === 'object') throw unread.failsWith;
						request.rawBody = rawBody;
					},
				}
			: { rawBody, headers, body: {} };

	const context = {
		getRequestObject: () => request,
		getHeaderData: () => headers,
		getResponseObject: () => {
			const response = {
				statusCode: 200,
				status(code: number) {
					response.statusCode = code;
					return response;
				},
				json(body: unknown) {
					written = { status: response.statusCode, body };
					return response;
				},
			};
			return response;
		},
		getNodeParameter: (name: string, fallback?: unknown) => {
			const value = name
				.split('.')
				.reduce<unknown>((object, key) => (object as IDataObject | undefined)?.[key], parameters);
			if (value === undefined && fallback === undefined) throw new Error(`No parameter ${name}`);
			return value ?? fallback;
		},
		getCredentials: async (type: string) => {
			await Promise.resolve();
			const credentials = options.credentials?.[type];
			if (!credentials) throw new Error(`No credentials of type ${type}`);
			return credentials;
		},
		getWorkflowStaticData: (scope: string) => {
			const key = scope === 'node' ? 'node:Trigger' : 'global';
			workflowStaticData[key] ??= {};
			return noticeChanges(workflowStaticData[key] as IDataObject);
		},
		getWorkflow: () => ({ id: n8n.workflowId, active: true }),
		getNode: () => ({ id: n8n.nodeId, name: 'Trigger', type: node.description.name }),
		logger: { debug: log, info: log, warn: log, error: log },
		helpers: {
			returnJsonArray: (items: IDataObject[]): INodeExecutionData[] =>
				items.map((json) => ({ json })),
		},
	} as unknown as IWebhookFunctions;

	const raw = await node.webhook!.call(context);
	// n8n saves static data after the answer; it is JSON in the database.
	if (options.saveDelayMs) await new Promise((resolve) => setTimeout(resolve, options.saveDelayMs));
	if (staticDataChanged) n8n.staticData = reload(workflowStaticData);

	const items = (raw.workflowData?.[0] ?? []).map((entry) => entry.json);
	if (raw.noWebhookResponse) {
		if (!written) throw new Error('noWebhookResponse without an answer written');
		return {
			status: written.status,
			body: written.body,
			items,
			raw,
			logs,
			savedStaticData: staticDataChanged,
		};
	}
	return {
		status: 200,
		body: raw.webhookResponse,
		items,
		raw,
		logs,
		savedStaticData: staticDataChanged,
	};
}

function defaultsOf(node: INodeType): IDataObject {
	return Object.fromEntries(
		node.description.properties.map((property) => [property.name, property.default]),
	) as IDataObject;
}
