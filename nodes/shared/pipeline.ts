import type { z } from 'zod/v4';

import type { DeliveryContract, ProviderId } from './contract';
import { isSubjectBusy, type Acceptance, type DeliveryRecord } from './deliveryRecord';
import type { Outcome } from './statuses';
import { contentDigest } from './content';
import { firstSyntaxError } from './jsonSyntax';
import {
	InvalidJsonError,
	InvalidPayloadError,
	ReplayedSignatureError,
	StaleDeliveryError,
	type PayloadIssue,
} from './errors';
import {
	presentedCredential,
	verifyPresented,
	type AuthScheme,
	type DeliveryRequest,
} from './authSchemes';

/**
 * The webhook pipeline, written once for every trigger:
 * authenticate → parse → validate → filter → de-duplicate → emit.
 * Each step is a small pure function; `processDelivery` strings them together and either
 * throws a `DeliveryRejectedError` (answered 400/401/500) or returns a decision. A decision to
 * emit holds the notification as in progress in the record; the caller commits it once the
 * partner was answered 2XX, or releases it.
 */

export type DeliveryItem<Payload = unknown, Identifiers = Record<string, unknown>> = {
	provider: ProviderId;
	event: string;
	status: string | null;
	statusLabel: string;
	outcome: Outcome;
	isFinal: boolean;
	isLatest: boolean;
	latestStatus: string | null;
	occurredAt: string | null;
	receivedAt: string;
	deliveryKey: string;
	body: Payload;
} & Identifiers;

export type Decision<Item = DeliveryItem> =
	/** Start the workflow; `acceptance` (when repeats are tracked) is settled by the answer. */
	| { action: 'emit'; item: Item; acceptance?: Acceptance }
	| { action: 'ignore'; reason: 'filtered' | 'repeated' | 'out_of_date'; deliveryKey: string }
	/**
	 * A copy of a notification whose first copy is still being processed: retry later. Or
	 * (`subjectSettled`) another notification about the same subject is: decide again once
	 * it has been answered.
	 */
	| { action: 'inProgress'; deliveryKey: string; subjectSettled?: Promise<void> };

export interface DeliverySettings {
	/** The user's filter; empty means everything passes. */
	selected: readonly string[];
	ignoreRepeatedDeliveries: boolean;
	/** The trigger's record of accepted notifications; only consulted when ignoring repeats. */
	record?: DeliveryRecord;
	receivedAt: Date;
	/** Options → Maximum Age, in minutes, for partners that sign a time; 0 or absent is off. */
	maxAgeMinutes?: number;
	/**
	 * Options → Skip Out-of-Date Notifications: a notification older than one already delivered
	 * about the same subject (the record's order) is answered 200 and starts nothing. Its
	 * subject's notifications are then decided one at a time: two decided while both are in
	 * progress would both be news, and the older run could end, and write, last.
	 */
	skipOutOfDate?: boolean;
}

/** How far in the future a signed time may be (clocks differ a little). */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/**
 * Refuses a signed delivery whose signed time lies outside the freshness window: older than
 * `maxAgeMinutes`, or more than 5 minutes ahead of this machine's clock.
 */
export function checkFreshness(
	field: string,
	signedTime: string,
	maxAgeMinutes: number,
	now: Date,
): void {
	const ageMs = now.getTime() - Date.parse(signedTime);
	if (ageMs > maxAgeMinutes * 60_000) {
		throw new StaleDeliveryError(
			field,
			`is ${describeAge(ageMs)} old; this trigger accepts signed deliveries up to ${maxAgeMinutes} minutes old (Options → Maximum Age)`,
		);
	}
	if (-ageMs > MAX_CLOCK_AHEAD_MS) {
		throw new StaleDeliveryError(field, `is ${describeAge(-ageMs)} in the future`);
	}
}

function describeAge(ms: number): string {
	const minutes = Math.floor(ms / 60_000);
	if (minutes < 120) return `${minutes} minutes`;
	const hours = Math.floor(minutes / 60);
	return hours < 48 ? `${hours} hours` : `${Math.floor(hours / 24)} days`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body as JSON. Invalid UTF-8 is refused rather than silently replaced. The refusal is an
 * answer to the partner (400), never an error in n8n's UI, so it is a `DeliveryRejectedError`
 * decided from the parsers' outcomes rather than a rethrow of what they threw. It says at which
 * byte the body stops being JSON, never the parser's own message, which quotes the body.
 *
 * A `__proto__` key is dropped: copied onto a validated payload it would replace the payload's
 * prototype, and every field the item reads from the payload would come from the sender's
 * object instead (a field of the wrong type, or one the partner never sent).
 */
export function parseJsonBody(rawBody: Buffer): unknown {
	if (rawBody.length === 0) throw new InvalidJsonError('the body is empty');
	const text = outcomeOf(() => utf8.decode(rawBody));
	if (!text.ok) throw new InvalidJsonError('the body is not valid UTF-8');
	const json = outcomeOf((): unknown => parseWithoutPrototypeKeys(text.value));
	if (!json.ok) {
		const byte = Buffer.byteLength(text.value.slice(0, firstSyntaxError(text.value)), 'utf8');
		throw new InvalidJsonError(`it stops being JSON at byte ${byte}`);
	}
	return json.value;
}

/**
 * `JSON.parse`, with the reviver (several times slower) only for a text that can hold a
 * `__proto__` key: spelled out, or hidden behind a `\u` escape.
 */
function parseWithoutPrototypeKeys(text: string): unknown {
	if (!text.includes('__proto__') && !text.includes('\\u')) return JSON.parse(text);
	return JSON.parse(text, dropPrototypeKey);
}

function dropPrototypeKey(key: string, value: unknown): unknown {
	return key === '__proto__' ? undefined : value;
}

/** Runs a parser that reports failure by throwing, and returns the failure as a value. */
function outcomeOf<T>(parse: () => T): { ok: true; value: T } | { ok: false } {
	try {
		return { ok: true, value: parse() };
	} catch {
		return { ok: false };
	}
}

/** Checks the parsed body against the trigger's schema; says which fields are wrong. */
export function validatePayload<Payload>(schema: z.ZodType<Payload>, json: unknown): Payload {
	const result = schema.safeParse(json);
	if (result.success) return result.data;
	const issues: PayloadIssue[] = result.error.issues.slice(0, 20).map((issue) => ({
		path: issue.path.length ? issue.path.map(String).join('.') : '(body)',
		message: issue.message,
	}));
	const fields = issues.map((issue) => issue.path).join(', ');
	throw new InvalidPayloadError(`Body is not a valid notification: check ${fields}`, issues);
}

export function passesFilter(selected: readonly string[], value: string | null): boolean {
	return selected.length === 0 || (value !== null && selected.includes(value));
}

/**
 * `qoala|claim|CLM-1|INSURANCE_CLAIM_PAID`: readable, and unambiguous because `%` and `|`
 * inside a part are escaped.
 */
export function deliveryKeyOf(
	provider: ProviderId,
	identity: { subject: readonly string[]; state: string },
): string {
	let key: string = provider;
	for (const part of identity.subject) key += `|${escapeKeyPart(part)}`;
	return identity.state === '' ? key : `${key}|${escapeKeyPart(identity.state)}`;
}

function escapeKeyPart(part: string): string {
	if (!part.includes('%') && !part.includes('|')) return part;
	return part.replace(/%/g, '%25').replace(/\|/g, '%7C');
}

/** The output item: normalized fields, identifiers, and the body exactly as it was parsed. */
export function shapeItem<Payload, Identifiers>(
	contract: DeliveryContract<Payload, Identifiers>,
	payload: Payload,
	body: unknown,
	receivedAt: Date,
	deliveryKey = deliveryKeyOf(contract.provider, contract.identity(payload)),
	newerStatus: string | null = null,
): DeliveryItem<Payload, Identifiers> {
	const { event, status, statusLabel, outcome, isFinal, identifiers, occurredAt } =
		contract.normalize(payload);
	return {
		provider: contract.provider,
		event,
		status,
		statusLabel,
		outcome,
		isFinal,
		isLatest: newerStatus === null,
		latestStatus: newerStatus,
		...identifiers,
		occurredAt,
		receivedAt: receivedAt.toISOString(),
		deliveryKey,
		body: body as Payload,
	};
}

/** The header and fields of a signature over body fields (Cermati's); undefined for others. */
function signedFieldsOf(
	scheme: AuthScheme,
): { header: string; fields: readonly string[] } | undefined {
	if (scheme.type !== 'signature' || scheme.signed.from !== 'fields') return undefined;
	return { header: scheme.header, fields: scheme.signed.fields };
}

/**
 * Runs one delivery through every step. Signatures over the raw body are checked before
 * the body is parsed; signatures over body fields (Cermati) right after, before its schema.
 */
export function processDelivery<Payload, Identifiers>(
	contract: DeliveryContract<Payload, Identifiers>,
	scheme: AuthScheme,
	request: DeliveryRequest,
	settings: DeliverySettings,
): Decision<DeliveryItem<Payload, Identifiers>> {
	const presented = presentedCredential(scheme, request.headers);
	const fieldSignature = signedFieldsOf(scheme);
	if (!fieldSignature) verifyPresented(scheme, presented, request.rawBody);

	const json = parseJsonBody(request.rawBody);
	// The signed fields need only the parsed JSON: a forger learns nothing of the schema (a 400
	// listing its fields) and the Rejected output says signature_mismatch, not invalid_payload.
	if (fieldSignature) verifyPresented(scheme, presented, request.rawBody, json);
	const schema = typeof contract.payload === 'function' ? contract.payload(json) : contract.payload;
	const payload = validatePayload(schema, json);
	if (scheme.type === 'signature' && settings.maxAgeMinutes && contract.signedTime) {
		const { field, of } = contract.signedTime;
		checkFreshness(field, of(payload), settings.maxAgeMinutes, settings.receivedAt);
	}

	// A signature over fields proves who sent the fields, not the rest: the record then holds
	// what the signed pair carried, and refuses other content under it (see `content`).
	const identity = fieldSignature
		? { ...contract.identity(payload), content: contentDigest(json, request.rawBody) }
		: contract.identity(payload);
	const deliveryKey = deliveryKeyOf(contract.provider, identity);
	// Before the filter: a replay is refused (and alerted) whatever status it claims.
	if (fieldSignature && settings.ignoreRepeatedDeliveries) {
		if (settings.record?.holdsOtherContent(identity)) {
			throw new ReplayedSignatureError(fieldSignature.header, fieldSignature.fields);
		}
	}
	if (!passesFilter(settings.selected, contract.filter.valueOf(payload))) {
		return { action: 'ignore', reason: 'filtered', deliveryKey };
	}
	const mayBeRepeat = settings.ignoreRepeatedDeliveries && !identity.answerDecides;
	const oneAtATime = settings.skipOutOfDate === true;
	const acceptance = mayBeRepeat ? settings.record?.begin(identity, { oneAtATime }) : undefined;
	// A conflict was refused above, before the filter; nothing awaited since.
	if (acceptance === 'repeated' || acceptance === 'conflict') {
		return { action: 'ignore', reason: 'repeated', deliveryKey };
	}
	if (acceptance === 'inProgress') return { action: 'inProgress', deliveryKey };
	if (isSubjectBusy(acceptance)) {
		return { action: 'inProgress', deliveryKey, subjectSettled: acceptance.settled };
	}
	const newerStatus = acceptance?.newerStatus ?? null;
	if (newerStatus !== null && settings.skipOutOfDate) {
		// Nothing of it is remembered: its retries are out of date as well.
		acceptance?.release();
		return { action: 'ignore', reason: 'out_of_date', deliveryKey };
	}
	// Shaped only for deliveries that start the workflow; should shaping fail, the notification
	// must not stay "in progress" forever, so its acceptance is released.
	let item: DeliveryItem<Payload, Identifiers> | undefined;
	try {
		item = shapeItem(contract, payload, json, settings.receivedAt, deliveryKey, newerStatus);
	} finally {
		if (item === undefined) acceptance?.release();
	}
	return { action: 'emit', item, acceptance };
}
