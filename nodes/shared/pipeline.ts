import type { z } from 'zod/v4';

import {
	authenticateDelivery,
	signedFieldsOf,
	type AuthScheme,
	type DeliveryRequest,
} from './authSchemes';
import { contentDigest } from './content';
import type { DeliveryContract, ProviderId } from './contract';
import type { Acceptance, DeliveryRecord, NotificationIdentity } from './deliveryRecord';
import { InvalidPayloadError, StaleDeliveryError, type PayloadIssue } from './errors';
import { claimNotification } from './recordStage';
import type { Outcome } from './statuses';

export { parseJsonBody } from './body';

/**
 * The webhook pipeline, written once for every trigger, as pure functions a test can call:
 * authenticate → interpret (parse, validate, identify, filter) → the record → the item.
 * `processDelivery` strings them together (see there); n8n's side of a delivery (the request,
 * the answer) is `webhook.ts`.
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
	/**
	 * Respond: Immediately — the partner is answered 2XX as soon as the notification is
	 * accepted, so it is committed in the same step as its claim (no other copy can slip in).
	 */
	deliveredWhenAccepted?: boolean;
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

/**
 * What a delivery says once it is authenticated: the validated payload, what the notification
 * is (its identity and `deliveryKey`), and whether the user's filter lets it through.
 */
export interface Notification<Payload> {
	json: unknown;
	payload: Payload;
	identity: NotificationIdentity;
	deliveryKey: string;
	passesFilter: boolean;
	/** Where the partner signs body fields: the header and fields (for a replay's refusal). */
	signedFields?: { header: string; fields: readonly string[] };
}

/**
 * Validates the authenticated body, checks a signed time's freshness, and works out what the
 * notification is. A signature over fields proves who sent the fields, not the rest: the
 * identity then carries a digest of what the signed pair came with (see `content`).
 */
export function interpret<Payload, Identifiers>(
	contract: DeliveryContract<Payload, Identifiers>,
	scheme: AuthScheme,
	json: unknown,
	rawBody: Buffer,
	settings: DeliverySettings,
): Notification<Payload> {
	const schema = typeof contract.payload === 'function' ? contract.payload(json) : contract.payload;
	const payload = validatePayload(schema, json);
	if (scheme.type === 'signature' && settings.maxAgeMinutes && contract.signedTime) {
		const { field, of } = contract.signedTime;
		checkFreshness(field, of(payload), settings.maxAgeMinutes, settings.receivedAt);
	}
	const signedFields = signedFieldsOf(scheme);
	const identity = signedFields
		? { ...contract.identity(payload), content: contentDigest(json, rawBody) }
		: contract.identity(payload);
	return {
		json,
		payload,
		identity,
		deliveryKey: deliveryKeyOf(contract.provider, identity),
		passesFilter: passesFilter(settings.selected, contract.filter.valueOf(payload)),
		signedFields,
	};
}

/**
 * One delivery, straight through: authenticate (the credential, over the raw bytes or the
 * signed fields of the parsed body) → interpret (validate, identify, filter) → the record
 * (repeat, replay, in progress, out of date: `claimNotification`) → the item to emit. Throws
 * the `DeliveryRejectedError` of a refusal (400/401); otherwise returns the decision. A
 * decision to emit holds the notification as in progress in the record until it is settled.
 */
export function processDelivery<Payload, Identifiers>(
	contract: DeliveryContract<Payload, Identifiers>,
	scheme: AuthScheme,
	request: DeliveryRequest,
	settings: DeliverySettings,
): Decision<DeliveryItem<Payload, Identifiers>> {
	const json = authenticateDelivery(scheme, request);
	const notification = interpret(contract, scheme, json, request.rawBody, settings);
	const claim = claimNotification(notification, settings);
	if ('action' in claim) return claim;
	const { acceptance, newerStatus } = claim;
	// Should shaping fail, the notification must not stay "in progress" forever.
	let item: DeliveryItem<Payload, Identifiers> | undefined;
	try {
		item = shapeItem(
			contract,
			notification.payload,
			json,
			settings.receivedAt,
			notification.deliveryKey,
			newerStatus,
		);
	} finally {
		if (item === undefined) acceptance?.release();
	}
	// In the same synchronous step as the claim: no copy arriving meanwhile can also be news.
	if (settings.deliveredWhenAccepted) acceptance?.commit();
	return { action: 'emit', item, acceptance };
}
