/**
 * The bad-input table: the triggers under test, what a genuine partner would send them, and
 * the rows — each a bad delivery, who must answer it, with which status, and how many
 * executions it may start.
 */
import { readSample, signedHeaders } from '../../../sender/src/deliveries';
import { sampleJson, sampleWith } from '../deliver';
import { registry } from '../../../nodes/partners';
import { TEST_TRIGGERS, type TriggerKey } from '../../helpers/triggers';
import { hmacHex } from '../../helpers/partners';
import { credentialHeaderOf, variantsOfTrigger } from '../../helpers/variants';
import { badInputKey, SECRETS, spec, type WorkflowKey } from '../scenario';
import type { Headers, Request } from './client';

// The triggers under test and what a genuine partner would send them.

export interface Trigger {
	label: string;
	key: WorkflowKey;
	providerEvent: string;
	/** The header that carries the key or signature. */
	header: string;
	/** A distinct genuine notification (a new id), for the rows that must be accepted. */
	fresh(n: string): Buffer;
	/** The sample without a field the partner always sends. */
	withoutRequired: Record<string, unknown>;
	/** The sample with a required field of the wrong type. */
	wrongType: Record<string, unknown>;
	/** A string of the sample (its path and value) that can carry extra bytes without changing the key. */
	freeText: { path: string[]; value: string };
	/** Cermati signs body fields: a body without them cannot be signed, it gets a made-up value. */
	signsFields?: boolean;
}

const omit = (json: Record<string, unknown>, field: string) => {
	const copy = { ...json };
	delete copy[field];
	return copy;
};
const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

/**
 * Every trigger of the registry with what the bad-input rows need of it, worked out from its
 * contract, samples and default authentication (test/helpers/variants.ts). Its workflow is
 * `bad<Key>` (scenario.ts), its sample the one its demo sends.
 */
const MAIN_TRIGGERS: Trigger[] = TEST_TRIGGERS.map((trigger) => {
	const definition = registry.triggers.find((entry) => entry.nodeName === trigger.nodeName);
	if (!definition) throw new Error(`${trigger.nodeName} is not in the registry`);
	const variants = variantsOfTrigger(trigger);
	const key = badInputKey(trigger.key);
	const genuine = signedHeaders(
		{ ...spec(key).partner, providerEvent: trigger.mainEvent },
		readSample(trigger.mainEvent),
	);
	return {
		label: `${definition.displayName.replace(/ Trigger$/, '')} (${definition.methods[trigger.defaultScheme].name})`,
		key,
		providerEvent: trigger.mainEvent,
		header: credentialHeaderOf(genuine),
		fresh: (n) => variants.distinct(`BAD-${n}`),
		withoutRequired: variants.withoutRequired.body,
		wrongType: variants.wrongType.body,
		freeText: variants.freeText,
		signsFields: definition.signedFields !== undefined,
	};
});
const mainTrigger = (key: TriggerKey) =>
	MAIN_TRIGGERS.find((trigger) => trigger.key === badInputKey(key)) as Trigger;
const QOALA_CLAIM = mainTrigger('qoalaClaim');
const CERMATI_APPLICATION = mainTrigger('cermatiApplication');
const CERMATI_CLAIM = mainTrigger('cermatiClaim');
const CURACEL = mainTrigger('curacel');

const QOALA_HMAC: Trigger = {
	...QOALA_CLAIM,
	label: 'Qoala claim (HMAC-SHA256)',
	key: 'badQoalaHmac',
	fresh: (n) => sampleWith('qoala-claim', 'CLM-2024-000123', `CLM-HMAC-${n}`),
};
const QOALA_BEARER: Trigger = {
	...QOALA_CLAIM,
	label: 'Qoala claim (Bearer)',
	key: 'badQoalaBearer',
	header: 'Authorization',
	fresh: (n) => sampleWith('qoala-claim', 'CLM-2024-000123', `CLM-BEARER-${n}`),
};

export const ALL_TRIGGERS = [...MAIN_TRIGGERS, QOALA_HMAC, QOALA_BEARER];

// Triggers with one of the security options set; their rows are in OPTION_ROWS.
const ALLOWLISTED: Trigger = {
	...QOALA_CLAIM,
	label: 'Qoala claim (IP allowlist 127.0.0.2)',
	key: 'badAllowlisted',
	fresh: (n) => sampleWith('qoala-claim', 'CLM-2024-000123', `CLM-ALLOW-${n}`),
};
const MAX_AGE: Trigger = {
	...CERMATI_APPLICATION,
	label: 'Cermati application (Maximum Age 60 min)',
	key: 'badCermatiMaxAge',
};
const ROTATING: Trigger = {
	...CERMATI_CLAIM,
	label: 'Cermati claim (secret being changed)',
	key: 'badCermatiRotation',
};
const MISCONFIGURED: Trigger = {
	...QOALA_HMAC,
	label: 'Qoala claim (HMAC, unknown encoding)',
	key: 'badQoalaMisconfigured',
};
const BLANK_SECRET: Trigger = {
	...CURACEL,
	label: 'Curacel (a secret of spaces)',
	key: 'badCuracelBlankSecret',
};
const ALERTING: Trigger = {
	...CURACEL,
	label: 'Curacel (Output Rejected Deliveries)',
	key: 'badCuracelAlerting',
	fresh: (n) => sampleWith('curacel-claim.vetted', '"id":"5022"', `"id":"ALERT-${n}"`),
};
export const OPTION_TRIGGERS = [
	ALLOWLISTED,
	MAX_AGE,
	ROTATING,
	MISCONFIGURED,
	BLANK_SECRET,
	ALERTING,
];

const ZERO_SIGNATURE = '0'.repeat(64);

/** The headers the genuine partner sends with `body` (with `secret` instead, if given). */
export function signed(trigger: Trigger, body: Buffer, secret?: string): Headers {
	const partner = { ...spec(trigger.key).partner, ...(secret ? { secret } : {}) };
	try {
		return signedHeaders({ ...partner, providerEvent: trigger.providerEvent }, body);
	} catch {
		// Cermati cannot sign a body without trxId/claimId and updatedAt: a well-formed made-up value.
		return { 'Content-Type': 'application/json', [trigger.header]: `v1=${ZERO_SIGNATURE}` };
	}
}

/** The credential header's value the genuine partner sends with `body`. */
function credentialOf(trigger: Trigger, body: Buffer): string {
	const headers = signed(trigger, body);
	const name = Object.keys(headers).find(
		(candidate) => candidate.toLowerCase() === trigger.header.toLowerCase(),
	);
	return headers[name as string] as string;
}

function withHeader(headers: Headers, name: string, value: string | string[] | undefined) {
	const copy: Headers = {};
	for (const [key, existing] of Object.entries(headers))
		if (key.toLowerCase() !== name.toLowerCase()) copy[key] = existing;
	if (value !== undefined) copy[name] = value;
	return copy;
}

/** `body` sent with the genuine headers, one header changed (removed when `value` is undefined). */
function genuineExcept(
	trigger: Trigger,
	body: Buffer,
	name: string,
	value: string | string[] | undefined,
): Request {
	return { headers: withHeader(signed(trigger, body), name, value), body };
}

export const sample = (trigger: Trigger) => readSample(trigger.providerEvent);

/** The sample's bytes with a 15 MiB string field added, the field `omitField` left out. */
function huge(trigger: Trigger, omitField?: string): Buffer {
	const base = sampleJson(trigger.providerEvent);
	const body = omitField ? omit(base, omitField) : base;
	return json({ ...body, attachment: 'A'.repeat(15 * 1024 * 1024) });
}

/** The sample's bytes with a string field that takes them over n8n's limit (16 MiB + 1 KiB). */
function overTheLimit(trigger: Trigger): Buffer {
	return json({
		...sampleJson(trigger.providerEvent),
		attachment: 'A'.repeat(16 * 1024 * 1024 + 1024),
	});
}

/** The sample with an extra field nested `depth` objects deep, the field `omitField` left out. */
function deeplyNested(trigger: Trigger, depth: number, omitField?: string): Buffer {
	const base = sampleJson(trigger.providerEvent);
	const body = JSON.stringify(omitField ? omit(base, omitField) : base);
	const nested = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
	return Buffer.from(`${body.slice(0, -1)},"nested":${nested}}`, 'utf8');
}

/** A well-formed multipart/form-data body (boundary `x`) with `json` as its one field. */
function multipart(json: Buffer): Buffer {
	return Buffer.concat([
		Buffer.from('--x\r\nContent-Disposition: form-data; name="payload"\r\n\r\n'),
		json,
		Buffer.from('\r\n--x--\r\n'),
	]);
}

/** The sample with a byte that is not UTF-8 (0xff) inside one of its string values. */
function invalidUtf8(trigger: Trigger): Buffer {
	const text = sample(trigger).toString('utf8');
	const at = text.indexOf(JSON.stringify(trigger.freeText.value)) + 2;
	return Buffer.concat([
		Buffer.from(text.slice(0, at), 'utf8'),
		Buffer.from([0xff, 0xfe]),
		Buffer.from(text.slice(at), 'utf8'),
	]);
}

// ---------------------------------------------------------------------------------------------
// The table.

type Who = 'trigger' | 'n8n' | 'Node';

export interface Expected {
	status: number;
	/** Executions the row may start: 0, or 1 for the rows valid by design. */
	executions: 0 | 1;
	who: Who;
	/** What the answer's JSON must hold (the trigger's answers). */
	answer?: 'error' | 'issues' | 'repeated' | 'accepted';
	/** Text the row's request carries that the answer must not quote (the sender's, or a setting). */
	withheld?: string;
}

const rejected: Expected = { status: 401, executions: 0, who: 'trigger', answer: 'error' };
const invalid: Expected = { status: 400, executions: 0, who: 'trigger', answer: 'issues' };
const repeated: Expected = { status: 200, executions: 0, who: 'trigger', answer: 'repeated' };
const accepted: Expected = { status: 200, executions: 1, who: 'trigger', answer: 'accepted' };
const NOT_ALLOWED: Expected = { status: 403, executions: 0, who: 'trigger', answer: 'error' };
const MISCONFIGURED_ANSWER: Expected = {
	status: 500,
	executions: 0,
	who: 'trigger',
	answer: 'error',
};
/** The same refusal, but the Rejected output starts the workflow (once per check and minute). */
const alerted = (refusal: Expected): Expected => ({ ...refusal, executions: 1 });
const byN8n = (status: number): Expected => ({ status, executions: 0, who: 'n8n' });
const byNode = (status: number): Expected => ({ status, executions: 0, who: 'Node' });
/**
 * A body over N8N_PAYLOAD_SIZE_MAX (16 MiB): n8n 2.40.7's body reader throws
 * PayloadTooLargeError (413) and n8n answers it 500 "There was a problem executing the
 * workflow" — no execution; the partner retries as for any non-200.
 */
export const OVER_LIMIT = byN8n(500);
/** The same over a type n8n leaves unread, which the trigger reads with n8n's reader and limit. */
export const READ_OVER_LIMIT: Expected = {
	status: 413,
	executions: 0,
	who: 'trigger',
	answer: 'error',
};

export interface Row {
	trigger: Trigger;
	name: string;
	request: () => Request;
	expected: Expected;
}

let freshCount = 0;
/** Fresh ids differ between runs too, so the table can be run again against the same n8n. */
const RUN = Date.now().toString(36);
export const fresh = (trigger: Trigger) => trigger.fresh(`${RUN}-${(freshCount += 1)}`);

/**
 * What a body without the fields a field signature covers gets: nothing in it can have been
 * signed, so a field-signed trigger (Cermati) refuses who sent it (401) before it reads the
 * schema; the others answer `otherwise`.
 */
const unsignableOr = (trigger: Trigger, otherwise: Expected): Expected =>
	trigger.signsFields ? rejected : otherwise;

/** Rows every trigger gets (its own credential header, its own sample). */
function commonRows(trigger: Trigger): Row[] {
	const row = (name: string, request: () => Request, expected: Expected): Row => ({
		trigger,
		name,
		request,
		expected,
	});
	const { header } = trigger;
	const isKey = header === 'x-api-key';
	return [
		row(
			'no credential header',
			() => genuineExcept(trigger, sample(trigger), header, undefined),
			rejected,
		),
		row(
			'credential header empty',
			() => genuineExcept(trigger, sample(trigger), header, ''),
			rejected,
		),
		row(
			'credential header sent twice, same genuine value',
			() => {
				const value = credentialOf(trigger, sample(trigger));
				return genuineExcept(trigger, sample(trigger), header, [value, value]);
			},
			rejected,
		),
		row(
			'credential header of 8 KB',
			() =>
				genuineExcept(
					trigger,
					sample(trigger),
					header,
					`${trigger.signsFields ? 'v1=' : ''}${'a'.repeat(8192)}`,
				),
			rejected,
		),
		row(
			'credential header of 20 KB (over Node’s 16 KB header limit)',
			() => genuineExcept(trigger, sample(trigger), header, 'a'.repeat(20 * 1024)),
			byNode(431),
		),
		row(
			isKey ? 'another key' : 'signed with another secret',
			() => ({
				headers: signed(trigger, sample(trigger), 'not-the-secret-0000'),
				body: sample(trigger),
			}),
			rejected,
		),
		isKey
			? row(
					'the key in the wrong case (keys compare exactly)',
					() => genuineExcept(trigger, sample(trigger), header, SECRETS.qoalaApiKey.toUpperCase()),
					rejected,
				)
			: row(
					'the signature of another body',
					() => ({ headers: signed(trigger, fresh(trigger)), body: sample(trigger) }),
					rejected,
				),
		row(
			'signature truncated by one character',
			() => {
				const value = isKey ? SECRETS.qoalaApiKey : credentialOf(trigger, sample(trigger));
				return genuineExcept(trigger, sample(trigger), header, value.slice(0, -1));
			},
			rejected,
		),
		row(
			'empty body (signed)',
			() => ({ headers: signed(trigger, Buffer.alloc(0)), body: Buffer.alloc(0) }),
			invalid,
		),
		row(
			'not JSON, sent as text/plain (signed)',
			() => {
				const body = Buffer.from('status=APPROVED&id=1');
				return { headers: { ...signed(trigger, body), 'Content-Type': 'text/plain' }, body };
			},
			invalid,
		),
		row(
			'not JSON, declared application/json',
			() => {
				const body = Buffer.from('status=APPROVED&id=1');
				return { headers: signed(trigger, body), body };
			},
			byN8n(422),
		),
		row(
			'a JSON array (signed)',
			() => {
				const body = json([sampleJson(trigger.providerEvent)]);
				return { headers: signed(trigger, body), body };
			},
			unsignableOr(trigger, invalid),
		),
		row(
			'a JSON string (signed)',
			() => {
				const body = json(sample(trigger).toString('utf8'));
				return { headers: signed(trigger, body), body };
			},
			unsignableOr(trigger, invalid),
		),
		row(
			'JSON null (signed)',
			() => {
				const body = Buffer.from('null');
				return { headers: signed(trigger, body), body };
			},
			unsignableOr(trigger, invalid),
		),
		row(
			'a required field missing (signed)',
			() => {
				const body = json(trigger.withoutRequired);
				return { headers: signed(trigger, body), body };
			},
			invalid,
		),
		row(
			'a required field of the wrong type (signed)',
			() => {
				const body = json(trigger.wrongType);
				return { headers: signed(trigger, body), body };
			},
			invalid,
		),
		row(
			'invalid UTF-8 in a string (signed)',
			() => {
				const body = invalidUtf8(trigger);
				return { headers: signed(trigger, body), body };
			},
			invalid,
		),
		row(
			'nested 100,000 deep, a required field missing (signed)',
			() => {
				const body = deeplyNested(
					trigger,
					100_000,
					Object.keys(sampleJson(trigger.providerEvent))[0],
				);
				return { headers: signed(trigger, body), body };
			},
			invalid,
		),
		row(
			'15 MiB, a required field missing (signed)',
			() => {
				const body = huge(trigger, Object.keys(sampleJson(trigger.providerEvent))[0]);
				return { headers: signed(trigger, body), body };
			},
			invalid,
		),
		row(
			'15 MiB, forged',
			() => {
				const body = huge(trigger);
				return {
					headers: withHeader(
						signed(trigger, body),
						header,
						isKey ? 'f'.repeat(64) : `${trigger.signsFields ? 'v1=' : ''}${ZERO_SIGNATURE}`,
					),
					body,
				};
			},
			rejected,
		),
		row(
			'declared multipart/form-data, the JSON bytes as sent (genuine credential)',
			() => ({
				headers: {
					...signed(trigger, sample(trigger)),
					'Content-Type': 'multipart/form-data; boundary=x',
				},
				body: sample(trigger),
			}),
			// n8n parses multipart bodies itself and refuses this one before the trigger runs.
			byN8n(400),
		),
		row(
			'multipart/form-data carrying the JSON as a field (credential over those bytes)',
			() => {
				const body = multipart(sample(trigger));
				return {
					headers: { ...signed(trigger, body), 'Content-Type': 'multipart/form-data; boundary=x' },
					body,
				};
			},
			// n8n hands the trigger no bytes for a multipart body: what is signed cannot be
			// checked (401); where only a key is checked, the body is empty (400).
			trigger.signsFields || isKey ? invalid : rejected,
		),
		row(
			'a GET',
			() => ({ method: 'GET', headers: signed(trigger, sample(trigger)), body: Buffer.alloc(0) }),
			byN8n(404),
		),
		row(
			'the accepted sample again (a replay)',
			() => ({ headers: signed(trigger, sample(trigger)), body: sample(trigger) }),
			repeated,
		),
		// From version 2 n8n leaves bodies of other types unread; the trigger reads them itself.
		row(
			'a new notification without Content-Type (valid: the bytes are what counts)',
			() => genuineExcept(trigger, fresh(trigger), 'Content-Type', undefined),
			accepted,
		),
		row(
			'a new notification declared application/octet-stream (valid, as above)',
			() => genuineExcept(trigger, fresh(trigger), 'Content-Type', 'application/octet-stream'),
			accepted,
		),
	];
}

const row = (trigger: Trigger, name: string, request: () => Request, expected: Expected): Row => ({
	trigger,
	name,
	request,
	expected,
});

const hmacOf = (body: Buffer) => credentialOf(QOALA_HMAC, body);
const bearer = `${SECRETS.qoalaBearer}`;

const SPECIAL_ROWS: Row[] = [
	// Qoala API key
	row(
		QOALA_CLAIM,
		'the key with a "Bearer " prefix',
		() =>
			genuineExcept(QOALA_CLAIM, sample(QOALA_CLAIM), 'x-api-key', `Bearer ${SECRETS.qoalaApiKey}`),
		rejected,
	),
	row(
		QOALA_CLAIM,
		'the key in Authorization instead of x-api-key',
		() => ({
			headers: withHeader(
				genuineExcept(QOALA_CLAIM, sample(QOALA_CLAIM), 'x-api-key', undefined).headers,
				'Authorization',
				`Bearer ${SECRETS.qoalaApiKey}`,
			),
			body: sample(QOALA_CLAIM),
		}),
		rejected,
	),
	row(
		QOALA_CLAIM,
		'the replay re-serialised with spaces (the key does not cover the body)',
		() => ({
			headers: signed(QOALA_CLAIM, sample(QOALA_CLAIM)),
			body: Buffer.from(JSON.stringify(sampleJson('qoala-claim'), null, 2)),
		}),
		repeated,
	),
	row(
		QOALA_CLAIM,
		'over n8n’s payload limit (16 MiB + 1 KiB)',
		() => ({ headers: signed(QOALA_CLAIM, sample(QOALA_CLAIM)), body: overTheLimit(QOALA_CLAIM) }),
		OVER_LIMIT,
	),

	// Qoala HMAC-SHA256, hex
	row(
		QOALA_HMAC,
		'signature truncated to 62 hex characters',
		() =>
			genuineExcept(
				QOALA_HMAC,
				sample(QOALA_HMAC),
				'x-api-key',
				hmacOf(sample(QOALA_HMAC)).slice(0, 62),
			),
		rejected,
	),
	row(
		QOALA_HMAC,
		'signature with a non-hex character',
		() =>
			genuineExcept(
				QOALA_HMAC,
				sample(QOALA_HMAC),
				'x-api-key',
				`${hmacOf(sample(QOALA_HMAC)).slice(0, 63)}g`,
			),
		rejected,
	),
	row(
		QOALA_HMAC,
		'signature too long (66 hex characters)',
		() =>
			genuineExcept(QOALA_HMAC, sample(QOALA_HMAC), 'x-api-key', `${hmacOf(sample(QOALA_HMAC))}00`),
		rejected,
	),
	row(
		QOALA_HMAC,
		'the right digest in base64 instead of hex',
		() =>
			genuineExcept(
				QOALA_HMAC,
				sample(QOALA_HMAC),
				'x-api-key',
				Buffer.from(hmacOf(sample(QOALA_HMAC)), 'hex').toString('base64'),
			),
		rejected,
	),
	row(
		QOALA_HMAC,
		'the right digest with a "sha256=" prefix',
		() =>
			genuineExcept(
				QOALA_HMAC,
				sample(QOALA_HMAC),
				'x-api-key',
				`sha256=${hmacOf(sample(QOALA_HMAC))}`,
			),
		rejected,
	),
	row(
		QOALA_HMAC,
		'the replay with one space added (the signature covers the bytes)',
		() => ({
			headers: signed(QOALA_HMAC, sample(QOALA_HMAC)),
			body: Buffer.from(`${sample(QOALA_HMAC).toString('utf8')} `),
		}),
		rejected,
	),
	row(
		QOALA_HMAC,
		'upper-case hex (valid by design: hex is case-insensitive)',
		() => {
			const body = fresh(QOALA_HMAC);
			return genuineExcept(QOALA_HMAC, body, 'x-api-key', hmacOf(body).toUpperCase());
		},
		accepted,
	),

	// Qoala Bearer
	row(
		QOALA_BEARER,
		'the token in the wrong case (tokens compare exactly)',
		() =>
			genuineExcept(
				QOALA_BEARER,
				sample(QOALA_BEARER),
				'Authorization',
				`Bearer ${bearer.toUpperCase()}`,
			),
		rejected,
	),
	row(
		QOALA_BEARER,
		'the token as Basic credentials',
		() => genuineExcept(QOALA_BEARER, sample(QOALA_BEARER), 'Authorization', `Basic ${bearer}`),
		rejected,
	),
	row(
		QOALA_BEARER,
		'the token with another prefix ("Token …")',
		() => genuineExcept(QOALA_BEARER, sample(QOALA_BEARER), 'Authorization', `Token ${bearer}`),
		rejected,
	),
	row(
		QOALA_BEARER,
		'"Bearer" without a token',
		() => genuineExcept(QOALA_BEARER, sample(QOALA_BEARER), 'Authorization', 'Bearer'),
		rejected,
	),
	row(
		QOALA_BEARER,
		'the token followed by another word',
		() =>
			genuineExcept(QOALA_BEARER, sample(QOALA_BEARER), 'Authorization', `Bearer ${bearer} extra`),
		rejected,
	),
	row(
		QOALA_BEARER,
		'Authorization twice, a wrong token first',
		() =>
			genuineExcept(QOALA_BEARER, sample(QOALA_BEARER), 'Authorization', [
				'Bearer not-the-token',
				`Bearer ${bearer}`,
			]),
		rejected,
	),
	row(
		QOALA_BEARER,
		'Authorization twice, the genuine token first (Node keeps the first, drops the other)',
		() => {
			const body = fresh(QOALA_BEARER);
			return genuineExcept(QOALA_BEARER, body, 'Authorization', [
				`Bearer ${bearer}`,
				'Bearer not-the-token',
			]);
		},
		accepted,
	),
	row(
		QOALA_BEARER,
		'"bearer" in lower case (valid by design: RFC 7235)',
		() => {
			const body = fresh(QOALA_BEARER);
			return genuineExcept(QOALA_BEARER, body, 'Authorization', `bearer ${bearer}`);
		},
		accepted,
	),
	row(
		QOALA_BEARER,
		'"BEARER" in upper case (valid by design: RFC 7235)',
		() => {
			const body = fresh(QOALA_BEARER);
			return genuineExcept(QOALA_BEARER, body, 'Authorization', `BEARER ${bearer}`);
		},
		accepted,
	),

	// Cermati application
	...(
		[
			['prefix "V1=" (the version is case-sensitive)', (hex) => `V1=${hex}`],
			['prefix "v2=" (an unknown version)', (hex) => `v2=${hex}`],
			['the bare digest, no "v1=" prefix', (hex) => hex],
			['prefix "sha256=" instead of "v1="', (hex) => `sha256=${hex}`],
			['prefix "v1" without "="', (hex) => `v1${hex}`],
		] satisfies Array<[string, (hex: string) => string]>
	).map(([name, value]) =>
		row(
			CERMATI_APPLICATION,
			name,
			() => {
				const hex = credentialOf(CERMATI_APPLICATION, sample(CERMATI_APPLICATION)).slice(3);
				return genuineExcept(
					CERMATI_APPLICATION,
					sample(CERMATI_APPLICATION),
					'Cermati-Signature',
					value(hex),
				);
			},
			rejected,
		),
	),
	row(
		CERMATI_APPLICATION,
		'the genuine signature over another refNo (a replay: one signed pair is one notification)',
		() => {
			const body = sampleWith('cermati-application', 'PARTNER-REF-0001', 'PARTNER-REF-9999');
			return { headers: signed(CERMATI_APPLICATION, sample(CERMATI_APPLICATION)), body };
		},
		rejected,
	),
	row(
		CERMATI_APPLICATION,
		'the genuine delivery re-serialised with spaces (the same content: a repeat)',
		() => ({
			headers: signed(CERMATI_APPLICATION, sample(CERMATI_APPLICATION)),
			body: Buffer.from(JSON.stringify(sampleJson('cermati-application'), null, 2)),
		}),
		repeated,
	),
	row(
		CERMATI_CLAIM,
		"the claim's genuine signature over APPROVED with another amount (a replay)",
		() => {
			const body = json({
				...sampleJson('cermati-claim'),
				status: 'APPROVED',
				approvedClaimAmount: 999999999,
			});
			return { headers: signed(CERMATI_CLAIM, sample(CERMATI_CLAIM)), body };
		},
		rejected,
	),
	row(
		CERMATI_APPLICATION,
		'a body that is not JSON, with personal data in it (the answer says where, never what)',
		() => ({
			// As text: a body declared JSON that is not JSON n8n answers 422 itself, before the
			// trigger (and its message quotes the body: n8n's, outside the package).
			headers: {
				...signed(CERMATI_APPLICATION, Buffer.alloc(0)),
				'Content-Type': 'text/plain',
			},
			body: Buffer.from('{"refNo":"R-1","holder":PII-Budi-Santoso-3174}'),
		}),
		{ ...invalid, withheld: 'PII-Budi' },
	),
	row(
		CERMATI_APPLICATION,
		'a signature version the sender made up (never echoed)',
		() =>
			genuineExcept(
				CERMATI_APPLICATION,
				sample(CERMATI_APPLICATION),
				'Cermati-Signature',
				`PII-3174=${ZERO_SIGNATURE}`,
			),
		{ ...rejected, withheld: 'PII-3174' },
	),
	row(
		CERMATI_APPLICATION,
		'the genuine signature with a character moved from updatedAt into trxId (trxId + updatedAt still match)',
		() => ({
			headers: signed(CERMATI_APPLICATION, sample(CERMATI_APPLICATION)),
			body: Buffer.from(
				sample(CERMATI_APPLICATION)
					.toString('utf8')
					.replace('"trxId":"UniqueTrxId00001"', '"trxId":"UniqueTrxId000012"')
					.replace(
						'"updatedAt":"2024-05-01T10:15:30+07:00"',
						'"updatedAt":"024-05-01T10:15:30+07:00"',
					),
			),
		}),
		invalid,
	),
	row(
		CERMATI_CLAIM,
		'updatedAt without a time zone (Cermati sends ISO 8601 with one)',
		() => {
			const body = sampleWith('cermati-claim', '2024-05-03T09:00:00+07:00', '2024-05-03T09:00:00');
			return { headers: signed(CERMATI_CLAIM, body), body };
		},
		invalid,
	),
	row(
		CERMATI_APPLICATION,
		'upper-case hex after "v1=" (valid by design)',
		() => {
			const body = fresh(CERMATI_APPLICATION);
			return genuineExcept(
				CERMATI_APPLICATION,
				body,
				'Cermati-Signature',
				`v1=${credentialOf(CERMATI_APPLICATION, body).slice(3).toUpperCase()}`,
			);
		},
		accepted,
	),
	row(
		CERMATI_APPLICATION,
		'status changed under the genuine signature (status is not signed; the pair was delivered)',
		() => ({
			headers: signed(CERMATI_APPLICATION, sample(CERMATI_APPLICATION)),
			body: sampleWith('cermati-application', '"ISSUED"', '"CANCELLED"'),
		}),
		rejected,
	),

	// Curacel
	row(
		CURACEL,
		'the right digest with a "sha256=" prefix',
		() =>
			genuineExcept(
				CURACEL,
				sample(CURACEL),
				'x-curacel-signature',
				`sha256=${credentialOf(CURACEL, sample(CURACEL))}`,
			),
		rejected,
	),
	row(
		CURACEL,
		'the right digest in base64 instead of hex',
		() =>
			genuineExcept(
				CURACEL,
				sample(CURACEL),
				'x-curacel-signature',
				Buffer.from(credentialOf(CURACEL, sample(CURACEL)), 'hex').toString('base64'),
			),
		rejected,
	),
	row(
		CURACEL,
		'policy.created re-serialised ("\\/" unescaped) under its signature',
		() => ({
			headers: signed(CURACEL, readSample('curacel-policy.created')),
			body: json(sampleJson('curacel-policy.created')),
		}),
		rejected,
	),
	row(
		CURACEL,
		'over n8n’s payload limit (16 MiB + 1 KiB)',
		() => {
			const body = overTheLimit(CURACEL);
			return { headers: signed(CURACEL, body), body };
		},
		OVER_LIMIT,
	),
	row(
		CURACEL,
		'over n8n’s payload limit, declared application/octet-stream',
		() => genuineExcept(CURACEL, overTheLimit(CURACEL), 'Content-Type', 'application/octet-stream'),
		READ_OVER_LIMIT,
	),
	row(
		CURACEL,
		'upper-case hex (valid by design)',
		() => {
			const body = fresh(CURACEL);
			return genuineExcept(
				CURACEL,
				body,
				'x-curacel-signature',
				credentialOf(CURACEL, body).toUpperCase(),
			);
		},
		accepted,
	),
	row(
		CURACEL,
		'header name in upper case (valid by design: HTTP header names)',
		() => {
			const body = fresh(CURACEL);
			return genuineExcept(CURACEL, body, 'X-CURACEL-SIGNATURE', credentialOf(CURACEL, body));
		},
		accepted,
	),
];

/** A Cermati application sample with a new trxId and this updatedAt, signed by the partner. */
function cermatiChangedAt(updatedAt: string): Request {
	const body = json({
		...sampleJson('cermati-application'),
		trxId: `MAXAGE-${RUN}-${(freshCount += 1)}`,
		updatedAt,
	});
	return { headers: signed(MAX_AGE, body), body };
}

const OPTION_ROWS: Row[] = [
	row(
		ALLOWLISTED,
		'genuine, from 127.0.0.1, which the IP allowlist does not list',
		() => {
			const body = fresh(ALLOWLISTED);
			return { headers: signed(ALLOWLISTED, body), body };
		},
		NOT_ALLOWED,
	),
	row(
		ALLOWLISTED,
		'genuine, from 127.0.0.2, which the IP allowlist lists',
		() => {
			const body = fresh(ALLOWLISTED);
			return { headers: signed(ALLOWLISTED, body), body, localAddress: '127.0.0.2' };
		},
		accepted,
	),
	row(
		ALLOWLISTED,
		'forged key, from 127.0.0.1: refused for its address before its key is read',
		() => genuineExcept(ALLOWLISTED, fresh(ALLOWLISTED), 'x-api-key', 'not-the-key'),
		NOT_ALLOWED,
	),
	row(
		MAX_AGE,
		'genuine signature, updatedAt from 2024 (older than Maximum Age)',
		() => ({ headers: signed(MAX_AGE, sample(MAX_AGE)), body: sample(MAX_AGE) }),
		rejected,
	),
	row(
		MAX_AGE,
		'genuine signature, updatedAt a minute ago',
		() => cermatiChangedAt(new Date(Date.now() - 60_000).toISOString()),
		accepted,
	),
	row(
		MAX_AGE,
		'genuine signature, updatedAt an hour in the future',
		() => cermatiChangedAt(new Date(Date.now() + 3_600_000).toISOString()),
		rejected,
	),
	row(
		ROTATING,
		'signed with the new secret during a rotation',
		() => {
			const body = fresh(ROTATING);
			return { headers: signed(ROTATING, body), body };
		},
		accepted,
	),
	row(
		ROTATING,
		'signed with the Previous Secret during a rotation',
		() => {
			const body = fresh(ROTATING);
			return { headers: signed(ROTATING, body, SECRETS.cermati), body };
		},
		accepted,
	),
	row(
		ROTATING,
		'signed with neither secret',
		() => {
			const body = fresh(ROTATING);
			return { headers: signed(ROTATING, body, SECRETS.curacel), body };
		},
		rejected,
	),
	row(
		MISCONFIGURED,
		'genuine, but the credential names an encoding the trigger does not know (base32)',
		() => {
			const body = fresh(MISCONFIGURED);
			return { headers: signed(MISCONFIGURED, body), body };
		},
		{ ...MISCONFIGURED_ANSWER, withheld: 'base32' },
	),
	row(
		BLANK_SECRET,
		"signed with the credential's secret of spaces (refused like an empty secret)",
		() => {
			// Signed by hand: the sender, like the trigger, refuses a secret of spaces.
			const body = fresh(BLANK_SECRET);
			const headers = { 'Content-Type': 'application/json' };
			return {
				headers: { ...headers, [BLANK_SECRET.header]: hmacHex('sha256', '   ', body) },
				body,
			};
		},
		MISCONFIGURED_ANSWER,
	),
	// Consecutive rows, well within one minute: the alert interval of each check.
	row(
		ALERTING,
		'forged signature: refused, and the Rejected output starts',
		() => genuineExcept(ALERTING, fresh(ALERTING), 'x-curacel-signature', ZERO_SIGNATURE),
		alerted(rejected),
	),
	row(
		ALERTING,
		'forged signature again within the minute: refused, counted for the next alert',
		() => genuineExcept(ALERTING, fresh(ALERTING), 'x-curacel-signature', ZERO_SIGNATURE),
		rejected,
	),
	row(
		ALERTING,
		'no signature header: refused, and the Rejected output starts (another check)',
		() => genuineExcept(ALERTING, fresh(ALERTING), 'x-curacel-signature', undefined),
		alerted(rejected),
	),
	row(
		ALERTING,
		'genuine signature over a body without its event: 400, and the Rejected output starts',
		() => {
			const body = json(omit(sampleJson('curacel-claim.vetted'), 'event'));
			return { headers: signed(ALERTING, body), body };
		},
		alerted(invalid),
	),
	row(
		ALERTING,
		'genuine: accepted on the Accepted output',
		() => {
			const body = fresh(ALERTING);
			return { headers: signed(ALERTING, body), body };
		},
		accepted,
	),
];

export const ROWS: Row[] = [...MAIN_TRIGGERS.flatMap(commonRows), ...SPECIAL_ROWS, ...OPTION_ROWS];
