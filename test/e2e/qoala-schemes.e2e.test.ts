/**
 * One Qoala claim trigger per authentication scheme Qoala may choose at onboarding (API key is
 * covered in triggers.e2e.test.ts): the genuine delivery starts exactly one execution, a
 * delivery without the right credential is answered 401 and starts nothing.
 */
import { readSample, signedHeaders, type SentDelivery } from '../../sender/src/deliveries';
import { deliver, expectItemFor, expectQuiet, recordOf, sampleWith } from './deliver';
import { crmRecords, finishedExecutions, waitFor } from './harness';
import { spec, workflowId, type WorkflowKey } from './scenario';

interface SchemeCase {
	key: WorkflowKey;
	/** The header that must carry the credential. */
	header: string;
	/** A delivery the secret did not make: a signature over other bytes, or the wrong kind of credential. */
	forged(): Promise<SentDelivery>;
}

/** The genuine signature of the sample, sent with one claim status changed. */
const tampered = (key: WorkflowKey) => () =>
	deliver(key, 'qoala-claim', {
		scheme: 'none',
		body: sampleWith('qoala-claim', 'INSURANCE_CLAIM_APPROVE', 'INSURANCE_CLAIM_PAID'),
		headers: signedHeaders(
			{ ...spec(key).partner, providerEvent: 'qoala-claim' },
			readSample('qoala-claim'),
		),
	});

const SCHEMES: SchemeCase[] = [
	{ key: 'qoalaHmacHex', header: 'x-api-key', forged: tampered('qoalaHmacHex') },
	{ key: 'qoalaHmacBase64', header: 'X-Qoala-Signature', forged: tampered('qoalaHmacBase64') },
	{ key: 'qoalaMd5Hmac', header: 'x-api-key', forged: tampered('qoalaMd5Hmac') },
	{ key: 'qoalaMd5BodyAndSecret', header: 'x-api-key', forged: tampered('qoalaMd5BodyAndSecret') },
	{
		key: 'qoalaBearer',
		header: 'Authorization',
		// The right token, but presented as Basic credentials.
		forged: () =>
			deliver('qoalaBearer', 'qoala-claim', {
				headers: { Authorization: `Basic ${spec('qoalaBearer').partner.secret}` },
			}),
	},
	{
		key: 'qoalaBasicAuth',
		header: 'Authorization',
		// The user with another password.
		forged: () => deliver('qoalaBasicAuth', 'qoala-claim', { password: 'guessed-password' }),
	},
];

describe.each(SCHEMES)('Qoala claim trigger with $key', (scheme) => {
	const answers: Record<string, SentDelivery> = {};

	beforeAll(async () => {
		answers.unsigned = await deliver(scheme.key, 'qoala-claim', { scheme: 'none' });
		answers.wrongSecret = await deliver(scheme.key, 'qoala-claim', {
			...(scheme.key === 'qoalaBasicAuth'
				? { user: 'someone-else' }
				: { secret: 'not-the-secret-0000' }),
		});
		answers.forged = await scheme.forged();
	});

	it.each(['unsigned', 'wrongSecret', 'forged'])(
		'answers a %s delivery 401 with a JSON error',
		(name) => {
			expect(answers[name].status).toBe(401);
			expect(answers[name].json).toEqual({ error: expect.any(String) });
		},
	);

	it('started no execution for them and posted nothing to the CRM', async () => {
		await expectQuiet(scheme.key, 0, 0);
	});

	it('accepts the genuine delivery: 200, one execution, the item at the CRM', async () => {
		const genuine = await deliver(scheme.key, 'qoala-claim');
		expect(Object.keys(genuine.sent.headers).map((name) => name.toLowerCase())).toContain(
			scheme.header.toLowerCase(),
		);
		expect(genuine.status).toBe(200);
		expect(genuine.json).toMatchObject({ received: true });
		const rows = await finishedExecutions(workflowId(scheme.key), 1);
		expect(rows.map((row) => row.status)).toEqual(['success']);
		const records = await waitFor(
			() => crmRecords(scheme.key),
			(list) => list.length >= 1,
		);
		expect(records).toHaveLength(1);
		expectItemFor(recordOf(records, 'qoala-claim'), 'qoala-claim', genuine.sent.body);
	});
});
