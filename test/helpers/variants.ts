/**
 * What the suites send a trigger besides its samples, worked out from the trigger's contract
 * and samples instead of written out per trigger: a new notification, the sample without a
 * field the partner always sends or with one of the wrong type, a field that carries free
 * text, a forged delivery, and a filter the main sample falls outside of. A partner added to
 * the registry gets all of them without a row in any table; when its samples do not allow one
 * (no subject that can be replaced, no required field…), the first suite to ask says which and
 * why. test/unit/variants.test.ts checks, for every trigger and for a fictional partner, that
 * each one is what it claims to be — through the pipeline itself.
 */
import { deliveryContracts } from '../../index';
import type { DeliveryContract } from '../../nodes/shared/contract';
import type { OrderPlace } from '../../nodes/shared/order';
import { InvalidPayloadError } from '../../nodes/shared/errors';
import { processDelivery } from '../../nodes/shared/pipeline';
import { readSample } from '../../sender/src/deliveries';
import { triggerNode } from './nodes';
import type { TestTrigger } from './triggers';

type Json = Record<string, unknown>;

export interface VariantSource {
	/** For messages: the trigger's node name. */
	name: string;
	contract: DeliveryContract<unknown, unknown>;
	/** Its samples' bytes by `<provider>-<event>`. */
	samples: ReadonlyMap<string, Buffer>;
	/** The sample its demo sends: the one every variant starts from. */
	mainEvent: string;
	/** The values its filter offers (the node's `statuses` or `events` options). */
	filterOptions: readonly string[];
}

/** A delivery: the sample it was made from (its `providerEvent`) and its bytes. */
export interface Variant {
	providerEvent: string;
	body: Buffer;
}

export interface TriggerVariants {
	/** The main sample with its subject (what the notification is about) replaced by `id`. */
	distinct(id: string): Buffer;
	/** The first field of the main sample the schema requires, and the sample without it. */
	withoutRequired: { field: string; body: Json };
	/** The first field whose value, of another JSON type, the schema refuses, and that body. */
	wrongType: { field: string; body: Json };
	/** A string (at `path`) that can carry more text without changing the notification. */
	freeText: { path: string[]; value: string };
	/** One filter value the main sample is outside of; the samples outside it; one inside. */
	filter: { selected: string[]; outside: string[]; inside: Variant };
	/**
	 * A delivery a filter set to `selected` lets through (none selected lets all through): the
	 * main sample, else another sample with a selected value, else the main sample with its
	 * value replaced by a selected one.
	 */
	admittedBy(selected: readonly string[]): Variant;
	/**
	 * A subject's lifecycle, oldest first, about subject `id`: each step comes later in the
	 * partner's order than the one before (a later stage, or a later time of change), so each
	 * step delivered makes every earlier one out of date.
	 */
	lifecycle(id: string): LifecycleStep[];
}

export interface LifecycleStep {
	body: Buffer;
	/** The `deliveryKey` of its item. */
	deliveryKey: string;
	/** Its status (or event) as the order names it. */
	status: string;
}

/** How many steps a lifecycle ordered by time has (a stage-ordered one has one per stage). */
export const TIMED_LIFECYCLE_STEPS = 5;

const SETTINGS = { selected: [], ignoreRepeatedDeliveries: false, receivedAt: new Date() };

interface Notification {
	deliveryKey: string;
	filterValue: string | null;
	subject: readonly string[];
	/** Its first place in its subject's order, if the partner orders it. */
	place?: OrderPlace;
}

/** What the pipeline makes of `body` (authentication aside): the notification, or the refusal. */
function readBy(
	contract: DeliveryContract<unknown, unknown>,
	body: Buffer,
): Notification | { refused: unknown } {
	try {
		const decision = processDelivery(
			contract,
			{ type: 'none' },
			{ headers: {}, rawBody: body },
			SETTINGS,
		);
		if (decision.action !== 'emit') return { refused: decision };
		const json: unknown = decision.item.body;
		const schema =
			typeof contract.payload === 'function' ? contract.payload(json) : contract.payload;
		const payload = schema.parse(json);
		const identity = contract.identity(payload);
		return {
			deliveryKey: decision.item.deliveryKey,
			filterValue: contract.filter.valueOf(payload),
			subject: identity.subject,
			place: identity.order?.[0],
		};
	} catch (refused) {
		return { refused };
	}
}

const isNotification = (read: ReturnType<typeof readBy>): read is Notification =>
	!('refused' in read);

const bytes = (json: unknown) => Buffer.from(JSON.stringify(json), 'utf8');

/** Whether the pipeline refuses `body` as invalid, naming `field` (or something inside it). */
function refusesField(contract: DeliveryContract<unknown, unknown>, body: Json, field: string) {
	const read = readBy(contract, bytes(body));
	return (
		!isNotification(read) &&
		read.refused instanceof InvalidPayloadError &&
		read.refused.issues.some((issue) => issue.path === field || issue.path.startsWith(`${field}.`))
	);
}

/** A value of another JSON type than `value`. */
const otherType = (value: unknown): unknown =>
	typeof value === 'string'
		? 12345
		: `not ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}`;

const occurrences = (text: string, part: string) => text.split(part).length - 1;

/** Every string in `value`, depth first, with its path. */
function stringsIn(value: unknown, path: string[] = []): Array<{ path: string[]; value: string }> {
	if (typeof value === 'string') return [{ path, value }];
	if (value === null || typeof value !== 'object') return [];
	return Object.entries(value).flatMap(([key, inner]) => stringsIn(inner, [...path, key]));
}

/** A copy of `json` with `value` at `path`. */
export function withValueAt(json: unknown, path: readonly string[], value: unknown): unknown {
	if (path.length === 0) return value;
	const [key, ...rest] = path;
	const copy = (Array.isArray(json) ? [...json] : { ...(json as Json) }) as Json;
	copy[key] = withValueAt(copy[key], rest, value);
	return copy;
}

export function variantsOf(source: VariantSource): TriggerVariants {
	const { name, contract, mainEvent } = source;
	const sampleOf = (providerEvent: string) => {
		const body = source.samples.get(providerEvent);
		if (!body) throw new Error(`${name}: no sample ${providerEvent}`);
		return body;
	};
	const cannot = (what: string): never => {
		throw new Error(`${name}: cannot work out ${what} from its sample ${mainEvent}`);
	};
	const mainBody = sampleOf(mainEvent);
	const main = readBy(contract, mainBody);
	if (!isNotification(main)) throw new Error(`${name}: its sample ${mainEvent} is not accepted`);
	const text = mainBody.toString('utf8');
	const json = JSON.parse(text) as Json;
	const fields = Object.keys(json);

	// The first part of the subject written once in the sample, as a JSON string, that any id
	// can replace: its first part, which usually names the kind of thing, is tried last, and
	// parts that must stay a time (Cermati's updatedAt) are passed over.
	const replacing = (literal: string) => (id: string) =>
		Buffer.from(text.replace(literal, JSON.stringify(id)), 'utf8');
	const literal = [...main.subject.slice(1), ...main.subject.slice(0, 1)]
		.map((part) => JSON.stringify(part))
		.find((part) => {
			if (occurrences(text, part) !== 1) return false;
			const probe = readBy(contract, replacing(part)('variant-probe-1'));
			return isNotification(probe) && probe.deliveryKey !== main.deliveryKey;
		});
	const distinct = replacing(literal ?? cannot('a new notification'));

	const withoutField = (field: string) =>
		Object.fromEntries(Object.entries(json).filter(([key]) => key !== field));
	const required = fields.find((field) => refusesField(contract, withoutField(field), field));
	const mistyped = fields.find((field) =>
		refusesField(contract, { ...json, [field]: otherType(json[field]) }, field),
	);
	const freeText = stringsIn(json).find(({ path, value }) => {
		if (occurrences(text, JSON.stringify(value)) !== 1) return false;
		const read = readBy(contract, bytes(withValueAt(json, path, `${value} (free text ✓)`)));
		return (
			isNotification(read) &&
			read.deliveryKey === main.deliveryKey &&
			read.filterValue === main.filterValue
		);
	});

	return {
		distinct,
		withoutRequired: required
			? { field: required, body: withoutField(required) }
			: cannot('a required field'),
		wrongType: mistyped
			? { field: mistyped, body: { ...json, [mistyped]: otherType(json[mistyped]) } }
			: cannot('a field of the wrong type'),
		freeText: freeText ?? cannot('a free-text field'),
		// From a new notification: one signed pair with another status would be a replay.
		filter: filterOf(source, main, distinct('filter-inside-1').toString('utf8'), cannot),
		admittedBy: (selected) => admittedBy(source, main, selected, cannot),
		lifecycle: (id) => lifecycleOf(source, main, distinct(id).toString('utf8'), cannot),
	};
}

/**
 * A lifecycle from the main sample about a new subject (`text`), worked out through the
 * pipeline: its filter value replaced by each option the pipeline places in the same subject's
 * order. Ranked by stage, one status per stage in stage order; ranked by the time of change
 * (all options share the sample's stage), the first options in turn at times a minute apart,
 * in the sample's time field (the one string whose change moves the rank).
 */
function lifecycleOf(
	source: VariantSource,
	main: Notification,
	text: string,
	cannot: (what: string) => never,
): LifecycleStep[] {
	const current = JSON.stringify(main.filterValue);
	if (occurrences(text, current) !== 1) return cannot('a lifecycle (its filter value twice)');
	const first = readBy(source.contract, Buffer.from(text, 'utf8'));
	const start = isNotification(first) && first.place ? first.place : cannot('an ordered subject');
	const subject = JSON.stringify(start.subject);
	const placed = (body: string) => {
		const read = readBy(source.contract, Buffer.from(body, 'utf8'));
		return isNotification(read) && JSON.stringify(read.place?.subject) === subject
			? { ...read, place: read.place as OrderPlace, body: Buffer.from(body, 'utf8') }
			: undefined;
	};
	const options = source.filterOptions.flatMap((value) => {
		const read = placed(text.replace(current, JSON.stringify(value)));
		return read ? [read] : [];
	});
	const stages = [...new Set(options.map((read) => read.place.rank))].sort((a, b) => a - b);
	const step = (read: Notification & { body: Buffer; place: OrderPlace }) => ({
		body: read.body,
		deliveryKey: read.deliveryKey,
		status: read.place.status,
	});
	if (stages.length > 1) {
		return stages.map((rank) => step(options.find((read) => read.place.rank === rank)!));
	}
	const json = JSON.parse(text) as Json;
	const timeField = stringsIn(json).find(({ path, value }) => {
		if (!Number.isFinite(Date.parse(value))) return false;
		const later = new Date(Date.parse(value) + 60_000).toISOString();
		const read = placed(JSON.stringify(withValueAt(json, path, later)));
		return read !== undefined && read.place.rank > start.rank;
	});
	if (!timeField || options.length === 0) return cannot('a lifecycle (no stages, no time)');
	const startsAt = Date.parse(timeField.value);
	return Array.from({ length: TIMED_LIFECYCLE_STEPS }, (_, n) => {
		const option = options[n % options.length];
		const body = JSON.parse(option.body.toString('utf8')) as Json;
		const at = new Date(startsAt + n * 60_000).toISOString();
		const read = placed(JSON.stringify(withValueAt(body, timeField.path, at)));
		return step(read ?? cannot('a lifecycle step at a later time'));
	});
}

/** The filter value of each sample, by `<provider>-<event>`, in the samples' order. */
function filterValuesOf(source: VariantSource): Map<string, string | null> {
	const values = new Map<string, string | null>();
	for (const [providerEvent, body] of source.samples) {
		const read = readBy(source.contract, body);
		if (!isNotification(read))
			throw new Error(`${source.name}: its sample ${providerEvent} is not accepted`);
		values.set(providerEvent, read.filterValue);
	}
	return values;
}

/**
 * `text` (the main sample, or a new notification made from it) with its filter value replaced
 * by the first of `values` the pipeline reads back as the notification's value.
 */
function withFilterValue(
	source: VariantSource,
	main: Notification,
	text: string,
	values: readonly string[],
): { value: string; body: Buffer } | undefined {
	const current = JSON.stringify(main.filterValue);
	if (occurrences(text, current) !== 1) return undefined;
	for (const value of values) {
		const body = Buffer.from(text.replace(current, JSON.stringify(value)), 'utf8');
		const read = readBy(source.contract, body);
		if (isNotification(read) && read.filterValue === value) return { value, body };
	}
	return undefined;
}

/**
 * A filter the main sample falls outside of: the value of another sample when there is one
 * (that sample is the delivery inside it), else another option, with the value replaced by it
 * in `text` (a notification other than the main sample) for the delivery inside.
 */
function filterOf(
	source: VariantSource,
	main: Notification,
	text: string,
	cannot: (what: string) => never,
): TriggerVariants['filter'] {
	const values = filterValuesOf(source);
	const outsideOf = (value: string) =>
		[...values].filter(([, other]) => other !== value).map(([providerEvent]) => providerEvent);
	const other = [...values].find(([, value]) => value !== null && value !== main.filterValue);
	if (other) {
		const [providerEvent, value] = other as [string, string];
		return {
			selected: [value],
			outside: outsideOf(value),
			inside: { providerEvent, body: source.samples.get(providerEvent) as Buffer },
		};
	}
	const options = source.filterOptions.filter((value) => value !== main.filterValue);
	const inside = withFilterValue(source, main, text, options);
	if (!inside) return cannot('a filter it falls outside of');
	return {
		selected: [inside.value],
		outside: outsideOf(inside.value),
		inside: { providerEvent: source.mainEvent, body: inside.body },
	};
}

/** See `TriggerVariants.admittedBy`. */
function admittedBy(
	source: VariantSource,
	main: Notification,
	selected: readonly string[],
	cannot: (what: string) => never,
): Variant {
	const values = filterValuesOf(source);
	const admitted = [source.mainEvent, ...values.keys()].find((providerEvent) => {
		const value = values.get(providerEvent) ?? null;
		return selected.length === 0 || (value !== null && selected.includes(value));
	});
	if (admitted) return { providerEvent: admitted, body: source.samples.get(admitted) as Buffer };
	const text = (source.samples.get(source.mainEvent) as Buffer).toString('utf8');
	const replaced = withFilterValue(source, main, text, selected);
	return replaced
		? { providerEvent: source.mainEvent, body: replaced.body }
		: cannot(`a delivery a filter on ${selected.join(', ')} lets through`);
}

const cache = new Map<string, TriggerVariants>();

/** The variants of a trigger of the registry (its contract from index.ts, its samples). */
export function variantsOfTrigger(trigger: TestTrigger): TriggerVariants {
	const known = cache.get(trigger.nodeName);
	if (known) return known;
	const property = triggerNode(trigger.nodeName).description.properties.find(
		(candidate) => candidate.name === trigger.filter,
	);
	const variants = variantsOf({
		name: trigger.nodeName,
		contract: deliveryContracts[trigger.nodeName],
		samples: new Map(trigger.providerEvents.map((id) => [id, readSample(id)])),
		mainEvent: trigger.mainEvent,
		filterOptions: (property?.options ?? []).map((option) =>
			String((option as { value: unknown }).value),
		),
	});
	cache.set(trigger.nodeName, variants);
	return variants;
}

/**
 * A forged delivery of the main sample for this partner: where its scheme covers the body, the
 * genuine headers of the sample sent with a new notification (a changed subject); where only a
 * key or token is checked, the sample with the credential of another secret.
 */
export function forgedDelivery(
	variants: TriggerVariants,
	sample: Buffer,
	sign: (body: Buffer, secret?: string) => Record<string, string>,
): { body: Buffer; headers: Record<string, string> } {
	const changed = variants.distinct('forged-0001');
	const genuine = sign(sample);
	const coversBody = JSON.stringify(sign(changed)) !== JSON.stringify(genuine);
	return coversBody
		? { body: changed, headers: genuine }
		: { body: sample, headers: sign(sample, 'not-the-partner-secret-0000') };
}

/** The header the scheme puts the key or signature in (the one besides Content-Type). */
export function credentialHeaderOf(headers: Record<string, string>): string {
	const names = Object.keys(headers).filter((header) => header.toLowerCase() !== 'content-type');
	if (names.length !== 1)
		throw new Error(`expected one credential header, got ${names.join(', ')}`);
	return names[0];
}
