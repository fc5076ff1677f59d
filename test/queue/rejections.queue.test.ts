/**
 * Rejections in queue mode answer exactly as in single-process mode, on every webhook process.
 *
 * The same bytes — unsigned, wrongly signed, forged, not JSON, lacking a required field, and a
 * genuine delivery outside the workflow's filter — go to a reference n8n in regular
 * (single-process) mode, to each webhook process directly, and through nginx. Every answer
 * (status, content type, body) must equal the reference's, and none may start an execution or
 * reach the CRM.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import {
	readSample,
	signedHeaders,
	postDelivery,
	type DeliveryAnswer,
} from '../../sender/src/deliveries';
import { instance, pkg } from '../e2e/harness';
import {
	credentialsToImport,
	spec,
	webhookId,
	workflowId,
	type WorkflowKey,
} from '../e2e/scenario';
import { TEST_TRIGGERS } from '../helpers/triggers';
import { forgedDelivery, variantsOfTrigger } from '../helpers/variants';
import {
	FILTERED_WORKFLOWS,
	LOAD_WORKFLOWS,
	query,
	queueWorkflows,
	readState,
	sleep,
	urlOf,
} from './environment';
import { writeReport } from './report';

interface Case {
	name: string;
	key: WorkflowKey;
	body: Buffer;
	headers: Record<string, string>;
	/** What single-process n8n must answer (checked on the reference first). */
	expect: { status: number; ignored?: string };
}

/** Every trigger of the registry: its main sample, its variants, its workflows in the cluster. */
const TRIGGERS = TEST_TRIGGERS.map((trigger) => ({
	key: trigger.key,
	filtered: `${trigger.key}Filtered` as const,
	providerEvent: trigger.mainEvent,
	variants: variantsOfTrigger(trigger),
}));

/**
 * The partner's headers for this body; for a body it cannot sign (Cermati signs body fields),
 * the headers of its sample, a signature of the right form.
 */
function partnerHeaders(
	key: WorkflowKey,
	providerEvent: string,
	body: Buffer,
	overrides: { secret?: string } = {},
): Record<string, string> {
	const sign = (bytes: Buffer) =>
		signedHeaders({ ...spec(key).partner, ...overrides, providerEvent }, bytes);
	try {
		return sign(body);
	} catch {
		return sign(readSample(providerEvent));
	}
}

function casesFor(trigger: (typeof TRIGGERS)[number]): Case[] {
	const { key, providerEvent, variants } = trigger;
	const sample = readSample(providerEvent);
	const forged = forgedDelivery(variants, sample, (body, secret) =>
		partnerHeaders(key, providerEvent, body, secret ? { secret } : {}),
	);
	const notJson = Buffer.from('status=APPROVED&id=1', 'utf8');
	const withoutRequired = Buffer.from(JSON.stringify(variants.withoutRequired.body), 'utf8');
	return [
		{
			name: 'unsigned',
			key,
			body: sample,
			headers: { 'Content-Type': 'application/json' },
			expect: { status: 401 },
		},
		{
			name: 'wrong secret',
			key,
			body: sample,
			headers: partnerHeaders(key, providerEvent, sample, { secret: 'not-the-secret-0000' }),
			expect: { status: 401 },
		},
		{
			name: 'forged',
			key,
			body: forged.body,
			headers: forged.headers,
			expect: { status: 401 },
		},
		{
			name: 'not JSON (text/plain)',
			key,
			body: notJson,
			headers: { ...partnerHeaders(key, providerEvent, notJson), 'Content-Type': 'text/plain' },
			expect: { status: 400 },
		},
		{
			name: 'not JSON, declared JSON (n8n answers)',
			key,
			body: notJson,
			headers: partnerHeaders(key, providerEvent, notJson),
			expect: { status: 422 },
		},
		{
			name: `without ${variants.withoutRequired.field}`,
			key,
			body: withoutRequired,
			headers: partnerHeaders(key, providerEvent, withoutRequired),
			expect: { status: 400 },
		},
		{
			name: 'outside the filter',
			key: trigger.filtered,
			body: sample,
			headers: partnerHeaders(trigger.filtered, providerEvent, sample),
			expect: { status: 200, ignored: 'filtered' },
		},
	];
}

const CASES = TRIGGERS.flatMap(casesFor);
const WORKFLOW_KEYS = [...LOAD_WORKFLOWS, ...FILTERED_WORKFLOWS];

/** What is compared: status, content type, body (JSON when it is JSON). */
function comparable(answer: DeliveryAnswer) {
	return {
		status: answer.status,
		contentType: String(answer.headers['content-type'] ?? '').split(';')[0],
		body: answer.json ?? answer.body,
	};
}

interface Target {
	name: string;
	url: (key: WorkflowKey) => string;
}

describe('rejections in queue mode', () => {
	const state = readState();
	let reference: Awaited<ReturnType<typeof instance.N8nInstance.create>> | undefined;
	let referenceUrl: (key: WorkflowKey) => string;
	/** answers[target][case index] */
	const answers: Record<string, DeliveryAnswer[]> = {};
	const servedBy: Record<string, number> = {};
	const targets: Target[] = [
		{ name: 'webhook #1', url: (key) => urlOf(key, 0, state) },
		{ name: 'webhook #2', url: (key) => urlOf(key, 1, state) },
		{ name: 'nginx (1st)', url: (key) => urlOf(key, undefined, state) },
		{ name: 'nginx (2nd)', url: (key) => urlOf(key, undefined, state) },
	];

	beforeAll(async () => {
		// The reference: the same package, credentials and workflows in one regular n8n (SQLite).
		const started = Date.now();
		const userFolder = path.join(state.runDir, 'reference');
		mkdirSync(userFolder, { recursive: true });
		const installed = pkg.installTarball(state.tarball, userFolder);
		reference = await instance.N8nInstance.create({
			userFolder,
			logFile: path.join(state.runDir, 'reference.log'),
		});
		reference.importCredentials(credentialsToImport());
		pkg.registerInstalledPackage(userFolder, installed.packageDir);
		const workflows = queueWorkflows(state.crmUrl, WORKFLOW_KEYS);
		reference.importWorkflows(workflows);
		await reference.start();
		await reference.waitForPublished(workflows.map((workflow) => workflow.id));
		const base = reference.baseUrl;
		referenceUrl = (key) => `${base}/webhook/${webhookId(key)}/webhook`;
		await reference.waitForWebhooks(WORKFLOW_KEYS.map((key) => referenceUrl(key)));
		process.stdout.write(
			`[queue] reference n8n (regular mode, SQLite) ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
		);

		const send = (url: string, testCase: Case) =>
			postDelivery(url, testCase.body, testCase.headers);
		answers.reference = [];
		for (const testCase of CASES)
			answers.reference.push(await send(referenceUrl(testCase.key), testCase));
		for (const target of targets) {
			answers[target.name] = [];
			for (const testCase of CASES) {
				const answer = await send(target.url(testCase.key), testCase);
				answers[target.name].push(answer);
				const via = answer.headers['x-served-by'];
				if (typeof via === 'string') servedBy[via] = (servedBy[via] ?? 0) + 1;
			}
		}
	});

	afterAll(async () => {
		await reference?.stop();
	});

	it('the reference (single-process n8n) answers each case as the README says', () => {
		expect(
			CASES.map((testCase, index) => ({
				case: `${testCase.key}: ${testCase.name}`,
				status: answers.reference[index].status,
				ignored: (answers.reference[index].json as { ignored?: string } | undefined)?.ignored,
			})),
		).toEqual(
			CASES.map((testCase) => ({
				case: `${testCase.key}: ${testCase.name}`,
				status: testCase.expect.status,
				ignored: testCase.expect.ignored,
			})),
		);
	});

	it.each(['webhook #1', 'webhook #2', 'nginx (1st)', 'nginx (2nd)'])(
		'%s answers every case exactly as the reference does',
		(target) => {
			expect(
				answers[target].map((answer, index) => ({
					case: `${CASES[index].key}: ${CASES[index].name}`,
					...comparable(answer),
				})),
			).toEqual(
				answers.reference.map((answer, index) => ({
					case: `${CASES[index].key}: ${CASES[index].name}`,
					...comparable(answer),
				})),
			);
		},
	);

	it('nginx passed them to both webhook processes', () => {
		expect(Object.keys(servedBy).sort()).toEqual(
			state.webhookProcesses.map((base) => base.replace('http://', '')).sort(),
		);
	});

	it('started no execution anywhere and posted nothing to the CRM', async () => {
		await sleep(2500);
		const ids = WORKFLOW_KEYS.map((key) => workflowId(key));
		const rows = await query<{ count: string }>(
			'SELECT count(*) AS count FROM execution_entity WHERE "workflowId" = ANY($1)',
			[ids],
		);
		const crm = await instance.request('GET', `${state.crmUrl}/records`);
		const posted = (JSON.parse(crm.body) as Array<{ key: string }>).filter((record) =>
			(WORKFLOW_KEYS as readonly string[]).includes(record.key),
		);

		// The figures for the report: what each process answered, what started.
		const perTarget = Object.fromEntries(
			['reference', ...targets.map((target) => target.name)].map((name) => {
				const counts: Record<string, number> = {};
				for (const answer of answers[name]) {
					const label =
						answer.status === 200
							? `200 ${(answer.json as { ignored?: string }).ignored ?? 'accepted'}`
							: String(answer.status);
					counts[label] = (counts[label] ?? 0) + 1;
				}
				return [name, counts];
			}),
		);
		const reference = answers.reference.map(comparable);
		writeReport('rejections', {
			cases: CASES.length,
			perTarget,
			nginxServedBy: servedBy,
			identicalToReference: Object.fromEntries(
				targets.map((target) => [
					target.name,
					isDeepStrictEqual(answers[target.name].map(comparable), reference),
				]),
			),
			executionsStarted: Number(rows[0].count),
			crmPosts: posted.length,
		});
		expect(Number(rows[0].count)).toBe(0);
		expect(posted).toHaveLength(0);
	});
});
