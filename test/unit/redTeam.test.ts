/**
 * What a red-team pass over the packed package in n8n 2.40.7 found (issue 29), as a partner, a
 * forger and an alert channel would see it: one captured Cermati signature carried any status
 * or amount, a `__proto__` key shaped the item, and refusals quoted what the sender wrote or
 * how the trigger is configured. (The unanswered response-node run: acknowledgement.test.ts.)
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { registry } from '../../nodes/partners';
import { CermatiApplicationTrigger } from '../../nodes/Cermati/ApplicationTrigger/CermatiApplicationTrigger.node';
import { CermatiClaimTrigger } from '../../nodes/Cermati/ClaimTrigger/CermatiClaimTrigger.node';
import { CuracelTrigger } from '../../nodes/Curacel/CuracelTrigger/CuracelTrigger.node';
import { NOT_CONFIGURED } from '../../nodes/shared/errors';
import { triggerNode } from '../helpers/nodes';
import { cermatiSignature, hmacHex } from '../helpers/partners';
import { sample, variant } from '../helpers/samples';
import { deliver, freshN8n, type DeliveryOptions, type FakeN8n } from '../helpers/webhookContext';

const SECRET = 'cermati-secret';

function cermati(
	node: CermatiApplicationTrigger | CermatiClaimTrigger,
	header: string,
	body: Buffer,
	n8n: FakeN8n,
	options: Partial<DeliveryOptions> = {},
) {
	return deliver(node, {
		body,
		n8n,
		headers: { 'cermati-signature': header },
		credentials: { cermatiSignatureApi: { secretKey: SECRET } },
		...options,
		parameters: { authentication: 'signature', ...options.parameters },
	});
}

describe('Cermati: one signed pair (id + updatedAt) is one notification', () => {
	const application = new CermatiApplicationTrigger();
	const genuine = sample('cermati-application');
	const header = cermatiSignature(SECRET, genuine, 'trxId');

	it('refuses the genuine signature over another status (401 replayed_signature), starting nothing', async () => {
		const n8n = freshN8n();
		expect((await cermati(application, header, genuine, n8n)).items).toHaveLength(1);
		const cancelled = variant('cermati-application', (body) => (body.status = 'CANCELLED'));
		const replay = await cermati(application, header, cancelled, n8n, {
			parameters: { options: { rejectedOutput: true } },
		});
		expect(replay.status).toBe(401);
		expect(replay.items).toHaveLength(0);
		expect(replay.rejected).toEqual([
			expect.objectContaining({ check: 'replayed_signature', httpStatus: 401 }),
		]);
	});

	it('answers the byte-identical genuine delivery again as a repeat, not a second execution', async () => {
		const n8n = freshN8n();
		await cermati(application, header, genuine, n8n);
		const again = await cermati(application, header, genuine, n8n);
		expect(again.status).toBe(200);
		expect(again.body).toMatchObject({ ignored: 'repeated' });
		expect(again.items).toHaveLength(0);
	});

	it('takes the same content laid out differently (key order, spacing) as a repeat', async () => {
		const n8n = freshN8n();
		await cermati(application, header, genuine, n8n);
		const fields = Object.entries(JSON.parse(genuine.toString('utf8')) as object).reverse();
		const relaid = Buffer.from(JSON.stringify(Object.fromEntries(fields), null, 2));
		expect((await cermati(application, header, relaid, n8n)).body).toMatchObject({
			ignored: 'repeated',
		});
	});

	it('refuses a replay whatever status it claims, also one the filter would skip', async () => {
		const n8n = freshN8n();
		await cermati(application, header, genuine, n8n);
		const cancelled = variant('cermati-application', (body) => (body.status = 'CANCELLED'));
		const replay = await cermati(application, header, cancelled, n8n, {
			parameters: { statuses: ['ACTIVATED'] },
		});
		expect(replay.status).toBe(401);
	});

	it("refuses a claim's signature re-sent as APPROVED with another amount", async () => {
		const claim = new CermatiClaimTrigger();
		const n8n = freshN8n();
		const initiated = variant('cermati-claim', (body) => {
			body.status = 'INITIATED';
			body.approvedClaimAmount = null;
		});
		const claimHeader = cermatiSignature(SECRET, initiated, 'claimId');
		expect((await cermati(claim, claimHeader, initiated, n8n)).items).toHaveLength(1);
		const inflated = variant('cermati-claim', (body) => {
			body.status = 'APPROVED';
			body.approvedClaimAmount = 999999999;
		});
		const replay = await cermati(claim, claimHeader, inflated, n8n);
		expect(replay.status).toBe(401);
		expect(replay.items).toHaveLength(0);
	});

	it('lets a retry of a run that failed (never answered 2XX) run again', async () => {
		const n8n = freshN8n();
		const options = { parameters: { responseMode: 'lastNode' }, workflowAnswers: 500 };
		expect((await cermati(application, header, genuine, n8n, options)).status).toBe(500);
		const retry = await cermati(application, header, genuine, n8n);
		expect(retry.items).toHaveLength(1);
	});
});

describe('a __proto__, constructor or prototype key in a body', () => {
	const dangerous = fc.constantFrom('__proto__', 'constructor', 'prototype');
	const injected = fc.dictionary(
		fc.oneof(fc.constantFrom('partner_transaction_number', 'documents', 'status'), fc.string()),
		fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant('not-an-array')),
		{ maxKeys: 4 },
	);

	// Every trigger's samples, each with such a key spliced in at the top and in every object.
	const samples = registry.providerEvents.map((event) => ({
		event,
		node: triggerNode(event.nodeName),
		trigger: registry.triggers.find((trigger) => trigger.nodeName === event.nodeName)!,
	}));

	// Spliced into every object of a sample; `escaped` spells the key with a \u escape.
	const splice = (clean: string, key: string, value: string) =>
		// A function, not a string: `$` in a generated value is not a replacement pattern.
		clean.replace(/\{/g, () => `{"${key}":${value},`).replace(/,\}/g, '}');
	// Every item field but the two that differ by nature: the body as sent and the time received.
	const fieldsOf = (item: IDataObject | undefined) => {
		const fields: IDataObject = { ...item };
		delete fields.body;
		delete fields.receivedAt;
		return JSON.parse(JSON.stringify(fields)) as unknown;
	};

	it('changes no item field, and every field keeps its declared type', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom(...samples),
				dangerous,
				injected,
				fc.boolean(),
				async ({ event, node, trigger }, key, value, escaped) => {
					const clean = sample(event.id).toString('utf8');
					const spelled = escaped ? key.replace('_', '\\u005f') : key;
					const itemOf = async (body: string) =>
						(await deliver(node, { parameters: { authentication: 'none' }, body })).items[0];
					const withKey = await itemOf(splice(clean, spelled, JSON.stringify(value)));
					expect(trigger.item.safeParse(withKey).success).toBe(true);
					// __proto__ is dropped; the others are keys like any other: where a field passes
					// entries through as sent (Qoala's documents), they are there as any key would be.
					const harmless = await itemOf(splice(clean, 'injected', JSON.stringify(value)));
					const expected =
						key === '__proto__'
							? fieldsOf(await itemOf(clean))
							: JSON.parse(
									JSON.stringify(fieldsOf(harmless)).replaceAll('"injected":', `"${key}":`),
								);
					expect(fieldsOf(withKey)).toEqual(expected);
				},
			),
			{ numRuns: 200 },
		);
	});
});

describe('nothing the sender wrote reaches an alert or the caller', () => {
	const curacel = new CuracelTrigger();
	const curacelSecret = 'curacel-secret';
	const alerted = (options: Partial<DeliveryOptions> & { body: Buffer | string }) =>
		deliver(curacel, {
			credentials: { curacelSignatureApi: { webhookSecret: curacelSecret } },
			...options,
			parameters: {
				authentication: 'signature',
				options: { rejectedOutput: true },
				...options.parameters,
			},
		});

	it('says at which byte a body stops being JSON, never the text around it', async () => {
		const body = '{"event":"claim.vetted","holder":PII-Budi-Santoso-3174}';
		const answer = await deliver(new CermatiApplicationTrigger(), {
			parameters: { authentication: 'signature', options: { rejectedOutput: true } },
			credentials: { cermatiSignatureApi: { secretKey: SECRET } },
			headers: { 'cermati-signature': `v1=${'0'.repeat(64)}` },
			body,
		});
		expect(answer.status).toBe(400);
		const error = (answer.body as { error: string }).error;
		expect(error).toBe(`Body is not valid JSON: it stops being JSON at byte ${body.indexOf('P')}`);
		expect(JSON.stringify([answer.body, answer.rejected])).not.toMatch(/PII|Budi|holder/);
	});

	it('counts the byte in UTF-8, past multi-byte characters', async () => {
		const body = '{"name":"Ñoño","x":tru}';
		const unsigned = await deliver(curacel, { parameters: { authentication: 'none' }, body });
		expect((unsigned.body as { error: string }).error).toContain(
			`at byte ${Buffer.byteLength(body.slice(0, body.indexOf('tru}')))}`,
		);
	});

	it('never quotes a malformed signature header', async () => {
		const answer = await cermati(
			new CermatiApplicationTrigger(),
			'SECRET-PII-9=abcdef',
			sample('cermati-application'),
			freshN8n(),
			{ parameters: { options: { rejectedOutput: true } } },
		);
		expect(answer.status).toBe(401);
		expect(JSON.stringify([answer.body, answer.rejected])).not.toContain('PII');
	});

	it('names in headerNames only the headers the trigger reads', async () => {
		const body = sample('curacel-claim.vetted');
		const answer = await alerted({
			body,
			headers: {
				'x-curacel-signature': hmacHex('sha256', 'wrong', body),
				'x-customer-nik-3174000000000001': '1',
			},
		});
		expect(answer.rejected).toEqual([
			expect.objectContaining({ headerNames: ['content-type', 'x-curacel-signature'] }),
		]);
	});

	it.each<[string, Partial<DeliveryOptions>, string]>([
		['a bad allowlist entry', { parameters: { allowedIps: '10.0.0.300' } }, '10.0.0.300'],
		[
			'an empty secret',
			{ credentials: { curacelSignatureApi: { webhookSecret: '' } } },
			'webhookSecret',
		],
	])(
		'answers a misconfiguration (%s) 500 without the detail, which goes to the alert',
		async (_what, options, detail) => {
			const body = sample('curacel-claim.vetted');
			const answer = await alerted({
				body,
				headers: { 'x-curacel-signature': hmacHex('sha256', curacelSecret, body) },
				...options,
				parameters: { options: { rejectedOutput: true, ...options.parameters } },
			});
			expect(answer.status).toBe(500);
			expect(answer.body).toEqual({ error: NOT_CONFIGURED });
			expect(answer.rejected).toEqual([
				expect.objectContaining({
					check: 'misconfigured',
					reason: expect.stringContaining(detail),
				}),
			]);
		},
	);

	it('refuses a secret of spaces or line breaks like an empty one, also as Previous Secret', async () => {
		const body = sample('curacel-claim.vetted');
		for (const blank of [' ', '\n', ' \t\r\n ']) {
			const signedWithBlank = { 'x-curacel-signature': hmacHex('sha256', blank, body) };
			const asSecret = await alerted({
				body,
				headers: signedWithBlank,
				credentials: { curacelSignatureApi: { webhookSecret: blank } },
			});
			expect(asSecret.status).toBe(500);
			const asPrevious = await alerted({
				body,
				headers: signedWithBlank,
				credentials: {
					curacelSignatureApi: { webhookSecret: curacelSecret, previousSecret: blank },
				},
			});
			expect(asPrevious.status).toBe(401);
		}
	});
});

describe('Cermati: a delivery is authenticated before its schema is read', () => {
	it('answers a wrongly signed, malformed body 401 signature_mismatch, never a 400 listing the schema', async () => {
		const body = JSON.stringify({ trxId: 'T-1', updatedAt: 'not a time', status: 7 });
		const answer = await cermati(
			new CermatiApplicationTrigger(),
			`v1=${'a'.repeat(64)}`,
			Buffer.from(body),
			freshN8n(),
			{ parameters: { options: { rejectedOutput: true } } },
		);
		expect(answer.status).toBe(401);
		expect(answer.body).not.toHaveProperty('issues');
		expect(answer.rejected).toEqual([expect.objectContaining({ check: 'signature_mismatch' })]);
	});

	it('answers a body without the signed fields 401 as well', async () => {
		const answer = await cermati(
			new CermatiClaimTrigger(),
			`v1=${'a'.repeat(64)}`,
			Buffer.from('{"status":"APPROVED"}'),
			freshN8n(),
		);
		expect(answer.status).toBe(401);
	});

	it('still answers a genuinely signed body the schema refuses 400, naming the field', async () => {
		const body = variant('cermati-application', (json) => (json.refNo = 12345));
		const answer = await cermati(
			new CermatiApplicationTrigger(),
			cermatiSignature(SECRET, body, 'trxId'),
			body,
			freshN8n(),
		);
		expect(answer.status).toBe(400);
		expect(JSON.stringify(answer.body)).toContain('refNo');
	});
});
