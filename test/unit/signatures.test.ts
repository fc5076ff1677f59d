import { createHmac } from 'node:crypto';

import {
	AuthenticationError,
	MalformedCredentialError,
	MissingCredentialError,
	CredentialMismatchError,
	UnsupportedSignatureVersionError,
	outputJsonSchema,
	secretsEqual,
	type AuthScheme,
} from '../../index';
import { qoalaClaimItem } from '../../nodes/Qoala/ClaimTrigger/claim';
import { signDelivery } from '../../sender/src/signing';
import { authenticate } from '../helpers/authenticate';
import { hmacHex } from '../helpers/partners';

const body = Buffer.from('{"claim_number":"C-1","status":"CLAIM_INITIATE"}');
const hmacScheme: AuthScheme = {
	type: 'signature',
	header: 'x-api-key',
	algorithm: 'sha256',
	construction: 'hmac',
	encoding: 'hex',
	secret: 's3cret',
	signed: { from: 'rawBody' },
};

const check = (scheme: AuthScheme, headers: Record<string, string | string[]>, raw = body) =>
	authenticate(scheme, { headers, rawBody: raw });

describe('signature header checks', () => {
	const good = hmacHex('sha256', 's3cret', body);

	it('accepts the signature in upper or lower case hex', () => {
		expect(() => check(hmacScheme, { 'x-api-key': good })).not.toThrow();
		expect(() => check(hmacScheme, { 'x-api-key': good.toUpperCase() })).not.toThrow();
	});

	it.each<
		[string, Record<string, string | string[]>, new (...args: never[]) => AuthenticationError]
	>([
		['no header', {}, MissingCredentialError],
		['an empty header', { 'x-api-key': '' }, MissingCredentialError],
		['the header twice', { 'x-api-key': [good, good] }, MalformedCredentialError],
		['a truncated signature', { 'x-api-key': good.slice(0, 63) }, MalformedCredentialError],
		['a signature one byte short', { 'x-api-key': good.slice(0, 62) }, MalformedCredentialError],
		['non-hex characters', { 'x-api-key': `${good.slice(0, 63)}g` }, MalformedCredentialError],
		['a signature too long', { 'x-api-key': `${good}00` }, MalformedCredentialError],
		[
			'a signature of another body',
			{ 'x-api-key': hmacHex('sha256', 's3cret', '{}') },
			CredentialMismatchError,
		],
		[
			'a signature with another secret',
			{ 'x-api-key': hmacHex('sha256', 'other', body) },
			CredentialMismatchError,
		],
	])('refuses %s', (_name, headers, errorType) => {
		expect(() => check(hmacScheme, headers)).toThrow(errorType);
	});

	it('never reveals the expected signature in its message', () => {
		try {
			check(hmacScheme, { 'x-api-key': '0'.repeat(64) });
			throw new Error('accepted');
		} catch (error) {
			expect(error).toBeInstanceOf(CredentialMismatchError);
			expect((error as Error).message).not.toContain(good);
			expect((error as Error).message).not.toContain('s3cret');
		}
	});

	it('checks a versioned header and names an unsupported version', () => {
		const versioned: AuthScheme = { ...hmacScheme, header: 'Cermati-Signature', version: 'v1' };
		expect(() => check(versioned, { 'cermati-signature': `v1=${good}` })).not.toThrow();
		expect(() => check(versioned, { 'cermati-signature': `v2=${good}` })).toThrow(
			new UnsupportedSignatureVersionError('Cermati-Signature', 'v2', ['v1']),
		);
		expect(() => check(versioned, { 'cermati-signature': good })).toThrow(MalformedCredentialError);
		expect(() => check(versioned, { 'cermati-signature': `=${good}` })).toThrow(
			MalformedCredentialError,
		);
	});

	it('keeps a hostile version name short and printable in the message', () => {
		const versioned: AuthScheme = { ...hmacScheme, header: 'Cermati-Signature', version: 'v1' };
		try {
			check(versioned, { 'cermati-signature': `${'\u0007<script>'.repeat(20)}=${good}` });
		} catch (error) {
			expect((error as Error).message.length).toBeLessThan(120);
			// eslint-disable-next-line no-control-regex -- what the test looks for
			expect((error as Error).message).not.toMatch(/[\u0000-\u001f]/);
		}
	});

	it('accepts base64 with or without padding and refuses other lengths', () => {
		const base64: AuthScheme = { ...hmacScheme, encoding: 'base64' };
		const signature = createHmac('sha256', 's3cret').update(body).digest('base64');
		expect(() => check(base64, { 'x-api-key': signature })).not.toThrow();
		expect(() => check(base64, { 'x-api-key': signature.replace(/=+$/, '') })).not.toThrow();
		expect(() => check(base64, { 'x-api-key': signature.slice(0, 20) })).toThrow(
			MalformedCredentialError,
		);
	});
});

describe('shared secrets', () => {
	it('compares secrets of any length without throwing', () => {
		expect(secretsEqual('abc', 'abc')).toBe(true);
		expect(secretsEqual('abc', 'abcd')).toBe(false);
		expect(secretsEqual('', 'abc')).toBe(false);
		expect(secretsEqual('ü', 'u')).toBe(false);
	});

	it('reads Bearer case-insensitively but the token exactly', () => {
		const bearer: AuthScheme = { type: 'authorization', scheme: 'Bearer', credentials: 'Tok' };
		expect(() => check(bearer, { authorization: 'bearer Tok' })).not.toThrow();
		expect(() => check(bearer, { authorization: 'Bearer tok' })).toThrow(CredentialMismatchError);
		expect(() => check(bearer, { authorization: 'Basic Tok' })).toThrow(MalformedCredentialError);
		expect(() => check(bearer, { authorization: 'Bearer' })).toThrow(MalformedCredentialError);
	});
});

describe('constant-time comparison, by construction', () => {
	const schemes: Array<[string, AuthScheme]> = [
		['api key', { type: 'sharedSecret', header: 'x-api-key', secret: 'key-1' }],
		['bearer', { type: 'authorization', scheme: 'Bearer', credentials: 'token-1' }],
		['basic', { type: 'authorization', scheme: 'Basic', credentials: 'dXNlcjpwYXNz' }],
		['hmac-sha256', hmacScheme],
		['md5', { ...hmacScheme, algorithm: 'md5', construction: 'contentAndSecret' }],
		[
			'cermati',
			{
				...hmacScheme,
				version: 'v1',
				header: 'Cermati-Signature',
				signed: { from: 'fields', fields: ['claim_number', 'status'] },
			},
		],
	];

	it.each(schemes)(
		'%s compares with timingSafeEqual on equal-length buffers, accepted or not',
		(_name, scheme) => {
			// The module object itself (not an import binding), so the package's calls are seen.
			const spy = jest.spyOn(
				require('node:crypto') as typeof import('node:crypto'),
				'timingSafeEqual',
			);
			try {
				const payload = JSON.parse(body.toString('utf8'));
				const headersFor = (signer: AuthScheme) =>
					Object.fromEntries(
						Object.entries(signDelivery(signer, body, payload)).map(([key, value]) => [
							key.toLowerCase(),
							value,
						]),
					);
				const impostor = {
					...scheme,
					secret: 'not-the-secret',
					credentials: 'bm90OnRoZW0=',
				} as unknown as AuthScheme;
				authenticate(scheme, { headers: headersFor(scheme), rawBody: body }, payload);
				expect(() =>
					authenticate(scheme, { headers: headersFor(impostor), rawBody: body }, payload),
				).toThrow(CredentialMismatchError);
				const calls = spy.mock.calls;
				expect(calls.length).toBe(2);
				for (const [a, b] of calls) {
					expect(Buffer.isBuffer(a) && Buffer.isBuffer(b)).toBe(true);
					expect((a as Buffer).length).toBe((b as Buffer).length);
				}
			} finally {
				spy.mockRestore();
			}
		},
	);
});

describe('published output schema', () => {
	it('lists every item field with a type the editor can show', () => {
		const schema = outputJsonSchema(qoalaClaimItem) as {
			properties: Record<string, { type?: string }>;
		};
		expect(schema.properties.policyNumber.type).toBe('string');
		expect(schema.properties.isFinal.type).toBe('boolean');
		expect(schema.properties.body.type).toBe('object');
		expect(Object.keys(schema.properties)).toContain('claimNumber');
		expect(JSON.stringify(schema)).not.toContain('anyOf');
	});
});
