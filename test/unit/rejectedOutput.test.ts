/**
 * Options → Output Rejected Deliveries: a refused delivery is answered exactly as without the
 * option, and starts the workflow on the Rejected output with an item that says why, without
 * a secret, a signature or the body; a flood starts one execution per check and interval.
 */
import { createHash } from 'node:crypto';

import {
	InvalidJsonError,
	InvalidPayloadError,
	MalformedCredentialError,
	MisconfiguredTriggerError,
	MissingCredentialError,
	REJECTION_CHECKS,
	RejectionAlerts,
	ReplayedSignatureError,
	CredentialMismatchError,
	SourceNotAllowedError,
	StaleDeliveryError,
	UnreadableBodyError,
	UnsupportedSignatureVersionError,
	describeRejection,
} from '../../index';
import { CuracelTrigger } from '../../nodes/Curacel/CuracelTrigger/CuracelTrigger.node';
import { hmacHex } from '../helpers/partners';
import { sample } from '../helpers/samples';
import { deliver, freshN8n, type DeliveryOptions, type FakeN8n } from '../helpers/webhookContext';

const SECRET = 'curacel-webhook-secret-for-tests';
const body = sample('curacel-claim.vetted');
const genuineSignature = hmacHex('sha256', SECRET, body);
const forgedSignature = hmacHex('sha256', 'a-guessed-secret', body);

function send(
	options: Partial<DeliveryOptions> & { signature?: string | null; rejectedOutput?: boolean },
) {
	const { signature = forgedSignature, rejectedOutput = true, ...rest } = options;
	return deliver(new CuracelTrigger(), {
		body,
		credentials: { curacelSignatureApi: { webhookSecret: SECRET } },
		headers: signature === null ? {} : { 'x-curacel-signature': signature },
		...rest,
		parameters: {
			authentication: 'signature',
			...rest.parameters,
			options: { rejectedOutput, ...(rest.parameters?.options as object) },
		},
	});
}

const MINUTE = 60_000;
const START = Date.parse('2026-12-01T09:00:00Z');

describe('a refused delivery with Output Rejected Deliveries on', () => {
	it('answers the partner exactly as with the option off', async () => {
		const on = await send({});
		const off = await send({ rejectedOutput: false });
		expect(on.status).toBe(401);
		expect(on.body).toEqual(off.body);
		expect(on.headers).toEqual(off.headers);
	});

	it('starts the workflow on the Rejected output only, with what was refused and why', async () => {
		const answer = await send({ remoteAddress: '198.51.100.7' });
		expect(answer.executionStarted).toBe(true);
		expect(answer.items).toEqual([]);
		expect(answer.rejected).toHaveLength(1);
		const [item] = answer.rejected;
		expect(item).toEqual({
			rejectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
			httpStatus: 401,
			reason: (answer.body as { error: string }).error,
			check: 'signature_mismatch',
			remoteAddress: '198.51.100.7',
			headerNames: ['content-type', 'x-curacel-signature'],
			bodyBytes: body.length,
			bodySha256: createHash('sha256').update(body).digest('hex'),
			suppressed: 0,
		});
	});

	it('never carries the secret, a signature or the body', async () => {
		const [item] = (await send({})).rejected;
		const text = JSON.stringify(item);
		for (const secret of [SECRET, forgedSignature, genuineSignature, body.toString('utf8')]) {
			expect(text).not.toContain(secret);
		}
		expect(text).not.toContain('claim.vetted');
	});

	it('starts nothing with the option off', async () => {
		const answer = await send({ rejectedOutput: false });
		expect(answer.executionStarted).toBe(false);
	});

	it.each<[string, Partial<DeliveryOptions> & { signature?: string | null }, string, number]>([
		['no signature header', { signature: null }, 'missing_header', 401],
		['a signature that is not hex', { signature: 'not-a-signature' }, 'malformed_header', 401],
		[
			'an empty secret',
			{ credentials: { curacelSignatureApi: { webhookSecret: '' } } },
			'misconfigured',
			500,
		],
		[
			'an address the allowlist does not list',
			{ remoteAddress: '203.0.113.9', parameters: { options: { allowedIps: '198.51.100.0/24' } } },
			'ip_not_allowed',
			403,
		],
		[
			'a body that is not JSON',
			{ body: Buffer.from('{"event":'), signature: hmacHex('sha256', SECRET, '{"event":') },
			'invalid_json',
			400,
		],
	])('names the check for %s', async (_what, options, check, httpStatus) => {
		const answer = await send(options);
		expect(answer.status).toBe(httpStatus);
		expect(answer.rejected).toEqual([
			expect.objectContaining({
				check,
				httpStatus,
				// The partner's words, and for a misconfiguration what to fix after them.
				reason: expect.stringContaining((answer.body as { error: string }).error),
			}),
		]);
	});

	it('leaves the Rejected output empty for an accepted delivery', async () => {
		const answer = await send({ signature: genuineSignature });
		expect(answer.items).toHaveLength(1);
		expect(answer.rejected).toEqual([]);
		expect(answer.raw.workflowData).toHaveLength(2);
	});

	it('on the test URL, shows every refusal (no rate limit while someone listens)', async () => {
		const n8n = freshN8n();
		const first = await send({ n8n, mode: 'manual' });
		const second = await send({ n8n, mode: 'manual' });
		expect([first.rejected.length, second.rejected.length]).toEqual([1, 1]);
	});
});

describe('a flood of refused deliveries', () => {
	beforeEach(() => {
		// Only the clock: the trigger's own timers and promises run as usual.
		jest.useFakeTimers({
			now: START,
			doNotFake: [
				'nextTick',
				'queueMicrotask',
				'setImmediate',
				'clearImmediate',
				'setTimeout',
				'clearTimeout',
				'setInterval',
				'clearInterval',
				'hrtime',
				'performance',
			],
		});
	});
	afterEach(() => jest.useRealTimers());

	async function flood(n8n: FakeN8n, count: number, options: Partial<DeliveryOptions> = {}) {
		let executions = 0;
		let suppressed = 0;
		for (let i = 0; i < count; i += 1) {
			const answer = await send({ n8n, ...options });
			expect(answer.status).toBe(401);
			if (answer.executionStarted) executions += 1;
			for (const item of answer.rejected) suppressed += item.suppressed as number;
		}
		return { executions, suppressed };
	}

	it('1,000 forged deliveries within a minute start 1 execution', async () => {
		expect(await flood(freshN8n(), 1000)).toEqual({ executions: 1, suppressed: 0 });
	});

	it('after the interval, the next refusal alerts again and counts the suppressed ones', async () => {
		const n8n = freshN8n();
		await flood(n8n, 300);
		jest.setSystemTime(START + MINUTE);
		const [next] = (await send({ n8n })).rejected;
		expect(next).toEqual(expect.objectContaining({ check: 'signature_mismatch', suppressed: 299 }));
	});

	it('keeps a separate interval per check and per trigger', async () => {
		const n8n = freshN8n();
		await flood(n8n, 5);
		const missing = await send({ n8n, signature: null });
		const otherTrigger = await send({ n8n: freshN8n() });
		expect(missing.rejected).toEqual([expect.objectContaining({ check: 'missing_header' })]);
		expect(otherTrigger.rejected).toHaveLength(1);
	});

	it('honours Minutes Between Rejection Alerts', async () => {
		const n8n = freshN8n();
		const parameters = { options: { rejectedOutput: true, rejectedAlertInterval: 5 } };
		await send({ n8n, parameters });
		jest.setSystemTime(START + 4 * MINUTE);
		expect((await send({ n8n, parameters })).executionStarted).toBe(false);
		jest.setSystemTime(START + 5 * MINUTE);
		expect((await send({ n8n, parameters })).rejected).toEqual([
			expect.objectContaining({ suppressed: 1 }),
		]);
	});
});

describe('RejectionAlerts', () => {
	it('forgets the least recently alerted keys beyond its bound', () => {
		const alerts = new RejectionAlerts(3);
		for (const key of ['a', 'b', 'c', 'd', 'e']) alerts.admit(key, 0, MINUTE);
		expect(alerts.size).toBe(3);
		// 'a' was forgotten, so it alerts again at once; 'e' is remembered and does not.
		expect(alerts.admit('a', 1, MINUTE)).toEqual({ suppressed: 0 });
		expect(alerts.admit('e', 1, MINUTE)).toBeUndefined();
	});
});

describe('describeRejection', () => {
	it('gives a null size and hash when the body could not be read', () => {
		const item = describeRejection(
			{ check: 'unreadable_body', httpStatus: 413, reason: 'Body is larger' },
			{ headerNames: ['b', 'a'], rawBody: undefined, remoteAddress: undefined },
			new Date(START),
			0,
		);
		expect(item).toEqual(
			expect.objectContaining({
				headerNames: ['a', 'b'],
				bodyBytes: null,
				bodySha256: null,
				remoteAddress: null,
			}),
		);
	});
});

describe('the check codes', () => {
	it('are one per way a delivery can be wrong, and all published', () => {
		const errors = [
			new MissingCredentialError('x'),
			new MalformedCredentialError('x', 'hex'),
			new CredentialMismatchError('x'),
			new UnsupportedSignatureVersionError('x', 'v9', ['v1']),
			new StaleDeliveryError('updatedAt', 'is old'),
			new ReplayedSignatureError('Cermati-Signature', ['trxId', 'updatedAt']),
			new SourceNotAllowedError('203.0.113.9'),
			new UnreadableBodyError(new Error('aborted')),
			new InvalidJsonError('the body is empty'),
			new InvalidPayloadError('Body is not valid', []),
			new MisconfiguredTriggerError('empty secret'),
		];
		const checks = errors.map((error) => error.check);
		expect(new Set(checks).size).toBe(errors.length);
		expect([...checks, 'unexpected_error'].sort()).toEqual([...REJECTION_CHECKS].sort());
	});
});
