/**
 * Holes a review against n8n's verifier and the Standard Webhooks libraries found: a Cermati
 * signature that could be kept valid by moving characters between the two signed fields, and
 * stored credential settings the trigger silently replaced instead of refusing.
 */
import { CermatiApplicationTrigger } from '../../nodes/Cermati/ApplicationTrigger/CermatiApplicationTrigger.node';
import { CermatiClaimTrigger } from '../../nodes/Cermati/ClaimTrigger/CermatiClaimTrigger.node';
import { QoalaClaimTrigger } from '../../nodes/Qoala/ClaimTrigger/QoalaClaimTrigger.node';
import { cermatiSignature, hmacHex } from '../helpers/partners';
import { sample } from '../helpers/samples';
import { deliver } from '../helpers/webhookContext';

const SECRET = 'cermati-secret';
const signedCermati = {
	parameters: { authentication: 'signature' },
	credentials: { cermatiSignatureApi: { secretKey: SECRET } },
};

describe('Cermati: the signature covers trxId + updatedAt concatenated', () => {
	const genuine = sample('cermati-application');
	const header = { 'cermati-signature': cermatiSignature(SECRET, genuine, 'trxId') };

	it('refuses the boundary-shift forgery: a character moved from updatedAt into trxId', async () => {
		const forged = Buffer.from(
			genuine
				.toString('utf8')
				.replace('"trxId":"UniqueTrxId00001"', '"trxId":"UniqueTrxId000012"')
				.replace(
					'"updatedAt":"2024-05-01T10:15:30+07:00"',
					'"updatedAt":"024-05-01T10:15:30+07:00"',
				),
		);
		// The same header still matches the concatenation: only the fields' shape can refuse it.
		expect(cermatiSignature(SECRET, forged, 'trxId')).toBe(header['cermati-signature']);
		const answer = await deliver(new CermatiApplicationTrigger(), {
			...signedCermati,
			headers: header,
			body: forged,
		});
		expect(answer.status).toBe(400);
		expect(answer.items).toHaveLength(0);
		expect(JSON.stringify(answer.body)).toContain('updatedAt');
	});

	it.each([
		['without a time zone', '2024-05-01T10:15:30'],
		['a date only', '2024-05-01'],
		['a three-digit year', '024-05-01T10:15:30+07:00'],
		['an offset without a colon', '2024-05-01T10:15:30+0700'],
		['free text', 'yesterday'],
	])('answers 400 naming updatedAt for %s, on both Cermati triggers', async (_case, updatedAt) => {
		for (const [node, name, first] of [
			[new CermatiApplicationTrigger(), 'cermati-application', 'trxId'],
			[new CermatiClaimTrigger(), 'cermati-claim', 'claimId'],
		] as const) {
			const json = JSON.parse(sample(name).toString('utf8')) as Record<string, unknown>;
			const body = Buffer.from(JSON.stringify({ ...json, updatedAt }));
			const answer = await deliver(node, {
				...signedCermati,
				headers: { 'cermati-signature': cermatiSignature(SECRET, body, first) },
				body,
			});
			expect({ name, status: answer.status }).toEqual({ name, status: 400 });
			expect(answer.body).toMatchObject({
				issues: [expect.objectContaining({ path: 'updatedAt' })],
			});
		}
	});

	it.each(['2024-05-01T10:15:30Z', '2024-05-01T10:15:30.123+07:00', '2024-05-01T03:15-05:30'])(
		'accepts %s',
		async (updatedAt) => {
			const json = JSON.parse(genuine.toString('utf8')) as Record<string, unknown>;
			const body = Buffer.from(JSON.stringify({ ...json, updatedAt }));
			const answer = await deliver(new CermatiApplicationTrigger(), {
				...signedCermati,
				headers: { 'cermati-signature': cermatiSignature(SECRET, body, 'trxId') },
				body,
			});
			expect(answer.items).toHaveLength(1);
		},
	);
});

describe('a stored credential setting the trigger does not know', () => {
	const body = sample('qoala-claim');
	const cases: Array<[string, string, Record<string, string>, Record<string, string>]> = [
		[
			'an unknown HMAC encoding',
			'hmacSha256',
			{ secret: 's', headerName: 'x-api-key', encoding: 'base32' },
			{ 'x-api-key': hmacHex('sha256', 's', body) },
		],
		[
			'an unknown MD5 variant',
			'md5',
			{ secret: 's', headerName: 'x-api-key', variant: 'secretThenBody' },
			{ 'x-api-key': hmacHex('md5', 's', body) },
		],
		[
			'a header name that is not a valid HTTP header',
			'hmacSha256',
			{ secret: 's', headerName: 'x api key', encoding: 'hex' },
			{ 'x-api-key': hmacHex('sha256', 's', body) },
		],
	];
	const credentialType: Record<string, string> = {
		hmacSha256: 'qoalaHmacSha256Api',
		md5: 'qoalaMd5Api',
	};

	it.each(cases)(
		'%s is answered 500 "not configured correctly" and starts nothing, never silently replaced',
		async (_case, authentication, credential, headers) => {
			const answer = await deliver(new QoalaClaimTrigger(), {
				parameters: { authentication, options: { rejectedOutput: true } },
				credentials: { [credentialType[authentication]]: credential },
				headers,
				body,
			});
			expect(answer.status).toBe(500);
			expect(answer.items).toHaveLength(0);
			// The caller learns only that; what to fix is the owner's (the Rejected output, n8n's log).
			expect(answer.body).toEqual({ error: 'This trigger is not configured correctly' });
			expect(answer.rejected).toEqual([
				expect.objectContaining({
					check: 'misconfigured',
					reason: expect.stringMatching(
						/^This trigger is not configured correctly: the credential's/,
					),
				}),
			]);
		},
	);
});
