import { createHash, createHmac } from 'node:crypto';

import fc from 'fast-check';

import {
	AuthenticationError,
	DeliveryRejectedError,
	deliveryContracts,
	parseJsonBody,
	processDelivery,
	registry,
	type AuthScheme,
	type DeliveryContract,
} from '../../index';
import { cermatiApplication } from '../../nodes/Cermati/ApplicationTrigger/application';
import { authenticate } from '../helpers/authenticate';
import type { TriggerName } from '../helpers/triggers';

/**
 * Properties over arbitrary input: the checks never throw anything but a rejection, never
 * accept what was not made with the secret over those bytes, and every accepted payload
 * comes out in `body` unchanged.
 */

const runs = { numRuns: 300 };
const secret = fc.string({ minLength: 1, maxLength: 40 });
const bytes = fc.uint8Array({ maxLength: 512 }).map((array) => Buffer.from(array));
const headerValue = fc.oneof(
	fc.string({ maxLength: 100 }),
	fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), maxLength: 80 }),
);

const rawBodySchemes = (key: string): AuthScheme[] => [
	{
		type: 'signature',
		header: 'x-sig',
		algorithm: 'sha256',
		construction: 'hmac',
		encoding: 'hex',
		secret: key,
		signed: { from: 'rawBody' },
	},
	{
		type: 'signature',
		header: 'x-sig',
		algorithm: 'sha256',
		construction: 'hmac',
		encoding: 'base64',
		secret: key,
		signed: { from: 'rawBody' },
	},
	{
		type: 'signature',
		header: 'x-sig',
		algorithm: 'md5',
		construction: 'hmac',
		encoding: 'hex',
		secret: key,
		signed: { from: 'rawBody' },
	},
	{
		type: 'signature',
		header: 'x-sig',
		algorithm: 'md5',
		construction: 'contentAndSecret',
		encoding: 'hex',
		secret: key,
		signed: { from: 'rawBody' },
	},
];

/** Only ever throws rejections; returns whether the delivery was accepted. */
function accepted(
	scheme: AuthScheme,
	headers: Record<string, string>,
	rawBody: Buffer,
	payload?: unknown,
): boolean {
	try {
		authenticate(scheme, { headers, rawBody }, payload);
		return true;
	} catch (error) {
		if (!(error instanceof AuthenticationError)) throw error;
		return false;
	}
}

describe('signature checks', () => {
	it('never throw on arbitrary headers and bodies, and accept nothing arbitrary', () => {
		fc.assert(
			fc.property(secret, bytes, headerValue, (key, body, value) => {
				for (const scheme of rawBodySchemes(key)) {
					expect(accepted(scheme, { 'x-sig': value }, body)).toBe(false);
				}
			}),
			runs,
		);
	});

	it('accept exactly the signature made with the secret over those bytes', () => {
		fc.assert(
			fc.property(secret, secret, bytes, bytes, (key, otherKey, body, otherBody) => {
				const [hex, base64, md5, md5Salted] = rawBodySchemes(key);
				const sign = (k: string, b: Buffer) => createHmac('sha256', k).update(b).digest('hex');
				expect(accepted(hex, { 'x-sig': sign(key, body) }, body)).toBe(true);
				expect(
					accepted(
						base64,
						{ 'x-sig': createHmac('sha256', key).update(body).digest('base64') },
						body,
					),
				).toBe(true);
				expect(
					accepted(md5, { 'x-sig': createHmac('md5', key).update(body).digest('hex') }, body),
				).toBe(true);
				expect(
					accepted(
						md5Salted,
						{ 'x-sig': createHash('md5').update(body).update(key).digest('hex') },
						body,
					),
				).toBe(true);
				if (otherKey !== key)
					expect(accepted(hex, { 'x-sig': sign(otherKey, body) }, body)).toBe(false);
				if (!otherBody.equals(body))
					expect(accepted(hex, { 'x-sig': sign(key, otherBody) }, body)).toBe(false);
			}),
			runs,
		);
	});

	it('accept a Cermati signature only over its own trxId + updatedAt', () => {
		const scheme = cermatiApplication.authentication.signature.scheme({ secretKey: 'k' });
		fc.assert(
			fc.property(
				fc.string(),
				fc.string(),
				fc.string(),
				fc.string(),
				(trxId, updatedAt, otherTrx, otherTime) => {
					const payload = { trxId, updatedAt };
					const signature = `v1=${createHmac('sha256', 'k')
						.update(trxId + updatedAt)
						.digest('hex')}`;
					expect(
						accepted(scheme, { 'cermati-signature': signature }, Buffer.alloc(0), payload),
					).toBe(true);
					const other = { trxId: otherTrx, updatedAt: otherTime };
					if (otherTrx + otherTime !== trxId + updatedAt) {
						expect(
							accepted(scheme, { 'cermati-signature': signature }, Buffer.alloc(0), other),
						).toBe(false);
					}
				},
			),
			runs,
		);
	});

	it('compare static secrets exactly', () => {
		fc.assert(
			fc.property(secret, fc.string({ maxLength: 40 }), (key, presented) => {
				const scheme: AuthScheme = { type: 'sharedSecret', header: 'x-api-key', secret: key };
				expect(accepted(scheme, { 'x-api-key': presented }, Buffer.alloc(0))).toBe(
					presented === key && key !== '',
				);
			}),
			runs,
		);
	});
});

/** Each trigger's contract (index.ts's `deliveryContracts`), named as its node is. */
const contracts: Array<[string, DeliveryContract<unknown, unknown>]> = registry.triggers.map(
	(trigger) => [trigger.displayName, deliveryContracts[trigger.nodeName as TriggerName]],
);
const settings = () => ({ selected: [], ignoreRepeatedDeliveries: false, receivedAt: new Date() });

/** Bodies shaped like notifications, with arbitrary values where the partner fills them in. */
const jsonValue = fc.jsonValue({ maxDepth: 3 });
const notificationLike = fc.oneof(
	fc.record(
		{ claim_number: fc.string(), policy_number: fc.option(fc.string()), status: fc.string() },
		{ requiredKeys: [] },
	),
	fc.record(
		{ policy_number: fc.string(), status: fc.string(), documents: fc.array(jsonValue) },
		{ requiredKeys: [] },
	),
	fc.record(
		{
			refNo: fc.string(),
			trxId: fc.string(),
			claimId: fc.string(),
			productId: fc.string(),
			claimType: fc.string(),
			status: fc.string(),
			link: fc.string(),
			// Cermati's updatedAt must be ISO 8601 with a zone and a four-digit year: mostly such
			// times, so enough arbitrary Cermati payloads are valid for the property to mean something.
			updatedAt: fc.oneof(
				{ arbitrary: fc.string(), weight: 1 },
				{
					arbitrary: fc
						.date({
							min: new Date('1000-01-01'),
							max: new Date('9999-12-31'),
							noInvalidDate: true,
						})
						.map((d) => d.toISOString()),
					weight: 4,
				},
			),
			approvedClaimAmount: fc.oneof(fc.double(), fc.string(), fc.constant(null)),
		},
		{ requiredKeys: [] },
	),
	fc.record(
		{
			event: fc.oneof(
				fc.string(),
				fc.constantFrom(
					'claim.vetted',
					'policy.created',
					'instalment.due',
					'order.cancelled',
					'discharge_voucher.paid',
				),
			),
			data: fc.dictionary(
				fc.constantFrom(
					'id',
					'order',
					'status',
					'approval_status',
					'amount',
					'policy',
					'customer',
					'vetted_at',
				),
				jsonValue,
			),
		},
		{ requiredKeys: [] },
	),
	jsonValue,
);

describe.each(contracts)('%s pipeline', (_name, contract) => {
	const none: AuthScheme = { type: 'none' };

	it('never throws anything but a rejection on arbitrary bytes', () => {
		fc.assert(
			fc.property(bytes, (body) => {
				try {
					processDelivery(contract, none, { headers: {}, rawBody: body }, settings());
				} catch (error) {
					expect(error).toBeInstanceOf(DeliveryRejectedError);
					expect((error as DeliveryRejectedError).httpStatus).toBe(400);
				}
			}),
			runs,
		);
	});

	it('puts every accepted payload into body unchanged', () => {
		let acceptedCount = 0;
		fc.assert(
			fc.property(notificationLike, (value) => {
				const raw = Buffer.from(JSON.stringify(value));
				let decision;
				try {
					decision = processDelivery(contract, none, { headers: {}, rawBody: raw }, settings());
				} catch (error) {
					expect(error).toBeInstanceOf(DeliveryRejectedError);
					return;
				}
				acceptedCount += 1;
				expect(decision.action).toBe('emit');
				if (decision.action === 'emit') {
					expect(decision.item.body).toEqual(parseJsonBody(raw));
					expect(typeof decision.item.deliveryKey).toBe('string');
					expect(decision.item.outcome).toEqual(expect.any(String));
				}
			}),
			{ numRuns: 2000 },
		);
		// The property means nothing unless arbitrary payloads were actually accepted.
		expect(acceptedCount).toBeGreaterThan(20);
	});
});

describe('the form of a genuine credential', () => {
	const hex: AuthScheme = rawBodySchemes('k')[0];
	const mixCase = (text: string, upper: boolean[]) =>
		[...text]
			.map((char, index) => (upper[index % upper.length] ? char.toUpperCase() : char))
			.join('');

	it('hex digits in any case are the same signature; a shorter or longer one never is', () => {
		fc.assert(
			fc.property(
				secret,
				bytes,
				fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }),
				fc.integer({ min: 1, max: 63 }),
				fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 1, maxLength: 8 }),
				(key, body, upper, cut, extra) => {
					const scheme = { ...hex, secret: key } as AuthScheme;
					const genuine = createHmac('sha256', key).update(body).digest('hex');
					expect(accepted(scheme, { 'x-sig': mixCase(genuine, upper) }, body)).toBe(true);
					expect(accepted(scheme, { 'x-sig': genuine.slice(0, cut) }, body)).toBe(false);
					expect(accepted(scheme, { 'x-sig': genuine + extra }, body)).toBe(false);
				},
			),
			runs,
		);
	});

	it('the Authorization scheme word in any case is accepted (RFC 7235); the token only exactly', () => {
		fc.assert(
			fc.property(
				fc.string({
					unit: fc.constantFrom(
						...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/',
					),
					minLength: 1,
					maxLength: 40,
				}),
				fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
				(token, upper) => {
					const scheme: AuthScheme = {
						type: 'authorization',
						scheme: 'Bearer',
						credentials: token,
					};
					expect(
						accepted(
							scheme,
							{ authorization: `${mixCase('Bearer', upper)} ${token}` },
							Buffer.alloc(0),
						),
					).toBe(true);
					const other = token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase();
					expect(accepted(scheme, { authorization: `Bearer ${other}` }, Buffer.alloc(0))).toBe(
						other === token,
					);
				},
			),
			runs,
		);
	});
});
