import { createHash } from 'node:crypto';
import { z } from 'zod/v4';

import {
	amount,
	deliveryItemSchema,
	idText,
	isoTime,
	nullableNumber,
	nullableText,
	optionalText,
	type DeliveryContract,
	type Normalized,
} from '../../shared/contract';
import type { NotificationIdentity } from '../../shared/deliveryRecord';
import { classify, entryOf, type Classification, type StatusTable } from '../../shared/statuses';
import { curacelAuthentication } from '../authentication';
import {
	createdPolicyPlaces,
	settledClaimPlaces,
	vettedClaimPlaces,
	voucherPlaces,
	type voucherStages,
} from '../order';

/** Curacel's envelope: every event is `{ "event": "<name>", "data": { … } }`. */
const envelope = z.looseObject({
	event: z.string().min(1).describe('Event name, e.g. claim.vetted'),
	data: z.looseObject({}).describe('The event data; its shape depends on the event'),
});

/** Ids are documented as integers but some samples quote them; both are accepted. */
const id = z.union([z.number(), z.string().min(1)]);
const optionalId = id.nullish();
/** Money arrives as numbers and as decimal strings ("55000.00"). */
const money = z.union([z.number(), z.string()]).nullish();
const text = z.string().nullish();
const customer = z.looseObject({ id: optionalId, email: text }).nullish();
const policy = z
	.looseObject({
		id: optionalId,
		number: z.union([z.string(), z.number()]).nullish(),
		status: text,
	})
	.nullish();
const order = z.looseObject({
	id,
	amount_due: money,
	currency: text,
	status: text,
	payment_made_at: text,
	meta: z.looseObject({ instalment_amount: money }).nullish(),
});

/** Claims vetting (Curacel Health): `approval_status` 1 approved, 0 rejected, null pending. */
const vettedClaim = z.looseObject({
	id,
	pile_id: optionalId,
	ref: text,
	approved_amount: money,
	approval_status: z.unknown(),
	vetted_at: text,
	status: text,
});
const dischargeVoucher = z.looseObject({
	id,
	amount: money,
	curency: text,
	currency: text,
	created_at: text,
	claim: z.looseObject({ id: optionalId, status: text }).nullish(),
	policy,
	customer,
});

type Identifiers = z.infer<z.ZodObject<typeof curacelIdentifiers>>;

/** What an event contributes to the item; unknown fields are null. */
interface EventFacts {
	status: string | null;
	identifiers: Partial<Identifiers>;
	occurredAt?: unknown;
	identity: NotificationIdentity;
	/** Overrides the table's classification (claims vetting depends on approval_status). */
	classification?: Classification;
}

interface EventDefinition<Data> {
	data: z.ZodType<Data>;
	facts(data: Data, event: string): EventFacts;
}

/**
 * Type-checks `facts` against its own schema, then erases the data type for the table: safe,
 * because `facts` is only ever called with what that same schema parsed.
 */
function defineEvent<Data>(definition: EventDefinition<Data>): EventDefinition<unknown> {
	return definition as unknown as EventDefinition<unknown>;
}

/** `approval_status`: 1 approved, 0 rejected (final), null pending; sent as numbers or strings. */
const APPROVAL: Readonly<Record<string, { status: string } & Classification>> = {
	'1': {
		status: 'approved',
		statusLabel: 'Claim vetted: approved',
		outcome: 'approved',
		isFinal: false,
	},
	'0': {
		status: 'rejected',
		statusLabel: 'Claim vetted: rejected',
		outcome: 'rejected',
		isFinal: true,
	},
	null: {
		status: 'pending',
		statusLabel: 'Claim vetted: pending',
		outcome: 'pending',
		isFinal: false,
	},
};

function approval(value: unknown): { status: string; classification: Classification } {
	const known = entryOf(APPROVAL, String(value ?? null));
	if (!known) return { status: String(value), classification: classify({}, String(value)) };
	const { status, ...classification } = known;
	return { status, classification };
}

const vetting = defineEvent({
	data: vettedClaim,
	facts: (data, event) => {
		const { status, classification } = approval(data.approval_status);
		const claimId = idText(data.id) as string;
		return {
			status,
			classification,
			identifiers: {
				claimId,
				claimRef: optionalText(data.ref),
				pileId: idText(data.pile_id),
				amount: amount(data.approved_amount),
			},
			occurredAt: data.vetted_at,
			identity: {
				subject: [event, claimId, data.vetted_at ?? ''],
				state: status,
				// Only the documented approval values are ordered; any other is never out of date.
				order: entryOf(APPROVAL, String(data.approval_status ?? null))
					? vettedClaimPlaces(claimId, data.vetted_at, status)
					: [],
			},
		};
	},
});

const voucher = defineEvent({
	data: dischargeVoucher,
	facts: (data, event) => {
		const voucherId = idText(data.id) as string;
		return {
			status: optionalText(data.claim?.status),
			identifiers: {
				voucherId,
				claimId: idText(data.claim?.id),
				policyId: idText(data.policy?.id),
				policyNumber: idText(data.policy?.number),
				customerEmail: optionalText(data.customer?.email),
				amount: amount(data.amount),
				// The sender spells it `curency` here.
				currency: optionalText(data.curency ?? data.currency),
			},
			occurredAt: data.created_at,
			identity: {
				subject: [event, voucherId],
				state: '',
				order: voucherPlaces(
					event as keyof typeof voucherStages,
					voucherId,
					idText(data.claim?.id),
				),
			},
		};
	},
});

/** The data definitions per Curacel event, in the partner's documentation order. */
const eventData: Readonly<Record<string, EventDefinition<unknown>>> = {
	'claim.pile.vetting_done': vetting,
	'claim.vetted': vetting,
	'policy.created': defineEvent({
		data: z.looseObject({
			id,
			number: z.union([z.string(), z.number()]).nullish(),
			status: text,
			provider: z.unknown(),
			insurer: z.unknown(),
			customer,
			order: order.nullish(),
		}),
		facts: (data, event) => {
			const policyId = idText(data.id) as string;
			// Curacel may send this event twice; the version naming the insurer takes precedence.
			const complete = data.provider != null || data.insurer != null;
			return {
				status: optionalText(data.status) ?? optionalText(data.order?.status),
				identifiers: {
					policyId,
					policyNumber: idText(data.number),
					orderId: idText(data.order?.id),
					customerEmail: optionalText(data.customer?.email),
					amount: amount(data.order?.amount_due),
					currency: optionalText(data.order?.currency),
				},
				identity: {
					subject: [event, policyId],
					state: complete ? 'with-insurer' : 'without-insurer',
					outrankedBy: complete ? [] : ['with-insurer'],
					order: createdPolicyPlaces(policyId, complete),
				},
			};
		},
	}),
	'discharge_voucher.created': voucher,
	'discharge_voucher.paid': voucher,
	'claim.settled': defineEvent({
		data: z.looseObject({
			id,
			status: text,
			amount_approved: money,
			currency: text,
			created_at: text,
			policy,
			customer,
		}),
		facts: (data, event) => {
			const claimId = idText(data.id) as string;
			return {
				status: optionalText(data.status),
				identifiers: {
					claimId,
					policyId: idText(data.policy?.id),
					policyNumber: idText(data.policy?.number),
					customerEmail: optionalText(data.customer?.email),
					amount: amount(data.amount_approved),
					currency: optionalText(data.currency),
				},
				occurredAt: data.created_at,
				identity: {
					subject: [event, claimId],
					state: optionalText(data.status) ?? '',
					order: settledClaimPlaces(claimId),
				},
			};
		},
	}),
	'order.cancelled': defineEvent({
		data: z.looseObject({ order, customer }),
		facts: (data, event) => {
			const orderId = idText(data.order.id) as string;
			return {
				status: optionalText(data.order.status),
				identifiers: {
					orderId,
					customerEmail: optionalText(data.customer?.email),
					amount: amount(data.order.amount_due),
					currency: optionalText(data.order.currency),
				},
				identity: { subject: [event, orderId], state: '' },
			};
		},
	}),
	'instalment.due': defineEvent({
		data: z.looseObject({ order, policy, customer }),
		facts: (data, event) => {
			const orderId = idText(data.order.id) as string;
			return {
				status: optionalText(data.order.status),
				identifiers: {
					orderId,
					policyId: idText(data.policy?.id),
					policyNumber: idText(data.policy?.number),
					customerEmail: optionalText(data.customer?.email),
					amount: amount(data.order.meta?.instalment_amount ?? data.order.amount_due),
					currency: optionalText(data.order.currency),
				},
				identity: {
					subject: [event, orderId, data.order.payment_made_at ?? ''],
					state: '',
					// The answer authorises or declines the charge: a retry must reach the workflow again.
					answerDecides: true,
				},
			};
		},
	}),
};

/** The events a user can filter on, with what Curacel says of each. */
export const curacelEvents = {
	'claim.pile.vetting_done': {
		label: 'Claim pile vetting done',
		meaning:
			'All claims in a pile are vetted; sent once for every claim in the pile, one after the other',
		outcome: 'pending',
		isFinal: false,
	},
	'claim.vetted': {
		label: 'Claim vetted',
		meaning: 'One claim was vetted, whether or not its pile is done',
		outcome: 'pending',
		isFinal: false,
	},
	'policy.created': {
		label: 'Policy created',
		meaning:
			'An insurance policy was created for your order (may come twice; the one naming the insurer wins)',
		outcome: 'active',
		isFinal: false,
	},
	'discharge_voucher.created': {
		label: 'Discharge voucher created',
		meaning: 'A discharge voucher was issued for your claim',
		outcome: 'approved',
		isFinal: false,
	},
	'discharge_voucher.paid': {
		label: 'Discharge voucher paid',
		meaning: 'The accepted discharge voucher has been paid',
		outcome: 'paid',
		isFinal: false,
	},
	'claim.settled': {
		label: 'Claim settled',
		meaning: "A claim has been settled, typically after the claim's voucher was paid",
		outcome: 'paid',
		isFinal: true,
	},
	'order.cancelled': {
		label: 'Order cancelled',
		meaning: 'An order was cancelled',
		outcome: 'cancelled',
		isFinal: true,
	},
	'instalment.due': {
		label: 'Instalment due',
		meaning:
			'Your card is about to be charged for a recurring policy payment; answer 2XX to authorise, anything else declines',
		outcome: 'action_required',
		isFinal: false,
	},
} as const satisfies StatusTable;

/**
 * The body as validated: the envelope, plus the event's own required fields for events
 * Curacel documents; an event nobody documented passes with the envelope alone. The envelope
 * and the event's data are checked in one pass by a schema chosen by the event's name: a zod
 * transform with a nested parse cost four times as much (BENCHMARKS.md, the pipeline alone).
 */
const payloadOfEvent: Readonly<Record<string, z.ZodType<CuracelPayload>>> = Object.fromEntries(
	Object.entries(eventData).map(([event, definition]) => [
		event,
		envelope.extend({ data: definition.data }) as unknown as z.ZodType<CuracelPayload>,
	]),
);

export function curacelPayload(json: unknown): z.ZodType<CuracelPayload> {
	const event = (json as { event?: unknown } | null)?.event;
	return (
		(typeof event === 'string' && entryOf(eventData, event) && payloadOfEvent[event]) || envelope
	);
}
export type CuracelPayload = z.output<typeof envelope>;
/** What Curacel sends, as it appears in `body`. */
export type CuracelBody = z.input<typeof envelope>;

/** What the event contributes to the item, from data its own schema has validated. */
function factsOf(payload: CuracelPayload): EventFacts {
	const definition = entryOf(eventData, payload.event);
	return definition
		? definition.facts(payload.data, payload.event)
		: undocumentedEventFacts(payload);
}

export const curacelIdentifiers = {
	claimId: nullableText('Claim id (data.id of claim events, data.claim.id of vouchers)'),
	claimRef: nullableText("The claim's reference on the source system (data.ref)"),
	pileId: nullableText('Id of the pile the claim belongs to (data.pile_id)'),
	policyId: nullableText('Policy id'),
	policyNumber: nullableText('Policy number'),
	orderId: nullableText('Order id'),
	voucherId: nullableText('Discharge voucher id'),
	customerEmail: nullableText("The customer's email"),
	amount: nullableNumber(
		'The amount of the event: approved amount, voucher amount, amount due or instalment; decimal strings become numbers',
	),
	currency: nullableText('Currency code of the amount'),
};

const NO_IDENTIFIERS: Identifiers = {
	claimId: null,
	claimRef: null,
	pileId: null,
	policyId: null,
	policyNumber: null,
	orderId: null,
	voucherId: null,
	customerEmail: null,
	amount: null,
	currency: null,
};

export const curacelItem = deliveryItemSchema('curacel', curacelIdentifiers, envelope);
export type CuracelItem = z.infer<typeof curacelItem>;

export const CURACEL_SAME_DELIVERY =
	'Two deliveries are the same when they carry the same event and the same main id (and, for claims vetting, the same vetted_at and approval_status); a policy.created without the insurer after one with it is also a repeat. instalment.due is never suppressed, because its answer authorises the charge.';

/** An event Curacel did not document: its status and id, if the data has them. */
function undocumentedEventFacts(payload: z.output<typeof envelope>): EventFacts {
	const status = optionalText(payload.data.status);
	// Without an id, the event is identified by its data, hashed to keep the key short.
	const eventId =
		idText(payload.data.id) ??
		`sha256-${createHash('sha256').update(JSON.stringify(payload.data)).digest('hex').slice(0, 16)}`;
	return {
		status,
		identifiers: {},
		identity: { subject: [payload.event, eventId], state: status ?? '' },
	};
}

function normalize(payload: CuracelPayload): Normalized<Identifiers> {
	const facts = factsOf(payload);
	const { statusLabel, outcome, isFinal } =
		facts.classification ?? classify(curacelEvents, payload.event);
	return {
		event: payload.event,
		status: facts.status,
		statusLabel,
		outcome,
		isFinal,
		identifiers: { ...NO_IDENTIFIERS, ...facts.identifiers },
		occurredAt: isoTime(facts.occurredAt),
	};
}

export const curacel: DeliveryContract<CuracelPayload, Identifiers> = {
	provider: 'curacel',
	payload: curacelPayload,
	authentication: curacelAuthentication,
	filter: { parameter: 'events', valueOf: (payload) => payload.event },
	normalize,
	identity: (payload) => factsOf(payload).identity,
};
