import { EventEmitter } from 'node:events';
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
	/**
	 * The id n8n gives the node's credential (one id for each type in `credentials`, or for
	 * `credentialType` when the credential was deleted). Without one, as in most tests, the
	 * trigger reads the credential on every delivery.
	 */
	credentialId?: string;
	credentialType?: string;
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
	/** The client address as n8n determines it (`request.ip`); 127.0.0.1 by default. */
	remoteAddress?: string;
	/** `manual` is a delivery to the test URL ("Listen for test event"); `webhook` by default. */
	mode?: 'webhook' | 'manual';
	/**
	 * What n8n answers when an execution starts: 200 at once with Respond: Immediately; with
	 * the other modes, the status the workflow ends up answering, or `connectionLost` when the
	 * connection closes before any answer (n8n stopped, the partner gave up). `later` leaves the
	 * answer to the test: call `answer.respond(…)` when the workflow would.
	 */
	workflowAnswers?: number | 'connectionLost' | 'later';
	/** The node's version in the workflow; the node's default version (a new node) by default. */
	typeVersion?: number;
}

export interface Answer {
	/** HTTP status the partner receives. */
	status: number;
	/** JSON body the partner receives. */
	body: unknown;
	/** Items the workflow starts with; empty when no execution starts. */
	items: IDataObject[];
	/** Items on the Rejected output (Options → Output Rejected Deliveries). */
	rejected: IDataObject[];
	/** Whether n8n starts an execution for this request, on any output. */
	executionStarted: boolean;
	raw: IWebhookResponseData;
	logs: string[];
	/** Whether n8n saved static data after this request: only when the node changed it. */
	savedStaticData: boolean;
	/** Headers the trigger set on its own answer (lower-case names). */
	headers: Record<string, string>;
	/** How many times the trigger asked n8n for a credential during this delivery. */
	credentialReads: number;
	/** With `workflowAnswers: 'later'`: writes the workflow's answer (a status, or the connection lost). */
	respond(outcome: number | 'connectionLost'): void;
	/**
	 * With `workflowAnswers: 'later'`: n8n's webhook server writing an answer as it does, the
	 * status when it has one, then the JSON body; returns what the partner receives.
	 */
	write(
		status: number | undefined,
		body: unknown,
		via?: 'json' | 'send',
	): { status: number; body: unknown };
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
	request.ip = options.remoteAddress ?? '127.0.0.1';

	// n8n's response object as far as triggers use it: status, headers, JSON, and the events
	// of the answer being written ('finish') and of the connection ending ('close').
	const response = Object.assign(new EventEmitter(), {
		statusCode: 200,
		headers: {} as Record<string, string>,
		status(code: number) {
			response.statusCode = code;
			return response;
		},
		set(name: string, value: string) {
			response.headers[name.toLowerCase()] = value;
			return response;
		},
		json(body: unknown) {
			written = { status: response.statusCode, body };
			return response;
		},
		send(body: unknown) {
			written = { status: response.statusCode, body };
			return response;
		},
	});
	const write = (status: number | undefined, body: unknown, via: 'json' | 'send' = 'json') => {
		if (status !== undefined) response.status(status);
		if (via === 'json') response.json(body);
		else response.send(body);
		respond(response.statusCode);
		return written as { status: number; body: unknown };
	};
	const respond = (outcome: number | 'connectionLost') => {
		if (outcome !== 'connectionLost') {
			response.statusCode = outcome;
			response.emit('finish');
		}
		response.emit('close');
	};

	let credentialReads = 0;
	const credentialTypes = [...Object.keys(options.credentials ?? {}), options.credentialType ?? ''];
	const nodeCredentials = options.credentialId
		? Object.fromEntries(
				credentialTypes.map((type) => [
					type,
					{ id: options.credentialId, name: 'Partner account' },
				]),
			)
		: undefined;

	const context = {
		getRequestObject: () => request,
		getHeaderData: () => headers,
		getResponseObject: () => response,
		getMode: () => options.mode ?? 'webhook',
		getNodeParameter: (name: string, fallback?: unknown) => {
			const value = name
				.split('.')
				.reduce<unknown>((object, key) => (object as IDataObject | undefined)?.[key], parameters);
			if (value === undefined && fallback === undefined) throw new Error(`No parameter ${name}`);
			return value ?? fallback;
		},
		getCredentials: async (type: string) => {
			credentialReads += 1;
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
		getNode: () => ({
			id: n8n.nodeId,
			name: 'Trigger',
			type: node.description.name,
			typeVersion: options.typeVersion ?? node.description.defaultVersion ?? 1,
			credentials: nodeCredentials,
		}),
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
	const rejected = (raw.workflowData?.[1] ?? []).map((entry) => entry.json);
	const common = {
		items,
		rejected,
		executionStarted: raw.workflowData !== undefined,
		raw,
		logs,
		savedStaticData: staticDataChanged,
		respond,
		write,
		headers: response.headers,
		credentialReads,
	};
	if (raw.noWebhookResponse) {
		if (!written) throw new Error('noWebhookResponse without an answer written');
		respond(written.status);
		return { status: written.status, body: written.body, ...common };
	}
	const outcome = raw.workflowData ? (options.workflowAnswers ?? 200) : 200;
	if (outcome !== 'later') respond(outcome);
	const status = typeof outcome === 'number' ? outcome : 0;
	return { status, body: raw.webhookResponse, ...common };
}

function defaultsOf(node: INodeType): IDataObject {
	return Object.fromEntries(
		node.description.properties.map((property) => [property.name, property.default]),
	) as IDataObject;
}
