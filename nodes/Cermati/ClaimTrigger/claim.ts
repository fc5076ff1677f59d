import { z } from 'zod/v4';

import {
	amount,
	deliveryItemSchema,
	isoDateTimeWithZone,
	isoTime,
	nullableNumber,
	nullableText,
	optionalText,
	type DeliveryContract,
} from '../../shared/contract';
import { classify, entryOf, type StatusTable } from '../../shared/statuses';
import { cermatiAuthentication } from '../authentication';
import { cermatiPlace } from '../order';
import { CERMATI_CLAIM_SIGNED_FIELDS } from '../signedFields';

/** IDR amounts; a decimal string is accepted too, since senders drift between the two. */
const idr = z.union([z.number(), z.string()]).nullish();

/** Cermati's claim event notification body (public docs; not in the seed documents). */
export const cermatiClaimPayload = z.looseObject({
	refNo: z.string().min(1).describe('Your unique identifier of the application'),
	trxId: z.string().min(1).describe('Application transaction id'),
	claimId: z.string().min(1).describe('Claim id'),
	productId: z.string().min(1).describe('Product id'),
	claimType: z.string().min(1).describe('Claim type'),
	status: z.string().min(1).describe('Status of the claim'),
	insuredName: z.string().nullish().describe('Name of the insured'),
	reason: z.string().nullish().describe('Reason given with the status'),
	approvedClaimAmount: idr.describe('Approved amount in IDR'),
	reimbursedClaimAmount: idr.describe('Reimbursed amount in IDR'),
	// Signed as claimId + updatedAt: its fixed shape keeps the two apart (see isoDateTimeWithZone).
	updatedAt: isoDateTimeWithZone(
		'Time of the status change, ISO 8601 with time zone, e.g. 2024-05-01T10:15:30+07:00',
	),
});
export type CermatiClaimPayload = z.infer<typeof cermatiClaimPayload>;

/** Cermati's claim statuses. Reminders for INITIATED / DATA_INCOMPLETE come the same way. */
export const cermatiClaimStatuses = {
	INITIATED: {
		label: 'Initiated',
		meaning: 'The claim was started',
		outcome: 'pending',
		isFinal: false,
	},
	DATA_SUBMITTED: {
		label: 'Data submitted',
		meaning: 'The claimer submitted the claim data',
		outcome: 'pending',
		isFinal: false,
	},
	DATA_ON_REVIEW: {
		label: 'Data on review',
		meaning: 'The claim data is being reviewed',
		outcome: 'pending',
		isFinal: false,
	},
	DATA_ON_REVIEW_BY_SYSTEM: {
		label: 'Data on review by system',
		meaning: 'The claim data is being reviewed automatically',
		outcome: 'pending',
		isFinal: false,
	},
	DATA_INCOMPLETE: {
		label: 'Data incomplete',
		meaning: 'The claim needs more data from the claimer',
		outcome: 'action_required',
		isFinal: false,
	},
	DATA_COMPLETE: {
		label: 'Data complete',
		meaning: 'All claim data is complete',
		outcome: 'pending',
		isFinal: false,
	},
	ADDITIONAL_DATA: {
		label: 'Additional data needed',
		meaning: 'The insurer asks for additional data',
		outcome: 'action_required',
		isFinal: false,
	},
	CLAIM_APPROVED_BUT_DOCUMENTS_FOR_CLAIM_PAYMENT_NEEDED: {
		label: 'Approved, payment documents needed',
		meaning: 'The claim is approved but documents for the claim payment are needed',
		outcome: 'action_required',
		isFinal: false,
	},
	DOCUMENTS_FOR_CLAIM_PAYMENT_SUBMITTED: {
		label: 'Payment documents submitted',
		meaning: 'The documents for the claim payment were submitted',
		outcome: 'pending',
		isFinal: false,
	},
	APPROVED: {
		label: 'Approved',
		meaning: 'The claim was approved',
		outcome: 'approved',
		isFinal: false,
	},
	REIMBURSEMENT_TRANSFERRED: {
		label: 'Reimbursement transferred',
		meaning: 'The reimbursement was transferred (final)',
		outcome: 'paid',
		isFinal: true,
	},
	REJECTED: {
		label: 'Rejected',
		meaning: 'The claim was rejected',
		outcome: 'rejected',
		isFinal: true,
	},
	CANCELLED: {
		label: 'Cancelled',
		meaning: 'The claim was cancelled',
		outcome: 'cancelled',
		isFinal: true,
	},
	EXPIRED: { label: 'Expired', meaning: 'The claim expired', outcome: 'expired', isFinal: true },
	JUNK: {
		label: 'Junk',
		meaning: 'The claim was discarded as junk',
		outcome: 'cancelled',
		isFinal: true,
	},
} as const satisfies StatusTable;

const PARTIES = ['claimant', 'cermati', 'insurer'] as const;

/**
 * Who must act for the claim to move on, from Cermati's claim status page ("Action Required
 * from"): the claimant, Cermati's claim team or the insurer. A status the page leaves blank
 * (final ones, and APPROVED: the payment is under way) or does not list has no one (null).
 */
export const cermatiClaimActionRequiredFrom = {
	INITIATED: 'claimant',
	DATA_SUBMITTED: 'cermati',
	DATA_ON_REVIEW: 'cermati',
	DATA_ON_REVIEW_BY_SYSTEM: 'cermati',
	DATA_INCOMPLETE: 'claimant',
	DATA_COMPLETE: 'insurer',
	ADDITIONAL_DATA: 'claimant',
	CLAIM_APPROVED_BUT_DOCUMENTS_FOR_CLAIM_PAYMENT_NEEDED: 'claimant',
	DOCUMENTS_FOR_CLAIM_PAYMENT_SUBMITTED: 'insurer',
} as const satisfies Partial<Record<keyof typeof cermatiClaimStatuses, (typeof PARTIES)[number]>>;

export const cermatiClaimIdentifiers = {
	refNo: z.string().describe('Your reference of the application (refNo)'),
	trxId: z.string().describe("Cermati's transaction id (trxId)"),
	claimId: z.string().describe("Cermati's claim id (claimId)"),
	productId: z.string().describe('Product id (productId)'),
	claimType: z.string().describe('Claim type (claimType)'),
	insuredName: nullableText('Name of the insured (insuredName)'),
	reason: nullableText('Reason given with the status (reason)'),
	approvedClaimAmount: nullableNumber('Approved amount in IDR (approvedClaimAmount)'),
	reimbursedClaimAmount: nullableNumber('Reimbursed amount in IDR (reimbursedClaimAmount)'),
	actionRequiredFrom: z
		.enum(PARTIES)
		.nullable()
		.describe(
			"Who must act next, from Cermati's claim status page: claimant, cermati or insurer; null when no one (final, approved, or a status the page does not list)",
		),
};

export const cermatiClaimItem = deliveryItemSchema(
	'cermati',
	cermatiClaimIdentifiers,
	cermatiClaimPayload,
);
export type CermatiClaimItem = z.infer<typeof cermatiClaimItem>;

export const CERMATI_CLAIM_SAME_DELIVERY =
	'Two deliveries are the same when claimId, status and updatedAt are all equal; for a documented status, updatedAt is compared as an instant (the same time in another offset is equal).';

export const cermatiClaim: DeliveryContract<
	CermatiClaimPayload,
	z.infer<z.ZodObject<typeof cermatiClaimIdentifiers>>
> = {
	provider: 'cermati',
	payload: cermatiClaimPayload,
	authentication: cermatiAuthentication(CERMATI_CLAIM_SIGNED_FIELDS),
	filter: { parameter: 'statuses', valueOf: (payload) => payload.status },
	signedTime: { field: 'updatedAt', of: (payload) => payload.updatedAt },
	normalize: (payload) => ({
		event: 'claim.status_changed',
		status: payload.status,
		...classify(cermatiClaimStatuses, payload.status),
		identifiers: {
			refNo: payload.refNo,
			trxId: payload.trxId,
			claimId: payload.claimId,
			productId: payload.productId,
			claimType: payload.claimType,
			insuredName: optionalText(payload.insuredName),
			reason: optionalText(payload.reason),
			approvedClaimAmount: amount(payload.approvedClaimAmount),
			reimbursedClaimAmount: amount(payload.reimbursedClaimAmount),
			actionRequiredFrom: entryOf(cermatiClaimActionRequiredFrom, payload.status) ?? null,
		},
		occurredAt: isoTime(payload.updatedAt),
	}),
	identity: (payload) => ({
		subject: ['claim', payload.claimId, payload.updatedAt],
		state: payload.status,
		order: cermatiPlace(
			cermatiClaimStatuses,
			['claim', payload.claimId],
			payload.status,
			payload.updatedAt,
		),
	}),
};
