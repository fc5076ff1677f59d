import { acceptAtOnce } from '../helpers/record';
import { CermatiApplicationTrigger } from '../../nodes/Cermati/ApplicationTrigger/CermatiApplicationTrigger.node';
import { CermatiClaimTrigger } from '../../nodes/Cermati/ClaimTrigger/CermatiClaimTrigger.node';
import { CuracelTrigger } from '../../nodes/Curacel/CuracelTrigger/CuracelTrigger.node';
import { QoalaClaimTrigger } from '../../nodes/Qoala/ClaimTrigger/QoalaClaimTrigger.node';
import { QoalaPolicyTrigger } from '../../nodes/Qoala/PolicyTrigger/QoalaPolicyTrigger.node';
import { savedEntryCount } from '../../nodes/shared/persistedEntries';
import { cermatiSignature, hmacHex } from '../helpers/partners';
import { sample, variant } from '../helpers/samples';
import { deliver, freshN8n } from '../helpers/webhookContext';

const qoalaClaim = new QoalaClaimTrigger();
const cermatiApplication = new CermatiApplicationTrigger();
const curacel = new CuracelTrigger();

const open = { authentication: 'none' };
const curacelSigned = (body: Buffer) => ({
	parameters: { authentication: 'signature' },
	credentials: { curacelSignatureApi: { webhookSecret: 'curacel-secret' } },
	headers: { 'x-curacel-signature': hmacHex('sha256', 'curacel-secret', body) },
	body,
});

describe('filters', () => {
	it('starts the workflow for a selected status', async () => {
		const answer = await deliver(qoalaClaim, {
			parameters: { ...open, statuses: ['INSURANCE_CLAIM_APPROVE', 'INSURANCE_CLAIM_PAID'] },
			body: sample('qoala-claim'),
		});
		expect(answer.items).toHaveLength(1);
	});

	it('answers 200 and starts nothing for a status outside the filter', async () => {
		const answer = await deliver(qoalaClaim, {
			parameters: { ...open, statuses: ['INSURANCE_CLAIM_PAID'] },
			body: sample('qoala-claim'),
		});
		expect(answer.status).toBe(200);
		expect(answer.items).toHaveLength(0);
		expect(answer.body).toMatchObject({ received: true, ignored: 'filtered' });
	});

	it('filters Curacel by event name', async () => {
		const body = sample('curacel-order.cancelled');
		const ignored = await deliver(curacel, {
			parameters: { ...open, events: ['claim.vetted'] },
			body,
		});
		expect(ignored.items).toHaveLength(0);
		const started = await deliver(curacel, {
			parameters: { ...open, events: ['order.cancelled'] },
			body,
		});
		expect(started.items).toHaveLength(1);
	});

	it('does not let a filtered delivery count as accepted', async () => {
		const n8n = freshN8n();
		const body = sample('qoala-claim');
		await deliver(qoalaClaim, { parameters: { ...open, statuses: ['CLAIM_INITIATE'] }, body, n8n });
		const later = await deliver(qoalaClaim, { parameters: open, body, n8n });
		expect(later.items).toHaveLength(1);
	});
});

describe('repeated deliveries', () => {
	it('starts one execution for a delivery retried several times', async () => {
		const n8n = freshN8n();
		const body = sample('cermati-application');
		const answers = [];
		for (let attempt = 0; attempt < 4; attempt++) {
			answers.push(await deliver(cermatiApplication, { parameters: open, body, n8n }));
		}
		expect(answers.map((answer) => answer.items.length)).toEqual([1, 0, 0, 0]);
		expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
		expect(answers[1].body).toMatchObject({
			ignored: 'repeated',
			deliveryKey: answers[0].items[0].deliveryKey,
		});
	});

	it('treats the same delivery as new when the option is off', async () => {
		const n8n = freshN8n();
		const body = sample('cermati-application');
		const parameters = { ...open, options: { ignoreRepeatedDeliveries: false } };
		await deliver(cermatiApplication, { parameters, body, n8n });
		const again = await deliver(cermatiApplication, { parameters, body, n8n });
		expect(again.items).toHaveLength(1);
	});

	it('never suppresses a genuinely new status change', async () => {
		const n8n = freshN8n();
		const statuses = [
			'CLAIM_INITIATE',
			'QOALA_CLAIM_APPROVE',
			'CLAIM_INITIATE',
			'QOALA_CLAIM_APPROVE',
		];
		const started = [];
		for (const status of statuses) {
			const body = variant('qoala-claim', (claim) => (claim.status = status));
			// Version 2: a step back in Qoala's stages is delivered (isLatest false), not skipped.
			const answer = await deliver(qoalaClaim, { parameters: open, body, n8n, typeVersion: 2 });
			started.push(answer.items.length);
		}
		expect(started).toEqual([1, 1, 1, 1]);
	});

	it('sees a new Cermati updatedAt as a new change even with the same status', async () => {
		const n8n = freshN8n();
		const first = sample('cermati-application');
		const reminder = variant(
			'cermati-application',
			(body) => (body.updatedAt = '2024-05-02T10:15:30+07:00'),
		);
		await deliver(cermatiApplication, { parameters: open, body: first, n8n });
		expect(
			(await deliver(cermatiApplication, { parameters: open, body: reminder, n8n })).items,
		).toHaveLength(1);
		expect(
			(await deliver(cermatiApplication, { parameters: open, body: first, n8n })).items,
		).toHaveLength(0);
	});

	it('starts one execution when copies arrive at the same moment', async () => {
		const n8n = freshN8n();
		const body = sample('curacel-claim.settled');
		const answers = await Promise.all(
			Array.from({ length: 8 }, () => deliver(curacel, { ...curacelSigned(body), n8n })),
		);
		expect(answers.reduce((sum, answer) => sum + answer.items.length, 0)).toBe(1);
		expect(answers.every((answer) => answer.status === 200)).toBe(true);
	});

	it('keeps every concurrent acceptance in static data, whatever order the saves land in', async () => {
		const n8n = freshN8n();
		const bodies = ['CLAIM_INITIATE', 'QOALA_CLAIM_APPROVE', 'INSURANCE_CLAIM_APPROVE'].map(
			(status) =>
				variant('qoala-claim', (claim) => {
					claim.status = status;
					claim.claim_number = `CLM-${status}`;
				}),
		);
		// All three load the same (empty) static data; the first accepted is the last saved.
		await Promise.all(
			bodies.map((body, index) =>
				deliver(qoalaClaim, { parameters: open, body, n8n, saveDelayMs: 30 - index * 10 }),
			),
		);
		const saved = (n8n.staticData['node:Trigger'] as { acceptedDeliveries: unknown })
			.acceptedDeliveries;
		expect(savedEntryCount(saved)).toBe(3);
	});

	it('saves static data for a repeat only when the database lacks part of the record', async () => {
		const n8n = freshN8n();
		const body = sample('qoala-claim');
		const accepted = await deliver(qoalaClaim, { parameters: open, body, n8n });
		const repeats = [];
		for (let attempt = 0; attempt < 2; attempt++) {
			repeats.push(await deliver(qoalaClaim, { parameters: open, body, n8n }));
		}
		const filtered = await deliver(qoalaClaim, {
			parameters: { ...open, statuses: ['CLAIM_INITIATE'] },
			body: variant('qoala-claim', (claim) => (claim.status = 'QOALA_CLAIM_APPROVE')),
			n8n,
		});
		expect(accepted.savedStaticData).toBe(true);
		expect(repeats.map((answer) => answer.body)).toEqual([
			expect.objectContaining({ ignored: 'repeated' }),
			expect.objectContaining({ ignored: 'repeated' }),
		]);
		expect([...repeats, filtered].map((answer) => answer.savedStaticData)).toEqual([
			false,
			false,
			false,
		]);
	});

	it('saves the record with the next repeat when the save after an acceptance was lost', async () => {
		const n8n = freshN8n();
		const body = sample('qoala-claim');
		await deliver(qoalaClaim, { parameters: open, body, n8n });
		const savedBefore = n8n.staticData;
		const second = variant('qoala-claim', (claim) => (claim.claim_number = 'CLM-2'));
		await deliver(qoalaClaim, { parameters: open, body: second, n8n });
		// n8n never stored that save (as with a Respond to Webhook node): the database is behind.
		n8n.staticData = savedBefore;
		const repeat = await deliver(qoalaClaim, { parameters: open, body, n8n });
		expect(repeat.savedStaticData).toBe(true);
		const restarted = { ...freshN8n(), staticData: n8n.staticData };
		expect(
			(await deliver(qoalaClaim, { parameters: open, body: second, n8n: restarted })).body,
		).toMatchObject({ ignored: 'repeated' });
	});

	it('still recognises a delivery after n8n restarts', async () => {
		const first = freshN8n();
		const body = sample('qoala-claim');
		await deliver(qoalaClaim, { parameters: open, body, n8n: first });
		// A restarted n8n: same workflow and static data, but nothing in memory for this node.
		const restarted = { ...freshN8n(), staticData: first.staticData };
		const again = await deliver(qoalaClaim, { parameters: open, body, n8n: restarted });
		expect(again.items).toHaveLength(0);
		expect(again.body).toMatchObject({ ignored: 'repeated' });
	});

	it('lets the policy.created naming the insurer through after the one without it, not the reverse', async () => {
		const complete = sample('curacel-policy.created');
		const bare = variant('curacel-policy.created', (event) => {
			delete event.data.provider;
			delete event.data.insurer;
		});
		const bareFirst = freshN8n();
		expect(
			(await deliver(curacel, { parameters: open, body: bare, n8n: bareFirst })).items,
		).toHaveLength(1);
		expect(
			(await deliver(curacel, { parameters: open, body: complete, n8n: bareFirst })).items,
		).toHaveLength(1);

		const completeFirst = freshN8n();
		expect(
			(await deliver(curacel, { parameters: open, body: complete, n8n: completeFirst })).items,
		).toHaveLength(1);
		expect(
			(await deliver(curacel, { parameters: open, body: bare, n8n: completeFirst })).items,
		).toHaveLength(0);
	});

	it('passes every instalment.due to the workflow, since its answer authorises the charge', async () => {
		const n8n = freshN8n();
		const body = sample('curacel-instalment.due');
		const first = await deliver(curacel, { parameters: open, body, n8n });
		const retry = await deliver(curacel, { parameters: open, body, n8n });
		expect([first.items.length, retry.items.length]).toEqual([1, 1]);
	});

	it('remembers a bounded number of notifications', async () => {
		const { DeliveryRecord } = await import('../../index');
		const record = new DeliveryRecord(3);
		for (const id of ['a', 'b', 'c', 'd']) acceptAtOnce(record, { subject: [id], state: 'x' });
		expect(record.size).toBe(3);
		expect(acceptAtOnce(record, { subject: ['a'], state: 'x' })).toBe(false);
		expect(acceptAtOnce(record, { subject: ['d'], state: 'x' })).toBe(true);
	});
});

describe('invalid deliveries', () => {
	const cases: Array<[string, Buffer | string, RegExp]> = [
		['an empty body', '', /empty/],
		['a body that is not JSON', 'claim_number=1&status=PAID', /not valid JSON/],
		['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), /UTF-8/],
		['a JSON array', '[]', /not a valid notification/],
		['a JSON string', '"hello"', /not a valid notification/],
		['JSON null', 'null', /not a valid notification/],
		['a body without status', '{"claim_number":"CLM-1"}', /status/],
		[
			'a claim_number of the wrong type',
			'{"claim_number":42,"status":"CLAIM_INITIATE"}',
			/claim_number/,
		],
	];

	it.each(cases)('answers 400 to %s and starts nothing', async (_name, body, message) => {
		const answer = await deliver(qoalaClaim, { parameters: open, body });
		expect(answer.status).toBe(400);
		expect(answer.items).toHaveLength(0);
		const answered = answer.body as { error: string; issues: unknown[] };
		expect(answered.error).toMatch(message);
		expect(Array.isArray(answered.issues)).toBe(true);
	});

	it('names each missing field with its path', async () => {
		const answer = await deliver(new CermatiClaimTrigger(), {
			parameters: open,
			body: '{"refNo":"R"}',
		});
		const paths = (answer.body as { issues: { path: string }[] }).issues.map((issue) => issue.path);
		expect(paths).toEqual(
			expect.arrayContaining(['trxId', 'claimId', 'productId', 'claimType', 'status', 'updatedAt']),
		);
	});

	it('names the missing id inside a Curacel event', async () => {
		const answer = await deliver(curacel, {
			parameters: open,
			body: '{"event":"claim.vetted","data":{}}',
		});
		expect(answer.status).toBe(400);
		expect(
			(answer.body as { issues: { path: string }[] }).issues.map((issue) => issue.path),
		).toContain('data.id');
	});

	it('checks the signature before it reads the body', async () => {
		const answer = await deliver(curacel, {
			parameters: { authentication: 'signature' },
			credentials: { curacelSignatureApi: { webhookSecret: 'curacel-secret' } },
			headers: { 'x-curacel-signature': hmacHex('sha256', 'other', 'not json') },
			body: 'not json',
		});
		expect(answer.status).toBe(401);
	});

	it('keeps unknown extra fields in body', async () => {
		const body = variant(
			'qoala-claim',
			(claim) => (claim.claim_amount = { value: 10, currency: 'IDR' }),
		);
		const [item] = (await deliver(qoalaClaim, { parameters: open, body })).items;
		expect((item.body as Record<string, unknown>).claim_amount).toEqual({
			value: 10,
			currency: 'IDR',
		});
	});
});

describe('bodies n8n leaves for the trigger to read (version 1.1, a type n8n does not parse)', () => {
	it('reads and accepts the genuine bytes, as version 1 did', async () => {
		const body = sample('curacel-claim.settled');
		const answer = await deliver(curacel, { ...curacelSigned(body), bodyLeftUnread: true });
		expect(answer.status).toBe(200);
		expect(answer.items).toHaveLength(1);
	});

	it('answers 413 when the body is larger than n8n accepts, and starts nothing', async () => {
		const answer = await deliver(curacel, {
			...curacelSigned(sample('curacel-claim.settled')),
			bodyLeftUnread: {
				failsWith: Object.assign(new Error('too large'), { type: 'entity.too.large' }),
			},
		});
		expect(answer).toMatchObject({
			status: 413,
			body: { error: 'Body is larger than this n8n accepts (N8N_PAYLOAD_SIZE_MAX)' },
			items: [],
		});
	});

	it('answers 400 when the sender stopped before the end of the body, and starts nothing', async () => {
		const answer = await deliver(curacel, {
			...curacelSigned(sample('curacel-claim.settled')),
			bodyLeftUnread: {
				failsWith: Object.assign(new Error('aborted'), { type: 'request.aborted' }),
			},
		});
		expect(answer).toMatchObject({ status: 400, items: [] });
		expect(answer.body).toEqual({
			error: 'Body could not be read: the request ended before the whole body arrived',
		});
	});
});

describe('statuses nobody documented', () => {
	it('accepts an unknown Qoala status with outcome unknown', async () => {
		const body = variant(
			'qoala-claim',
			(claim) => (claim.status = 'INSURANCE_CLAIM_PARTIALLY_PAID'),
		);
		const answer = await deliver(qoalaClaim, { parameters: open, body });
		expect(answer.items[0]).toMatchObject({
			status: 'INSURANCE_CLAIM_PARTIALLY_PAID',
			statusLabel: 'Insurance claim partially paid',
			outcome: 'unknown',
			isFinal: false,
		});
	});

	it('accepts an unknown Curacel event with outcome unknown', async () => {
		const body = '{"event":"policy.renewed","data":{"id":77,"status":"renewed"}}';
		const answer = await deliver(curacel, { parameters: open, body });
		expect(answer.items[0]).toMatchObject({
			event: 'policy.renewed',
			status: 'renewed',
			outcome: 'unknown',
			deliveryKey: 'curacel|policy.renewed|77|renewed',
			claimId: null,
		});
	});

	it.each(['constructor', '__proto__', 'toString'])(
		'treats a status named %s as unknown, not as a built-in',
		async (status) => {
			const body = variant('qoala-claim', (claim) => (claim.status = status));
			const answer = await deliver(qoalaClaim, { parameters: open, body });
			expect(answer.items[0]).toMatchObject({ status, outcome: 'unknown' });
			const event = await deliver(curacel, {
				parameters: open,
				body: `{"event":"${status}","data":{}}`,
			});
			expect(event.items[0]).toMatchObject({ event: status, outcome: 'unknown' });
		},
	);
});

describe('golden signatures over the raw bytes', () => {
	it('verifies Curacel over the bytes as sent, escaped slashes included', async () => {
		const body = sample('curacel-policy.created');
		expect(body.toString('utf8')).toContain('https:\\/\\/api.playbox.grow.curacel.co');
		const answer = await deliver(curacel, curacelSigned(body));
		expect(answer.status).toBe(200);
		expect(answer.items[0].body).toEqual(JSON.parse(body.toString('utf8')));

		// What a verifier that re-serialises the body would check: it must not pass.
		const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
		const wrong = await deliver(curacel, {
			...curacelSigned(reserialised),
			body,
		});
		expect(wrong.status).toBe(401);
	});

	it('verifies Cermati over trxId + updatedAt exactly as sent, +07:00 offset included', async () => {
		const body = sample('cermati-application');
		const expected = hmacHex(
			'sha256',
			'cermati-secret',
			'UniqueTrxId00001' + '2024-05-01T10:15:30+07:00',
		);
		expect(cermatiSignature('cermati-secret', body, 'trxId')).toBe(`v1=${expected}`);
		const answer = await deliver(cermatiApplication, {
			parameters: { authentication: 'signature' },
			credentials: { cermatiSignatureApi: { secretKey: 'cermati-secret' } },
			headers: { 'cermati-signature': `v1=${expected.toUpperCase()}` },
			body,
		});
		expect(answer.status).toBe(200);
		expect(answer.items[0].occurredAt).toBe('2024-05-01T03:15:30.000Z');
	});

	it('does not accept the same instant written in UTC, since Cermati signs the text', async () => {
		const body = sample('cermati-application');
		const utc = hmacHex('sha256', 'cermati-secret', 'UniqueTrxId00001' + '2024-05-01T03:15:30Z');
		const answer = await deliver(cermatiApplication, {
			parameters: { authentication: 'signature' },
			credentials: { cermatiSignatureApi: { secretKey: 'cermati-secret' } },
			headers: { 'cermati-signature': `v1=${utc}` },
			body,
		});
		expect(answer.status).toBe(401);
	});

	it('names an unknown Cermati signature version', async () => {
		const body = sample('cermati-application');
		const answer = await deliver(cermatiApplication, {
			parameters: { authentication: 'signature' },
			credentials: { cermatiSignatureApi: { secretKey: 'cermati-secret' } },
			headers: {
				'cermati-signature': cermatiSignature('cermati-secret', body, 'trxId').replace(
					'v1=',
					'v2=',
				),
			},
			body,
		});
		expect(answer.status).toBe(401);
		expect((answer.body as { error: string }).error).toBe(
			'Unsupported signature version in Cermati-Signature header (a 2-character version); supported: v1',
		);
	});

	it('shows that Cermati does not sign the status (a documented limit)', async () => {
		const body = sample('cermati-application');
		const signature = cermatiSignature('cermati-secret', body, 'trxId');
		const altered = variant(
			'cermati-application',
			(application) => (application.status = 'CANCELLED'),
		);
		const answer = await deliver(cermatiApplication, {
			parameters: { authentication: 'signature' },
			credentials: { cermatiSignatureApi: { secretKey: 'cermati-secret' } },
			headers: { 'cermati-signature': signature },
			body: altered,
		});
		expect(answer.status).toBe(200);
	});
});

describe('Qoala policy', () => {
	it('gives null, not absent, for every optional field the partner left out', async () => {
		const answer = await deliver(new QoalaPolicyTrigger(), {
			parameters: open,
			body: '{"policy_number":"P-1","status":"POLICY_ISSUING"}',
		});
		expect(answer.items[0]).toMatchObject({
			policyNumber: 'P-1',
			partnerTransactionNumber: null,
			productCode: null,
			quotationNumber: null,
			documents: null,
			outcome: 'pending',
		});
	});
});
