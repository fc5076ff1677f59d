/**
 * The trigger inside the real n8n, side by side with what n8n offers without this package:
 * one n8n, the same load (CONNECTIONS concurrent keep-alive connections, a bounded number of
 * requests per case), the same ~1 KB Curacel body.
 *
 *   stock          n8n's Webhook node → NoOp: no check at all (the ceiling for an accepted delivery)
 *   trigger        Curacel Trigger → NoOp, distinct genuine deliveries
 *   diy            what a user builds without this package: Webhook (raw body, answered by
 *                  Respond to Webhook) → Crypto (HMAC-SHA256 of the body) → IF (equal to the
 *                  header?) → Respond to Webhook 200 → NoOp / Respond to Webhook 401
 *   … forged       a wrong signature (well-formed, so the trigger computes and compares the HMAC)
 *   … filtered     a genuine delivery whose event the trigger's filter leaves out
 *   … repeated     a genuine delivery the trigger accepted before
 *   … forged, alerting   forged, with Output Rejected Deliveries on (Rejected → NoOp): one burst
 *                  of 1,000 in the first round, to count the executions its rate limit lets through
 *   … full record  accepted, forged, filtered and repeated again, on triggers whose record of
 *                  accepted deliveries starts at its bound (10,000 notifications in static data,
 *                  which n8n reads on every request and writes after every accepted one)
 *   … full record saved without the order  accepted and repeated on the same record at its
 *                  bound as a record without the order of each claim's notifications saves it:
 *                  what the order's bytes cost (issue 30)
 *   … the same bytes  n8n's Webhook node, and the trigger filtering with Ignore Repeated
 *                  Deliveries off, over the same static data: what n8n's read of it costs a
 *                  workflow that never uses it (the limit beside the full-record rows)
 *
 * Every accepted delivery ends in one NoOp, so the three do the same work after the check.
 *
 * Requests are sent in ROUNDS: each round runs every case for its share of the requests, so
 * drift over the run (the database growing, the machine's other work) hits every case alike.
 * Between cases the bench waits until n8n has finished every execution, so no case pays for
 * the previous one's backlog. Executions started are counted in n8n's database. Only ratios
 * measured in this run are compared with targets; nothing asserts an absolute time.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

import { request, sleep, type N8nInstance } from '../n8n/instance';
import { executionCounts, queryDatabase } from '../n8n/package';
import { prepareN8n } from '../n8n/prepare';
import { N8N_VERSION, paths } from '../n8n/runtime';
import {
	chainWorkflow,
	credential,
	ifNode,
	noOpNode,
	respondNode,
	triggerNode,
	type ChainedWorkflow,
	type WorkflowNode,
} from '../n8n/workflows';
import { REPO_DIR } from '../paths';
import { withoutOrder } from './order';

// The built package and sender, as n8n and a partner's test would load them.
const DIST = path.join(REPO_DIR, 'dist');
const { readSample, signedHeaders } = require(
	path.join(REPO_DIR, 'sender', 'dist', 'sender', 'src', 'deliveries.js'),
) as typeof import('../../sender/src/deliveries');

const CONNECTIONS = 10;
const SECRET = 'bench-curacel-webhook-secret';
const BODY = readSample('curacel-claim.vetted');

/** A bench workflow's id and the webhook id of its trigger (or Webhook node). */
interface Ids {
	workflow: string;
	webhook: string;
}

const IDS = {
	stock: { workflow: 'benchStockHook01', webhook: '0000be0c-0000-4000-8000-000000000001' },
	trigger: { workflow: 'benchTrigger0001', webhook: '0000be0c-0000-4000-8000-000000000002' },
	filtered: { workflow: 'benchFiltered001', webhook: '0000be0c-0000-4000-8000-000000000003' },
	diy: { workflow: 'benchDiyHmac0001', webhook: '0000be0c-0000-4000-8000-000000000004' },
	filteredNoRecord: {
		workflow: 'benchFilterNoRec',
		webhook: '0000be0c-0000-4000-8000-000000000005',
	},
	acceptedNoRecord: {
		workflow: 'benchAcceptNoRec',
		webhook: '0000be0c-0000-4000-8000-000000000006',
	},
	acceptedUnchecked: {
		workflow: 'benchAcceptNoChk',
		webhook: '0000be0c-0000-4000-8000-000000000007',
	},
	alerting: { workflow: 'benchAlerting001', webhook: '0000be0c-0000-4000-8000-000000000008' },
	triggerFull: { workflow: 'benchTriggerFull', webhook: '0000be0c-0000-4000-8000-000000000009' },
	triggerFullBeforeOrder: {
		workflow: 'benchFullNoOrder',
		webhook: '0000be0c-0000-4000-8000-00000000000d',
	},
	filteredFull: { workflow: 'benchFilterFull1', webhook: '0000be0c-0000-4000-8000-00000000000a' },
	stockFull: { workflow: 'benchStockFull01', webhook: '0000be0c-0000-4000-8000-00000000000b' },
	filteredNoRecordFull: {
		workflow: 'benchFiltNoRecFl',
		webhook: '0000be0c-0000-4000-8000-00000000000c',
	},
} satisfies Record<string, Ids>;

const { DeliveryRecord, REMEMBERED_NOTIFICATIONS, deliveryContracts, processDelivery } = require(
	path.join(DIST, 'index.js'),
) as typeof import('../../index');

/**
 * A trigger's static data with its record of accepted deliveries at the bound: what a busy
 * trigger carries after 10,000 notifications, written by the trigger's own pipeline (the
 * order of each claim's notifications included). `withOrder: false` writes it as a record
 * without the order would: the same notifications, the order left out of their identity.
 */
function staticDataWithFullRecord(
	nodeName: string,
	{ withOrder = true } = {},
): Record<string, unknown> {
	const curacel = deliveryContracts.curacelTrigger;
	const contract = withOrder ? curacel : withoutOrder(curacel);
	const scheme = curacel.authentication.signature.scheme({ webhookSecret: SECRET });
	const record = new DeliveryRecord();
	for (let i = 0; i < REMEMBERED_NOTIFICATIONS; i += 1) {
		const { body: rawBody, headers } = genuine(`HISTORY-${i}`);
		const decision = processDelivery(
			contract,
			scheme,
			{ headers, rawBody },
			{ selected: [], ignoreRepeatedDeliveries: true, record, receivedAt: new Date() },
		);
		if (decision.action !== 'emit') throw new Error('a seeded notification was not accepted');
		decision.acceptance?.commit();
	}
	return { [`node:${nodeName}`]: { acceptedDeliveries: record.persistedView().toJSON() } };
}

/** Forged deliveries sent at once to the alerting trigger (issue 11: at most 2 executions). */
const ALERT_BURST = 1000;

const CREDENTIALS = {
	curacel: {
		id: 'benchCuracel0001',
		name: 'Curacel (bench)',
		type: 'curacelSignatureApi',
		data: { webhookSecret: SECRET },
	},
	crypto: {
		id: 'benchCrypto00001',
		name: 'HMAC secret (bench)',
		type: 'crypto',
		data: { hmacSecret: SECRET },
	},
};

/** n8n's Webhook node, POST on /webhook/<path>. */
function webhookNode({
	id,
	name,
	path: webhookPath,
	responseMode,
	options = {},
}: {
	id: string;
	name: string;
	path: string;
	responseMode: string;
	options?: Record<string, unknown>;
}): WorkflowNode {
	return {
		id,
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		webhookId: webhookPath,
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode, options },
	};
}

function workflowsToImport(): ChainedWorkflow[] {
	const curacelTrigger = (ids: Ids, parameters: Record<string, unknown>) =>
		triggerNode({
			id: `${ids.workflow}-trigger`,
			nodeName: 'curacelTrigger',
			webhookId: ids.webhook,
			authentication: 'signature',
			credential: CREDENTIALS.curacel,
			parameters,
			name: 'Curacel Trigger',
		});
	const stockWebhook = (key: 'stock' | 'stockFull') =>
		chainWorkflow({
			id: IDS[key].workflow,
			name: 'bench: Webhook → NoOp (no check)',
			nodes: [
				webhookNode({
					id: `${key}-webhook`,
					name: 'Webhook',
					path: IDS[key].webhook,
					responseMode: 'onReceived',
				}),
				noOpNode({ id: `${key}-noop`, name: 'Done' }),
			],
		});
	const stock = stockWebhook('stock');
	// Every trigger case: the Curacel Trigger with these parameters, then the same one NoOp.
	const triggerThenDone = (
		key: keyof typeof IDS,
		description: string,
		parameters: Record<string, unknown>,
	) =>
		chainWorkflow({
			id: IDS[key].workflow,
			name: `bench: Curacel Trigger${description} → NoOp`,
			nodes: [curacelTrigger(IDS[key], parameters), noOpNode({ id: `${key}-noop`, name: 'Done' })],
		});
	const noRecord = { options: { ignoreRepeatedDeliveries: false } };
	const trigger = triggerThenDone('trigger', '', {});
	const filtered = triggerThenDone('filtered', ' (policy.created only)', {
		events: ['policy.created'],
	});
	// Diagnostics: without the record of accepted deliveries, nothing changes in static data and
	// n8n saves nothing after the answer; the last also reads no credential.
	const filteredNoRecord = triggerThenDone(
		'filteredNoRecord',
		' (policy.created only, no repeat check)',
		{ events: ['policy.created'], ...noRecord },
	);
	const acceptedNoRecord = triggerThenDone('acceptedNoRecord', ' (no repeat check)', noRecord);
	const acceptedUnchecked = triggerThenDone(
		'acceptedUnchecked',
		' (Authentication None, no repeat check)',
		{ authentication: 'none', ...noRecord },
	);
	const diy: ChainedWorkflow = {
		id: IDS.diy.workflow,
		name: 'bench: Webhook → Crypto HMAC → IF → Respond (without this package)',
		nodes: [
			webhookNode({
				id: 'diy-webhook',
				name: 'Webhook',
				path: IDS.diy.webhook,
				responseMode: 'responseNode',
				options: { rawBody: true },
			}),
			{
				id: 'diy-crypto',
				name: 'HMAC Of Body',
				type: 'n8n-nodes-base.crypto',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					action: 'hmac',
					binaryData: true,
					binaryPropertyName: 'data',
					type: 'SHA256',
					dataPropertyName: 'signature',
					encoding: 'hex',
				},
				credentials: { crypto: { id: CREDENTIALS.crypto.id, name: CREDENTIALS.crypto.name } },
			},
			ifNode({
				id: 'diy-if',
				name: 'Signature Matches',
				position: [440, 0],
				condition: {
					leftValue: '={{ $json.signature }}',
					rightValue: "={{ $json.headers['x-curacel-signature'] }}",
					operator: { type: 'string', operation: 'equals' },
				},
			}),
			respondNode({
				id: 'diy-accept',
				name: 'Accept',
				status: 200,
				body: '{"received":true}',
				position: [660, -100],
			}),
			// The same downstream work as the other accepted cases: one NoOp.
			noOpNode({ id: 'diy-noop', name: 'Done', position: [880, -100] }),
			respondNode({
				id: 'diy-reject',
				name: 'Reject',
				status: 401,
				body: '{"error":"invalid signature"}',
				position: [660, 100],
			}),
		],
		connections: {
			Webhook: { main: [[{ node: 'HMAC Of Body', type: 'main', index: 0 }]] },
			'HMAC Of Body': { main: [[{ node: 'Signature Matches', type: 'main', index: 0 }]] },
			'Signature Matches': {
				main: [
					[{ node: 'Accept', type: 'main', index: 0 }],
					[{ node: 'Reject', type: 'main', index: 0 }],
				],
			},
			Accept: { main: [[{ node: 'Done', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
		active: false,
	};
	// Output Rejected Deliveries on: the Rejected output (the trigger's second) → one NoOp.
	const withFullRecord = (
		workflow: ChainedWorkflow,
		nodeName = 'Curacel Trigger',
	): ChainedWorkflow => ({
		...workflow,
		name: `${workflow.name} (record at its bound)`,
		staticData: staticDataWithFullRecord(nodeName),
	});
	const triggerFull = withFullRecord(triggerThenDone('triggerFull', '', {}));
	// Beside it, the same record saved without the order: what the order's bytes cost n8n.
	const triggerFullBeforeOrder = {
		...withFullRecord(triggerThenDone('triggerFullBeforeOrder', ' (record without the order)', {})),
		staticData: staticDataWithFullRecord('Curacel Trigger', { withOrder: false }),
	};
	const filteredFull = withFullRecord(
		triggerThenDone('filteredFull', ' (policy.created only)', { events: ['policy.created'] }),
	);
	// The limit beside those: the same bytes in static data, read by n8n and never used.
	const stockFull = withFullRecord(stockWebhook('stockFull'), 'Webhook');
	const filteredNoRecordFull = withFullRecord(
		triggerThenDone('filteredNoRecordFull', ' (policy.created only, no repeat check)', {
			events: ['policy.created'],
			...noRecord,
		}),
	);
	const alerting = chainWorkflow({
		id: IDS.alerting.workflow,
		name: 'bench: Curacel Trigger (Output Rejected Deliveries), Rejected → NoOp',
		nodes: [
			curacelTrigger(IDS.alerting, { options: { rejectedOutput: true } }),
			noOpNode({ id: 'alerting-noop', name: 'Alerted' }),
		],
	});
	alerting.connections['Curacel Trigger'] = {
		main: [[], [{ node: 'Alerted', type: 'main', index: 0 }]],
	};
	return [
		stock,
		trigger,
		filtered,
		filteredNoRecord,
		acceptedNoRecord,
		acceptedUnchecked,
		diy,
		alerting,
		triggerFull,
		triggerFullBeforeOrder,
		filteredFull,
		stockFull,
		filteredNoRecordFull,
	];
}

// ---------------------------------------------------------------------------------------------
// Deliveries

/** One request of the load: its body and headers. */
interface Delivery {
	body: Buffer;
	headers: Record<string, string>;
}

const curacelSigned = (body: Buffer) =>
	signedHeaders(
		{ providerEvent: 'curacel-claim.vetted', scheme: 'signature', secret: SECRET },
		body,
	);

/** A distinct claims-vetting notification (its own claim id), signed. */
function genuine(id: string): Delivery {
	const body = Buffer.from(BODY.toString('utf8').replace('"id":"5022"', `"id":"${id}"`), 'utf8');
	return { body, headers: curacelSigned(body) };
}

function forged(id: string): Delivery {
	const { body, headers } = genuine(id);
	return { body, headers: { ...headers, 'x-curacel-signature': '0'.repeat(64) } };
}

// ---------------------------------------------------------------------------------------------
// Load

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Sends `requests` over `CONNECTIONS` keep-alive connections; latencies in ms, statuses. */
interface Measured {
	seconds: number;
	latencies: number[];
	statuses: Record<string, number>;
}

async function load(url: string, requests: Delivery[], agent: http.Agent): Promise<Measured> {
	const latencies: number[] = [];
	const statuses: Record<string, number> = {};
	let next = 0;
	const started = process.hrtime.bigint();
	const one = (request: Delivery) =>
		new Promise<void>((resolve) => {
			const sentAt = process.hrtime.bigint();
			const req = http.request(
				url,
				{
					method: 'POST',
					agent,
					timeout: 120000,
					headers: { ...request.headers, 'Content-Length': String(request.body.length) },
				},
				(response) => {
					response.resume();
					response.on('end', () => {
						latencies.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
						const status = String(response.statusCode);
						statuses[status] = (statuses[status] ?? 0) + 1;
						resolve();
					});
				},
			);
			req.on('timeout', () => req.destroy(new Error('timeout')));
			req.on('error', (error: NodeJS.ErrnoException) => {
				statuses[error.code ?? error.message] = (statuses[error.code ?? error.message] ?? 0) + 1;
				resolve();
			});
			req.end(request.body);
		});
	const worker = async () => {
		while (next < requests.length) {
			const request = requests[next];
			next += 1;
			await one(request);
		}
	};
	await Promise.all(Array.from({ length: CONNECTIONS }, worker));
	return { seconds: Number(process.hrtime.bigint() - started) / 1e9, latencies, statuses };
}

// ---------------------------------------------------------------------------------------------
// n8n's database: executions per workflow

/** Executions per workflow id, and `open`: how many of them are new or running. */
type Counts = Record<string, number> & { open: number };

function countsPerWorkflow(userFolder: string): Counts {
	const counts: Counts = { open: 0 };
	for (const row of executionCounts(userFolder)) {
		counts[row.workflowId] = (counts[row.workflowId] ?? 0) + row.n;
		if (row.status === 'new' || row.status === 'running') counts.open += row.n;
	}
	return counts;
}

/**
 * The size of each bench workflow's static data as n8n stores it: what n8n writes after every
 * accepted delivery of that workflow (it saves static data whole).
 */
function staticDataBytes(userFolder: string): Record<string, number> {
	const rows = queryDatabase<{ id: string; bytes: number | null }>(
		userFolder,
		'SELECT id, LENGTH(CAST(staticData AS BLOB)) AS bytes FROM workflow_entity',
	);
	return Object.fromEntries(rows.map((row) => [row.id, row.bytes ?? 0]));
}

/**
 * V8 isolates n8n's expression engine has handed out so far (its `expression.pool.acquired`
 * counter), read from /metrics: only when the bench starts n8n with N8N_METRICS=true
 * (`--n8n-env N8N_METRICS=true`), a diagnostic that shows what each kind of request costs.
 */
async function isolatesAcquired(n8n: N8nInstance): Promise<number> {
	const answer = await request('GET', `${n8n.baseUrl}/metrics`, { timeoutMs: 10000 });
	const match = /^n8n_expression_pool_acquired(?:_total)?\s+(\d+(?:\.\d+)?)/m.exec(answer.body);
	return match ? Number(match[1]) : 0;
}

/** Waits until n8n has no execution open and the counts stopped moving. */
async function settle(userFolder: string, timeoutMs = 300000): Promise<Counts> {
	const started = Date.now();
	let last = '';
	for (;;) {
		const counts = countsPerWorkflow(userFolder);
		const text = JSON.stringify(counts);
		if (counts.open === 0 && text === last) return counts;
		if (Date.now() - started > timeoutMs) return counts;
		last = text;
		await sleep(400);
	}
}

// ---------------------------------------------------------------------------------------------
// The run

/** One case of the bench: where its requests go, how many, and what n8n must answer. */
interface Case {
	key: string;
	label: string;
	workflow: string;
	url: string;
	count: number;
	expect: number;
	/** All in the first round, with no warm-up before. */
	burst?: boolean;
	/** On a workflow whose static data starts with a record at its bound (checked before the rounds). */
	fullRecord?: boolean;
	make: () => Delivery;
}

function casesFor(n8n: N8nInstance, quick: boolean): Case[] {
	const url = (ids: Ids, viaTrigger: boolean) =>
		viaTrigger ? n8n.webhookUrl(ids.webhook) : `${n8n.baseUrl}/webhook/${ids.webhook}`;
	const count = quick ? 100 : 500;
	const forgedCount = quick ? 200 : 1000;
	let serial = 0;
	const accepted: Delivery[] = [];
	/** `accepted<key>`: a new notification each time; `repeated<key>`: those again. */
	const acceptedThenRepeated = (ids: Ids, key: string, where: string, prefix: string): Case[] => {
		const delivered: Delivery[] = [];
		const common = { workflow: ids.workflow, url: url(ids, true), count, expect: 200 };
		return [
			{
				...common,
				key: `accepted${key}`,
				label: `this trigger, accepted, ${where}`,
				fullRecord: true,
				make: () => {
					const delivery = genuine(`${prefix}-${(serial += 1)}`);
					delivered.push(delivery);
					return delivery;
				},
			},
			{
				...common,
				key: `repeated${key}`,
				label: `this trigger, repeated, ${where}`,
				fullRecord: true,
				make: () => delivered[(serial += 1) % delivered.length],
			},
		];
	};
	return [
		{
			// n8n's fastest answer: a URL no workflow listens on (no workflow loaded, no isolate).
			key: 'notFound',
			label: "n8n's 404 for a URL nothing listens on (n8n's floor for any answer)",
			workflow: 'none',
			url: `${n8n.baseUrl}/webhook/0000be0c-0000-4000-8000-0000000000ff`,
			count,
			expect: 404,
			make: () => genuine(`NF-${(serial += 1)}`),
		},
		{
			key: 'stock',
			label: "n8n's Webhook → NoOp (no check)",
			workflow: IDS.stock.workflow,
			url: url(IDS.stock, false),
			count,
			expect: 200,
			make: () => genuine(`S-${(serial += 1)}`),
		},
		{
			key: 'accepted',
			label: 'this trigger, accepted',
			workflow: IDS.trigger.workflow,
			url: url(IDS.trigger, true),
			count,
			expect: 200,
			make: () => {
				const delivery = genuine(`A-${(serial += 1)}`);
				accepted.push(delivery);
				return delivery;
			},
		},
		{
			key: 'acceptedNoRecord',
			label: 'this trigger, accepted, Ignore Repeated Deliveries off (diagnostic)',
			workflow: IDS.acceptedNoRecord.workflow,
			url: url(IDS.acceptedNoRecord, true),
			count,
			expect: 200,
			make: () => genuine(`AN-${(serial += 1)}`),
		},
		{
			key: 'acceptedUnchecked',
			label: 'this trigger, accepted, also Authentication None (diagnostic)',
			workflow: IDS.acceptedUnchecked.workflow,
			url: url(IDS.acceptedUnchecked, true),
			count,
			expect: 200,
			make: () => genuine(`AU-${(serial += 1)}`),
		},
		{
			key: 'diy',
			label: 'without this package (Webhook → Crypto → IF → Respond), genuine',
			workflow: IDS.diy.workflow,
			url: url(IDS.diy, false),
			count,
			expect: 200,
			make: () => genuine(`D-${(serial += 1)}`),
		},
		{
			key: 'diyForged',
			label: 'without this package, forged',
			workflow: IDS.diy.workflow,
			url: url(IDS.diy, false),
			count: forgedCount,
			expect: 401,
			make: () => forged(`DF-${(serial += 1)}`),
		},
		{
			key: 'forged',
			label: 'this trigger, forged',
			workflow: IDS.trigger.workflow,
			url: url(IDS.trigger, true),
			count: forgedCount,
			expect: 401,
			make: () => forged(`F-${(serial += 1)}`),
		},
		{
			key: 'forgedAlerting',
			label: 'this trigger, forged, Output Rejected Deliveries on (one burst)',
			workflow: IDS.alerting.workflow,
			url: url(IDS.alerting, true),
			count: ALERT_BURST,
			// All in the first round, with no warm-up before: what one flood costs in executions.
			burst: true,
			expect: 401,
			make: () => forged(`FA-${(serial += 1)}`),
		},
		{
			key: 'filtered',
			label: 'this trigger, filtered out',
			workflow: IDS.filtered.workflow,
			url: url(IDS.filtered, true),
			count,
			expect: 200,
			make: () => genuine(`FL-${(serial += 1)}`),
		},
		{
			key: 'filteredNoRecord',
			label: 'this trigger, filtered out, Ignore Repeated Deliveries off (diagnostic)',
			workflow: IDS.filteredNoRecord.workflow,
			url: url(IDS.filteredNoRecord, true),
			count,
			expect: 200,
			make: () => genuine(`FN-${(serial += 1)}`),
		},
		{
			key: 'repeated',
			label: 'this trigger, repeated',
			workflow: IDS.trigger.workflow,
			url: url(IDS.trigger, true),
			count,
			expect: 200,
			// Deliveries the trigger accepted in an earlier round (or the warm-up), again.
			make: () => accepted[(serial += 1) % accepted.length],
		},
		// Accepted, then the same again, on the record at its bound and on the same record saved
		// without the order.
		...acceptedThenRepeated(IDS.triggerFull, 'Full', 'record at its bound', 'AF'),
		...acceptedThenRepeated(
			IDS.triggerFullBeforeOrder,
			'FullBeforeOrder',
			'record at its bound saved without the order',
			'AB',
		),
		{
			key: 'forgedFull',
			label: 'this trigger, forged, record at its bound',
			workflow: IDS.triggerFull.workflow,
			url: url(IDS.triggerFull, true),
			count: forgedCount,
			expect: 401,
			fullRecord: true,
			make: () => forged(`FF-${(serial += 1)}`),
		},
		{
			key: 'filteredFull',
			label: 'this trigger, filtered out, record at its bound',
			workflow: IDS.filteredFull.workflow,
			url: url(IDS.filteredFull, true),
			count,
			expect: 200,
			fullRecord: true,
			make: () => genuine(`FLF-${(serial += 1)}`),
		},
		{
			key: 'stockFull',
			label: "n8n's Webhook → NoOp, the same static data (n8n's read of it alone)",
			workflow: IDS.stockFull.workflow,
			url: url(IDS.stockFull, false),
			count,
			expect: 200,
			fullRecord: true,
			make: () => genuine(`SF-${(serial += 1)}`),
		},
		{
			key: 'filteredNoRecordFull',
			label:
				"this trigger, filtered out, Ignore Repeated Deliveries off, the same static data (n8n's read of it alone)",
			workflow: IDS.filteredNoRecordFull.workflow,
			url: url(IDS.filteredNoRecordFull, true),
			count,
			expect: 200,
			fullRecord: true,
			make: () => genuine(`FNF-${(serial += 1)}`),
		},
	];
}

/** What one case measured over every round. */
interface CaseResult extends Case, Measured {
	executions: number;
	sent: number;
	isolates: number | undefined;
}

interface Machine {
	cores: number;
	cpu: string;
	memoryGiB: number;
	nodeBench: string;
	nodeN8n: string;
	n8n: string;
	experiment: string;
	connections: number;
	rounds: number;
	env: Record<string, string>;
	date: string;
	minutes: number;
	loadMinutes: number;
}

export interface N8nBench {
	results: CaseResult[];
	machine: Machine;
	staticData: {
		emptyRecord: number;
		emptyRecordAccepted: number;
		fullRecord: number;
		fullRecordBeforeOrder: number;
	};
}

export async function runN8nBench({
	quick = false,
	env = {},
	log = (text: string) => {
		process.stderr.write(`${text}\n`);
	},
}: {
	quick?: boolean;
	env?: Record<string, string>;
	log?: (text: string) => void;
} = {}): Promise<N8nBench> {
	const benchStarted = Date.now();
	let loadSeconds = 0;
	const rounds = quick ? 2 : 5;
	const metrics = env.N8N_METRICS === 'true';
	const warmup = quick ? 10 : 30;
	const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-insurance-bench-'));
	let n8n: N8nInstance | undefined;
	try {
		log(`[bench] preparing n8n ${N8N_VERSION} in ${runDir} …`);
		({ n8n } = await prepareN8n({
			runDir,
			credentials: Object.values(CREDENTIALS).map((entry) => credential(entry)),
			workflows: workflowsToImport(),
			env,
			step: (name, work) => {
				const started = Date.now();
				const result = work();
				log(`[bench] ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
				return result;
			},
		}));
		await n8n.start();
		await n8n.waitForPublished(Object.values(IDS).map((ids) => ids.workflow));
		const cases = casesFor(n8n, quick);
		const listening = cases.filter((entry) => entry.expect !== 404);
		await n8n.waitForWebhooks([...new Set(listening.map((entry) => entry.url))]);
		const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

		// Warm-up: every case, a few requests, not measured (the repeated case needs accepted ones).
		// Each must already be answered as the case expects (the DIY workflow's 401 comes from its
		// Reject branch, i.e. it really compared the HMAC), or the figures would compare other work.
		for (const entry of cases.filter((candidate) => !candidate.burst)) {
			const warm = await load(entry.url, Array.from({ length: warmup }, entry.make), agent);
			const unexpected = Object.keys(warm.statuses).filter(
				(status) => status !== String(entry.expect),
			);
			if (unexpected.length > 0) {
				throw new Error(
					`warm-up of "${entry.label}" was answered ${JSON.stringify(warm.statuses)}, expected ${entry.expect}; last log lines:\n${n8n.logTail()}`,
				);
			}
			await settle(n8n.userFolder);
		}

		// The full-record workflows must really start at the bound, or their rows compare nothing.
		const seeded = staticDataBytes(n8n.userFolder);
		for (const workflow of new Set(
			cases.filter((entry) => entry.fullRecord).map((entry) => entry.workflow),
		)) {
			if ((seeded[workflow] ?? 0) < 300_000) {
				throw new Error(
					`${workflow} starts with ${seeded[workflow] ?? 0} bytes of static data, not a full record`,
				);
			}
		}

		const results: Record<string, CaseResult> = Object.fromEntries(
			cases.map((entry): [string, CaseResult] => [
				entry.key,
				{
					...entry,
					seconds: 0,
					latencies: [],
					statuses: {},
					executions: 0,
					sent: 0,
					isolates: metrics ? 0 : undefined,
				},
			]),
		);
		for (let round = 0; round < rounds; round += 1) {
			for (const entry of cases) {
				const share = entry.burst
					? round === 0
						? entry.count
						: 0
					: Math.floor(entry.count / rounds) + (round < entry.count % rounds ? 1 : 0);
				if (share === 0) continue;
				const requests = Array.from({ length: share }, entry.make);
				const before = await settle(n8n.userFolder);
				const isolatesBefore = metrics ? await isolatesAcquired(n8n) : 0;
				const measured = await load(entry.url, requests, agent);
				const after = await settle(n8n.userFolder);
				const result = results[entry.key];
				if (result.isolates !== undefined)
					result.isolates += (await isolatesAcquired(n8n)) - isolatesBefore;
				result.sent += share;
				result.seconds += measured.seconds;
				loadSeconds += measured.seconds;
				result.latencies.push(...measured.latencies);
				for (const [status, n] of Object.entries(measured.statuses))
					result.statuses[status] = (result.statuses[status] ?? 0) + n;
				result.executions += (after[entry.workflow] ?? 0) - (before[entry.workflow] ?? 0);
			}
			log(
				`[bench] round ${round + 1}/${rounds} done (${((Date.now() - benchStarted) / 60000).toFixed(1)} min)`,
			);
		}
		agent.destroy();
		const written = staticDataBytes(n8n.userFolder);
		const staticData = {
			emptyRecord: written[IDS.trigger.workflow],
			emptyRecordAccepted: results.accepted.sent + warmup,
			fullRecord: written[IDS.triggerFull.workflow],
			fullRecordBeforeOrder: written[IDS.triggerFullBeforeOrder.workflow],
		};
		const machine: Machine = {
			cores: os.cpus().length,
			cpu: os.cpus()[0]?.model ?? 'unknown',
			memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
			nodeBench: process.version,
			nodeN8n: execFileSync(paths().nodeBin, ['--version'], { encoding: 'utf8' }).trim(),
			n8n: N8N_VERSION,
			experiment: paths().experiment,
			connections: CONNECTIONS,
			rounds,
			env,
			date: new Date().toISOString().slice(0, 10),
			minutes: (Date.now() - benchStarted) / 60000,
			loadMinutes: loadSeconds / 60,
		};
		return { results: Object.values(results), machine, staticData };
	} finally {
		await n8n?.stop();
		if (process.env.N8N_BENCH_KEEP === '1') log(`[bench] kept ${runDir}`);
		else fs.rmSync(runDir, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------
// Tables

const rps = (result: CaseResult) => result.sent / result.seconds;
/** The cases measured again with the record at its bound, as `<case>Full` (casesFor). */
const RECORD_AT_BOUND_CASES = ['accepted', 'forged', 'filtered', 'repeated'] as const;
const byKey = (results: CaseResult[]): Record<string, CaseResult> =>
	Object.fromEntries(results.map((result) => [result.key, result]));
const median = (result: CaseResult) =>
	percentile(
		[...result.latencies].sort((a, b) => a - b),
		50,
	);
const p99 = (result: CaseResult) =>
	percentile(
		[...result.latencies].sort((a, b) => a - b),
		99,
	);

/**
 * One row per case: its figures, and its throughput as a share of the two limits measured in
 * the same run: n8n's 404 (the fastest n8n answers anything) and n8n's own Webhook node.
 */
export function formatN8nTable({ results }: Pick<N8nBench, 'results'>): string {
	const isolates = results.some((result) => result.isolates !== undefined);
	const by: Record<string, CaseResult | undefined> = byKey(results);
	const share = (result: CaseResult, limit: CaseResult | undefined) =>
		limit ? `${(rps(result) / rps(limit)).toFixed(2)}×` : '–';
	const lines = [
		`| case | requests | answers | requests/s | ÷ n8n's 404 | ÷ stock Webhook | p50 latency (ms) | p99 latency (ms) | executions started |${isolates ? ' V8 isolates per request |' : ''}`,
		`|---|---:|---|---:|---:|---:|---:|---:|---:|${isolates ? '---:|' : ''}`,
	];
	for (const result of results) {
		const answers = Object.entries(result.statuses)
			.map(([status, n]) => `${n}× ${status}`)
			.join(', ');
		const perRequest = isolates ? ` ${((result.isolates ?? 0) / result.sent).toFixed(2)} |` : '';
		lines.push(
			`| ${result.label} | ${result.sent} | ${answers} | ${rps(result).toFixed(1)} | ${share(result, by.notFound)} | ${share(result, by.stock)} | ${median(result).toFixed(1)} | ${p99(result).toFixed(1)} | ${result.executions} |${perRequest}`,
		);
	}
	return lines.join('\n');
}

/** The targets of issue 4, as ratios of this run's figures. */
/** A target: a ratio with the least it must reach, or a text with whether it was met. */
type Target = { what: string } & (
	| { measured: number; target: number; text?: undefined; met?: undefined; targetText?: undefined }
	| { text: string; met: boolean; targetText: string; measured?: undefined; target?: undefined }
);

export function targetsOf({ results }: Pick<N8nBench, 'results'>): Target[] {
	// Every case of casesFor() is in the results.
	const by = byKey(results);
	const ratio = (a: number, b: number) => a / b;
	const unexpectedAnswers = results.reduce(
		(sum, result) =>
			sum +
			Object.entries(result.statuses)
				.filter(([status]) => status !== String(result.expect))
				.reduce((n, [, count]) => n + count, 0),
		0,
	);
	return [
		{
			what: 'accepted: throughput vs the stock Webhook node',
			measured: ratio(rps(by.accepted), rps(by.stock)),
			target: 0.9,
		},
		{
			what: 'forged: throughput vs the DIY workflow rejecting them',
			measured: ratio(rps(by.forged), rps(by.diyForged)),
			target: 10,
		},
		{
			what: 'forged: p50 latency of the DIY workflow ÷ the trigger’s',
			measured: ratio(median(by.diyForged), median(by.forged)),
			target: 10,
		},
		{
			what: 'filtered: throughput vs accepted',
			measured: ratio(rps(by.filtered), rps(by.accepted)),
			target: 10,
		},
		{
			what: 'repeated: throughput vs accepted',
			measured: ratio(rps(by.repeated), rps(by.accepted)),
			target: 10,
		},
		...RECORD_AT_BOUND_CASES.map((key) => ({
			what: `record at its bound: ${key}, throughput vs the same case with the record empty`,
			measured: ratio(rps(by[`${key}Full`]), rps(by[key])),
			target: 0.9,
		})),
		{
			what: `executions for ${by.forged.sent} forged deliveries: trigger / DIY`,
			text: `${by.forged.executions} / ${by.diyForged.executions}`,
			met: by.forged.executions === 0 && by.diyForged.executions === by.diyForged.sent,
			targetText: `0 / ${by.diyForged.sent}`,
		},
		{
			what: `executions for ${by.forgedAlerting.sent} forged deliveries in a burst, Output Rejected Deliveries on`,
			text: `${by.forgedAlerting.executions}`,
			met: by.forgedAlerting.sent === ALERT_BURST && by.forgedAlerting.executions <= 2,
			targetText: '≤ 2',
		},
		{
			what: 'every answer as the case expects (200; 401 for forged; 404 where nothing listens)',
			text: `${unexpectedAnswers} unexpected`,
			met: unexpectedAnswers === 0,
			targetText: '0 unexpected',
		},
		{
			what: 'executions for filtered and repeated deliveries',
			text: `${by.filtered.executions + by.repeated.executions}`,
			met: by.filtered.executions + by.repeated.executions === 0,
			targetText: '0',
		},
	];
}

export function formatTargets(bench: Pick<N8nBench, 'results'>): string {
	const lines = ['| target | measured | wanted | met |', '|---|---:|---:|:---:|'];
	for (const target of targetsOf(bench)) {
		const measured = target.text ?? `${target.measured.toFixed(2)}×`;
		const wanted = target.targetText ?? `≥ ${target.target}×`;
		const met = target.text === undefined ? target.measured >= target.target : target.met;
		lines.push(`| ${target.what} | ${measured} | ${wanted} | ${met ? '✓' : '✗'} |`);
	}
	return lines.join('\n');
}

/**
 * Each case with the record at its bound beside its limit: the same bytes in static data under
 * a workflow that never uses them, which costs only n8n's read of them on every request (and
 * its garbage). Milliseconds per request are the inverse of throughput over the same load.
 */
export function formatHistory({ results }: Pick<N8nBench, 'results'>): string {
	const by = byKey(results);
	const added = (full: CaseResult, empty: CaseResult) => 1000 / rps(full) - 1000 / rps(empty);
	const lines = [
		"| record at its bound ÷ empty | this trigger | the limit: n8n's read of the same bytes | ms added per request | of them n8n's read |",
		'|---|---:|---:|---:|---:|',
	];
	for (const key of RECORD_AT_BOUND_CASES) {
		// An accepted delivery starts an execution, as n8n's Webhook node does; the others do not.
		const [limitFull, limitEmpty] =
			key === 'accepted'
				? [by.stockFull, by.stock]
				: [by.filteredNoRecordFull, by.filteredNoRecord];
		const [full, empty] = [by[`${key}Full`], by[key]];
		lines.push(
			`| ${key} | ${(rps(full) / rps(empty)).toFixed(2)}× | ${(rps(limitFull) / rps(limitEmpty)).toFixed(2)}× | ${added(full, empty).toFixed(2)} | ${added(limitFull, limitEmpty).toFixed(2)} |`,
		);
	}
	return lines.join('\n');
}

/**
 * The order of each subject's notifications where it costs most: a record at its bound, with
 * the order beside the same record saved without it, accepted and repeated, in the same run.
 */
export function formatOrderAtBound({
	results,
	staticData,
}: Pick<N8nBench, 'results' | 'staticData'>): string {
	const by = byKey(results);
	const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
	return [
		'| record at its bound | with the order (req/s) | saved without it (req/s) | with ÷ without |',
		'|---|---:|---:|---:|',
		...(['accepted', 'repeated'] as const).map((key) => {
			const [withOrder, without] = [by[`${key}Full`], by[`${key}FullBeforeOrder`]];
			return `| ${key} | ${rps(withOrder).toFixed(1)} | ${rps(without).toFixed(1)} | ${(rps(withOrder) / rps(without)).toFixed(2)}× |`;
		}),
		'',
		`Static data at the end of the run: ${kib(staticData.fullRecord)} with the order, ${kib(staticData.fullRecordBeforeOrder)} saved without it (its accepted deliveries of this run have their order).`,
	].join('\n');
}

/** Bytes of static data n8n writes after each accepted delivery, as the record grows. */
function formatStaticData({ staticData }: Pick<N8nBench, 'staticData'>): string {
	const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
	return [
		'| record of accepted deliveries | static data n8n writes per accepted delivery |',
		'|---|---:|',
		`| after this run's ${staticData.emptyRecordAccepted} accepted deliveries (started empty) | ${kib(staticData.emptyRecord)} |`,
		`| at its bound (${REMEMBERED_NOTIFICATIONS.toLocaleString('en-US')} notifications) | ${kib(staticData.fullRecord)} |`,
	].join('\n');
}

function formatMachine({ machine }: Pick<N8nBench, 'machine'>): string {
	const settings = Object.entries(machine.env)
		.map(([name, value]) => `${name}=${value}`)
		.join(' ');
	// n8n 2.40.7's own defaults, named because they decide what a request costs (BENCHMARKS.md).
	const engine = machine.env.N8N_EXPRESSION_ENGINE ?? 'vm';
	const lazy = machine.env.N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE ?? 'false';
	const experiment = machine.experiment
		? `, with the experiment ${machine.experiment} (docs/upstream-n8n.md)`
		: '';
	return `n8n ${machine.n8n}${experiment} on Node ${machine.nodeN8n} (SQLite, regular mode, expression engine ${engine}, lazy isolate acquisition ${lazy}${settings ? `; set: ${settings}` : '; all n8n defaults'}); load from Node ${machine.nodeBench}, ${machine.connections} keep-alive connections, ${machine.rounds} interleaved rounds; ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB; ${machine.date}; n8n part ${machine.minutes.toFixed(1)} min, of it ${machine.loadMinutes.toFixed(1)} min under load.`;
}

/** `--n8n-env NAME=VALUE` (repeatable): settings for the n8n the bench starts. */
export function n8nEnvFrom(argv: string[]): Record<string, string> {
	const env: Record<string, string> = {};
	argv.forEach((arg, index) => {
		const value =
			arg === '--n8n-env'
				? argv[index + 1]
				: arg.startsWith('--n8n-env=')
					? arg.slice(10)
					: undefined;
		if (value === undefined) return;
		const separator = value.indexOf('=');
		if (separator <= 0) throw new Error(`--n8n-env expects NAME=VALUE, got ${value}`);
		env[value.slice(0, separator)] = value.slice(separator + 1);
	});
	return env;
}

/**
 * Everything a run inside n8n prints: the cases, the targets, the record at its bound beside
 * its limit, the static data, the machine.
 */
export function formatN8nBench(bench: N8nBench): string {
	return [
		formatN8nTable,
		formatTargets,
		formatHistory,
		formatOrderAtBound,
		formatStaticData,
		formatMachine,
	]
		.map((format) => format(bench))
		.join('\n\n');
}

if (require.main === module) {
	const quick = process.argv.includes('--quick');
	runN8nBench({ quick, env: n8nEnvFrom(process.argv) }).then(
		(bench) => console.log(formatN8nBench(bench)),
		(error) => {
			console.error(error);
			process.exit(1);
		},
	);
}
