/**
 * The example workflows users import (docs/workflows) run in the real n8n: each file is imported
 * with its placeholders pointed at local stand-ins (./examples.ts says how, and why the Google
 * Sheets node is replaced), published, sent a signed delivery, and what reached the CRM, the
 * mailbox, the sheet and the partner is checked. Every example is also run by a test derived
 * from it (the last ones of this file), in a copy of its own, so an example a new partner
 * brings is run without a test to write.
 */
import { sendDelivery, type SentDelivery } from '../../sender/src/deliveries';
import { TEST_TRIGGERS } from '../helpers/triggers';
import { sampleWith } from './deliver';
import { exampleFiles, exampleRun, localised, readExample } from './examples';
import {
	currentN8n,
	finishedExecutions,
	pkg,
	readState,
	startN8n,
	waitFor,
	workflows,
	writeState,
} from './harness';
import { DEFAULT_CREDENTIALS, spec, type WorkflowKey } from './scenario';
import {
	startHttpRecorder,
	startSmtp,
	type HttpRecorder,
	type RecordedRequest,
	type SmtpStandIn,
} from './standIns';

const CRM_TOKEN = 'Bearer example-crm-token';
const TEST_CREDENTIALS = {
	smtp: { id: 'exampleSmtp00001', name: 'SMTP stand-in (examples)', type: 'smtp' },
	crm: { id: 'exampleCrmKey001', name: 'CRM token (examples)', type: 'httpHeaderAuth' },
};

const files = exampleFiles();

/**
 * How each example is run (worked out when this file loads, so an example that starts with no
 * trigger of the registry, or whose filter lets no delivery through, fails it at once): the
 * registry trigger it starts with, whose scenario workflow's partner secrets sign the
 * deliveries (its default authentication and credential, which the example is imported with),
 * and a delivery its filter lets through.
 */
const RUNS = new Map(files.map((file) => [file, exampleRun(file)]));
const partnerOf = (file: string): WorkflowKey => RUNS.get(file)!.trigger.key;

const numberOf = (file: string) => files.indexOf(file) + 1;
const idOf = (file: string) => `example${String(numberOf(file)).padStart(2, '0')}`;
const rawIdOf = (file: string) => `exampleRaw${String(numberOf(file)).padStart(2, '0')}`;
const webhookIdOf = (file: string) =>
	`00000000-e8a0-4000-8000-${String(numberOf(file)).padStart(12, '0')}`;
/** The copy each example's derived test runs, so it adds nothing to what the others count. */
const derivedIdOf = (file: string) => `exampleRun${String(numberOf(file)).padStart(2, '0')}`;
const derivedWebhookIdOf = (file: string) =>
	`00000000-e8a1-4000-8000-${String(numberOf(file)).padStart(12, '0')}`;

let recorder: HttpRecorder;
let smtp: SmtpStandIn;

beforeAll(async () => {
	recorder = await startHttpRecorder();
	smtp = await startSmtp();
	const state = readState();
	const n8n = currentN8n(state);
	await n8n.stop();
	state.pid = undefined;
	writeState(state);
	n8n.importCredentials([
		workflows.credential({
			...TEST_CREDENTIALS.smtp,
			data: {
				user: '',
				password: '',
				host: smtp.host,
				port: smtp.port,
				secure: false,
				disableStartTls: true,
			},
		}),
		workflows.credential({
			...TEST_CREDENTIALS.crm,
			data: { name: 'Authorization', value: CRM_TOKEN },
		}),
	]);
	const credentials = {
		...Object.fromEntries(DEFAULT_CREDENTIALS.map((credential) => [credential.type, credential])),
		smtp: TEST_CREDENTIALS.smtp,
		httpHeaderAuth: TEST_CREDENTIALS.crm,
	};
	// As a user imports them: placeholders, credentials without ids. Not published.
	n8n.importWorkflows(
		files.map((file) => ({ ...readExample(file), id: rawIdOf(file), active: false })),
		{ publish: false },
	);
	const copies = [
		{ id: idOf, webhookId: webhookIdOf },
		{ id: derivedIdOf, webhookId: derivedWebhookIdOf },
	];
	n8n.importWorkflows(
		copies.flatMap(({ id, webhookId }) =>
			files.map((file) =>
				localised(readExample(file), {
					id: id(file),
					webhookId: webhookId(file),
					recorderUrl: recorder.url,
					credentials,
				}),
			),
		),
	);
	for (const { id, webhookId } of copies) {
		state.workflowIds.push(...files.map(id));
		state.webhookUrls.push(...files.map((file) => n8n.webhookUrl(webhookId(file))));
	}
	await startN8n(n8n, state);
}, 240000);

afterAll(async () => {
	await recorder?.close();
	await smtp?.close();
});

function send(
	file: string,
	providerEvent: string,
	body?: Buffer,
	webhookId = webhookIdOf(file),
): Promise<SentDelivery> {
	return sendDelivery({
		...spec(partnerOf(file)).partner,
		providerEvent,
		url: `http://127.0.0.1:${readState().port}/webhook/${webhookId}/webhook`,
		body,
	});
}

const deliveryKeyOf = (answer: SentDelivery) =>
	(answer.json as { deliveryKey?: string } | undefined)?.deliveryKey ?? '';

async function crmUpsertOf(answer: SentDelivery): Promise<RecordedRequest | undefined> {
	const key = deliveryKeyOf(answer);
	const path = `/api/claims/${encodeURIComponent(key)}`;
	const find = () => recorder.requests.find((request) => request.path === path);
	return await waitFor(find, (found) => found !== undefined);
}

async function sheetRowOf(sheet: string): Promise<Record<string, unknown> | undefined> {
	const find = () => recorder.requests.find((request) => request.query.sheet === sheet);
	return (await waitFor(find, (found) => found !== undefined))?.body as Record<string, unknown>;
}

async function mailAbout(text: string) {
	const find = () => smtp.messages.find((message) => message.subject.includes(text));
	return await waitFor(find, (found) => found !== undefined);
}

async function expectSuccessfulRuns(
	file: string,
	count: number,
	workflowId = idOf(file),
): Promise<void> {
	const rows = await finishedExecutions(workflowId, count);
	expect(rows.map((row) => row.status)).toEqual(Array<string>(count).fill('success'));
}

test('runs every example in docs/workflows, and an example of every trigger of the registry', () => {
	expect(files.length).toBeGreaterThan(0);
	expect([...RUNS.keys()]).toEqual(files);
	const started = new Set([...RUNS.values()].map(({ trigger }) => trigger.nodeName));
	expect(TEST_TRIGGERS.filter((trigger) => !started.has(trigger.nodeName))).toEqual([]);
});

test('each file imports as it is, placeholders and all', () => {
	for (const file of files) {
		const [row] = pkg.queryDatabase<{ name: string; nodes: string }>(
			readState().userFolder,
			'SELECT name, nodes FROM workflow_entity WHERE id = ?',
			[rawIdOf(file)],
		);
		expect(row?.name).toBe(readExample(file).name);
		const nodes = JSON.parse(row.nodes) as Array<{ name: string }>;
		expect(nodes.map((node) => node.name)).toEqual(
			readExample(file).nodes.map((node) => node.name),
		);
	}
});

test('Qoala claim approved → the CRM upsert by deliveryKey and the email', async () => {
	const file = 'qoala-claim-approved-crm-email.json';
	const answer = await send(file, 'qoala-claim');
	expect(answer.status).toBe(200);
	const upsert = await crmUpsertOf(answer);
	expect(upsert).toMatchObject({
		method: 'PUT',
		headers: { authorization: CRM_TOKEN },
		body: {
			deliveryKey: deliveryKeyOf(answer),
			provider: 'qoala',
			claimNumber: 'CLM-2024-000123',
			policyNumber: 'POL-88812345',
			status: 'INSURANCE_CLAIM_APPROVE',
			outcome: 'approved',
		},
	});
	const mail = await mailAbout('CLM-2024-000123');
	expect(mail).toMatchObject({ from: 'n8n@example.com', to: ['claims-team@example.com'] });
	expect(mail?.text).toContain('POL-88812345');
	await expectSuccessfulRuns(file, 1);
});

test('Qoala policy cancelled → a row in the "Cancelled policies" sheet', async () => {
	const file = 'qoala-policy-cancelled-sheet.json';
	const cancelled = sampleWith(
		'qoala-policy',
		'"status":"POLICY_ACTIVE"',
		'"status":"POLICY_CANCELLED"',
	);
	const answer = await send(file, 'qoala-policy', cancelled);
	expect(answer.status).toBe(200);
	expect(await sheetRowOf('Cancelled policies')).toMatchObject({
		'Policy number': 'POL-88812345',
		'Transaction number': 'PTN-20240501-0001',
		Product: 'GADGET-PROTECT',
		Status: 'Cancelled',
		'Delivery key': deliveryKeyOf(answer),
	});
	// The sample as it is (an active policy) is outside the example's filter.
	const active = await send(file, 'qoala-policy');
	expect(active.json).toMatchObject({ ignored: 'filtered' });
	await expectSuccessfulRuns(file, 1);
});

test('Cermati application status → a row in the "Cermati applications" sheet', async () => {
	const file = 'cermati-application-status-sheet.json';
	const answer = await send(file, 'cermati-application');
	expect(answer.status).toBe(200);
	expect(await sheetRowOf('Cermati applications')).toMatchObject({
		Reference: 'PARTNER-REF-0001',
		'Transaction id': 'UniqueTrxId00001',
		Status: 'ISSUED',
		Outcome: 'active',
		Final: 'no',
		'Changed at': '2024-05-01T03:15:30.000Z',
		Link: 'https://api.cermati.com/insurance/v1/goods/UniqueTrxId00001',
		'Delivery key': deliveryKeyOf(answer),
	});
	await expectSuccessfulRuns(file, 1);
});

test('Cermati claim approved → the CRM upsert by deliveryKey and the email', async () => {
	const file = 'cermati-claim-approved-crm-email.json';
	const answer = await send(file, 'cermati-claim');
	expect(answer.status).toBe(200);
	expect(await crmUpsertOf(answer)).toMatchObject({
		method: 'PUT',
		headers: { authorization: CRM_TOKEN },
		body: {
			deliveryKey: deliveryKeyOf(answer),
			provider: 'cermati',
			claimId: 'CLAIM-000042',
			insuredName: 'Budi Santoso',
			status: 'APPROVED',
			approvedClaimAmount: 1500000,
			reimbursedClaimAmount: null,
		},
	});
	const mail = await mailAbout('CLAIM-000042');
	expect(mail?.to).toEqual(['claims-team@example.com']);
	expect(mail?.text).toContain('1500000');
	await expectSuccessfulRuns(file, 1);
});

test('Curacel claim vetted → the CRM upsert by deliveryKey', async () => {
	const file = 'curacel-claim-vetted-crm.json';
	const answer = await send(file, 'curacel-claim.vetted');
	expect(answer.status).toBe(200);
	expect(await crmUpsertOf(answer)).toMatchObject({
		method: 'PUT',
		body: {
			deliveryKey: deliveryKeyOf(answer),
			provider: 'curacel',
			event: 'claim.vetted',
			claimId: '5022',
			pileId: '311',
			outcome: 'rejected',
			amount: 12000.5,
		},
	});
	await expectSuccessfulRuns(file, 1);
});

test('Curacel instalment.due over the limit is declined (402) and emailed; under it is authorised', async () => {
	const file = 'curacel-instalment-due-decline.json';
	const overLimit = await send(file, 'curacel-instalment.due');
	expect(overLimit.status).toBe(402);
	expect(overLimit.json).toMatchObject({ received: true, declined: true });
	const mail = await mailAbout('order 426');
	expect(mail?.to).toEqual(['billing@example.com']);
	expect(mail?.text).toContain('GHS 8480');
	// The same order's next delivery while this run is still going would be answered 409.
	await expectSuccessfulRuns(file, 1);

	const small = sampleWith(
		'curacel-instalment.due',
		'"instalment_amount": 8480',
		'"instalment_amount": 480',
	);
	const underLimit = await send(file, 'curacel-instalment.due', small);
	expect(underLimit.status).toBe(200);
	await expectSuccessfulRuns(file, 2);
	expect(smtp.messages.filter((message) => message.subject.includes('order 426'))).toHaveLength(1);
});

// Last, so that what they add to the CRM, the mailbox and the sheet comes after the checks above.
describe.each(files)('%s, run as it is derived from the file', (file) => {
	test("a signed delivery its trigger's filter lets through runs it to success", async () => {
		const { delivery } = RUNS.get(file)!;
		const answer = await send(
			file,
			delivery.providerEvent,
			delivery.body,
			derivedWebhookIdOf(file),
		);
		expect(answer.json).toMatchObject({ received: true });
		expect(answer.json).not.toHaveProperty('ignored');
		await expectSuccessfulRuns(file, 1, derivedIdOf(file));
	});
});
