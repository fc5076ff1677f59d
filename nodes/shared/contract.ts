import { z } from 'zod/v4';

import type { AuthenticationMethods } from './authentication';
import type { NotificationIdentity } from './deliveryRecord';
import { OUTCOMES, type Classification } from './statuses';

/**
 * A partner's id, the `provider` of its items. Which ids exist is the registry's to say
 * (`Provider` in nodes/partners.ts); shared code takes any.
 */
export type ProviderId = string;

/**
 * The output item of every trigger: the same normalized fields for every partner, the
 * trigger's own identifiers, and the body exactly as received. This zod object is where the
 * item's TypeScript type, and the JSON Schema n8n's editor shows before any event, come from.
 */
export function deliveryItemSchema<
	const P extends ProviderId,
	Identifiers extends z.ZodRawShape,
	Body extends z.ZodType,
>(provider: P, identifiers: Identifiers, body: Body) {
	return z.object({
		provider: z.literal(provider).describe('Which partner sent the notification'),
		event: z.string().describe('What happened, e.g. claim.status_changed or a Curacel event name'),
		status: z.string().nullable().describe("The partner's status code as sent"),
		statusLabel: z.string().describe('The status in plain words'),
		outcome: z
			.enum(OUTCOMES)
			.describe('The status in the same few words for every partner, for IF and Switch nodes'),
		isFinal: z.boolean().describe('True when the partner will send no further change'),
		isLatest: z
			.boolean()
			.describe(
				'False when a later notification about the same subject was already delivered (a late retry): do not overwrite a newer status with this one',
			),
		latestStatus: z
			.string()
			.nullable()
			.describe(
				'The newer status (Curacel: event) already delivered about the same subject when isLatest is false; null otherwise',
			),
		...identifiers,
		occurredAt: z
			.string()
			.nullable()
			.describe(
				"When the change happened at the partner (ISO 8601, UTC); null if the partner doesn't say",
			),
		receivedAt: z.string().describe('When this trigger received the delivery (ISO 8601, UTC)'),
		deliveryKey: z
			.string()
			.describe('Stable id of the notification: the same for every retry of it; upsert by it'),
		body: body.describe('The payload exactly as the partner sent it'),
	});
}

/** The normalized part of an item a trigger derives from its payload. */
export interface Normalized<Identifiers> extends Classification {
	event: string;
	status: string | null;
	identifiers: Identifiers;
	occurredAt: string | null;
}

/**
 * Everything one trigger needs that differs from the others — all of it data or small pure
 * functions. The pipeline does the rest.
 */
export interface DeliveryContract<Payload, Identifiers> {
	provider: ProviderId;
	/**
	 * Validates the parsed body; its type is the type of `body`. A function gives the schema
	 * for one body, where the partner's envelope names what the rest holds (Curacel's event).
	 */
	payload: z.ZodType<Payload> | ((json: unknown) => z.ZodType<Payload>);
	authentication: AuthenticationMethods;
	/** The node parameter holding the user's filter, and the value of a payload it matches. */
	filter: { parameter: 'statuses' | 'events'; valueOf(payload: Payload): string | null };
	normalize(payload: Payload): Normalized<Identifiers>;
	/** What makes two deliveries "the same" notification (documented in the node's help). */
	identity(payload: Payload): NotificationIdentity;
	/**
	 * The signed time of the change, where the partner signs one (Cermati's updatedAt): what
	 * Options → Maximum Age is checked against. Absent where no time is signed.
	 */
	signedTime?: { field: string; of(payload: Payload): string };
}

/** A time as ISO 8601 in UTC, or null when the partner sent none or an unreadable one. */
export function isoTime(value: unknown): string | null {
	if (typeof value !== 'string' || value.trim() === '') return null;
	const utc = utcAsWritten(value);
	if (utc !== undefined) {
		const { year, month, day, hour, minute, second, milliseconds } = utc;
		return `${year}-${month}-${day}T${hour}:${minute}:${second}.${milliseconds}Z`;
	}
	return parsedByDate(value)?.toISOString() ?? null;
}

/**
 * A time as ms since the epoch (what an order compares), or null as for `isoTime`. The usual
 * UTC form is computed from its digits: `Date.parse` of the text cost a Curacel delivery more
 * than the rest of its order.
 */
export function instantOf(value: unknown): number | null {
	if (typeof value !== 'string' || value.trim() === '') return null;
	const utc = utcAsWritten(value);
	// Date.UTC reads the years 0–99 as 1900–1999: those go to Date, which does not.
	if (utc === undefined || Number(utc.year) < 100) return parsedByDate(value)?.getTime() ?? null;
	const { year, month, day, hour, minute, second, milliseconds } = utc;
	return Date.UTC(
		Number(year),
		Number(month) - 1,
		Number(day),
		Number(hour),
		Number(minute),
		Number(second),
		Number(milliseconds),
	);
}

function parsedByDate(value: string): Date | null {
	// Microseconds (Curacel's `.000000Z`) send V8 to its slow fallback parser; milliseconds suffice.
	const time = new Date(value.replace(MICROSECONDS, '$1'));
	return Number.isNaN(time.getTime()) ? null : time;
}

/**
 * The partners' usual form, a UTC time ending in `Z`, read without V8's date parser (8% of a
 * delivery's time in a profile): milliseconds kept, further digits cut off, as `isoTime` does
 * otherwise. Anything it is not sure of (24:00, a leap second) is left to `Date`.
 */
function utcAsWritten(value: string): UtcParts | undefined {
	// A delivery asks for the same time twice (its occurredAt, its place in the order).
	if (value === lastRead.value) return lastRead.parts;
	const parts = readUtc(value);
	lastRead = { value, parts };
	return parts;
}
interface UtcParts {
	year: string;
	month: string;
	day: string;
	hour: string;
	minute: string;
	second: string;
	milliseconds: string;
}
let lastRead: { value: string; parts: UtcParts | undefined } = { value: '', parts: undefined };

function readUtc(value: string): UtcParts | undefined {
	const parts = UTC_TIME.exec(value);
	if (parts === null) return undefined;
	const [, year, month, day, hour, minute, second, fraction = ''] = parts;
	const monthNumber = Number(month);
	const valid =
		monthNumber >= 1 &&
		monthNumber <= 12 &&
		Number(day) >= 1 &&
		Number(day) <= daysInMonth(Number(year), monthNumber) &&
		Number(hour) <= 23 &&
		Number(minute) <= 59 &&
		Number(second) <= 59;
	if (!valid) return undefined;
	const milliseconds = fraction.padEnd(3, '0').slice(0, 3);
	return { year, month, day, hour, minute, second, milliseconds };
}
const UTC_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

function daysInMonth(year: number, month: number): number {
	if (month !== 2) return [4, 6, 9, 11].includes(month) ? 30 : 31;
	const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	return leap ? 29 : 28;
}
const MICROSECONDS = /(\.\d{3})\d+/;

/**
 * An ISO 8601 date-time with its time zone, `Z` or `±hh:mm` (seconds and fractions optional):
 * `2024-05-01T10:15:30+07:00`. A field that is signed together with another by plain
 * concatenation needs this fixed shape: it is what makes the boundary between the two fields
 * unambiguous, so characters cannot be moved across it under the same signature.
 */
export function isoDateTimeWithZone(description: string) {
	return (
		z
			.string()
			.regex(ISO_DATE_TIME_WITH_ZONE, {
				message: 'must be an ISO 8601 date-time with a time zone (Z or ±hh:mm)',
			})
			// Only for what has the shape (zod reports every failed check): one message per value.
			.refine((value) => !ISO_DATE_TIME_WITH_ZONE.test(value) || !Number.isNaN(Date.parse(value)), {
				message: 'is not a real date-time',
			})
			.describe(description)
	);
}
const ISO_DATE_TIME_WITH_ZONE =
	/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** Money sent as a number or a decimal string (`"55000.00"`) as a number; anything else null. */
export function amount(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
	return null;
}

/** An identifier as text (partners send ids as numbers or strings); null when absent. */
export function idText(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

/** Optional text fields are null when absent, never missing. */
export function optionalText(value: unknown): string | null {
	return typeof value === 'string' ? value : null;
}

/** Output field schemas shared by the identifier shapes of several triggers. */
export const nullableText = (description: string) => z.string().nullable().describe(description);
export const nullableNumber = (description: string) => z.number().nullable().describe(description);
