import { z } from 'zod/v4';

import {
	deliveryItemSchema,
	isoDateTimeWithZone,
	isoTime,
	type DeliveryContract,
} from '../../shared/contract';
import { classify, type StatusTable } from '../../shared/statuses';
import { cermatiAuthentication } from '../authentication';
import { cermatiPlace } from '../order';
import { CERMATI_APPLICATION_SIGNED_FIELDS } from '../signedFields';

/** Cermati's insurance application event notification body; every field is required. */
export const cermatiApplicationPayload = z.looseObject({
	refNo: z.string().min(1).describe('Your unique identifier of the application'),
	trxId: z.string().min(1).describe('Application transaction id'),
	status: z.string().min(1).describe('Status of the application'),
	link: z.string().describe('Link to retrieve the resource: {BASE_URL}/{productType}/{trxId}'),
	// Signed as trxId + updatedAt: its fixed shape keeps the two apart (see isoDateTimeWithZone).
	updatedAt: isoDateTimeWithZone(
		'Time of the status change, ISO 8601 with time zone, e.g. 2024-05-01T10:15:30+07:00',
	),
});
export type CermatiApplicationPayload = z.infer<typeof cermatiApplicationPayload>;

/** Cermati's "Insurance Application Status". */
export const cermatiApplicationStatuses = {
	VERIFYING: {
		label: 'Verifying',
		meaning: 'Cermati is verifying the application',
		outcome: 'pending',
		isFinal: false,
	},
	DATA_INCOMPLETE: {
		label: 'Data incomplete',
		meaning: 'The application needs more data; it expires after 30 days in this status',
		outcome: 'action_required',
		isFinal: false,
	},
	DATA_COMPLETE: {
		label: 'Data complete',
		meaning: 'All data of the application is complete',
		outcome: 'pending',
		isFinal: false,
	},
	WAITING_PAYMENT: {
		label: 'Waiting for payment',
		meaning: 'The application waits for payment',
		outcome: 'pending',
		isFinal: false,
	},
	ACTIVATED: {
		label: 'Activated',
		meaning: 'The insurance was activated',
		outcome: 'approved',
		isFinal: false,
	},
	ISSUED: {
		label: 'Issued',
		meaning: 'The policy was issued',
		outcome: 'active',
		isFinal: false,
	},
	REJECTED: {
		label: 'Rejected',
		meaning: 'The application was rejected',
		outcome: 'rejected',
		isFinal: true,
	},
	INVALID: {
		label: 'Invalid',
		meaning: 'The application is invalid',
		outcome: 'rejected',
		isFinal: true,
	},
	CANCELLED: {
		label: 'Cancelled',
		meaning: 'The application was cancelled',
		outcome: 'cancelled',
		isFinal: true,
	},
	EXPIRED: {
		label: 'Expired',
		meaning: 'The application stayed DATA_INCOMPLETE for 30 days',
		outcome: 'expired',
		isFinal: true,
	},
} as const satisfies StatusTable;

export const cermatiApplicationIdentifiers = {
	refNo: z.string().describe('Your reference of the application (refNo)'),
	trxId: z.string().describe("Cermati's transaction id (trxId)"),
	link: z.string().describe('Link to the application at Cermati'),
};

export const cermatiApplicationItem = deliveryItemSchema(
	'cermati',
	cermatiApplicationIdentifiers,
	cermatiApplicationPayload,
);
export type CermatiApplicationItem = z.infer<typeof cermatiApplicationItem>;

export const CERMATI_APPLICATION_SAME_DELIVERY =
	'Two deliveries are the same when trxId, status and updatedAt are all equal; for a documented status, updatedAt is compared as an instant (the same time in another offset is equal).';

export const cermatiApplication: DeliveryContract<
	CermatiApplicationPayload,
	z.infer<z.ZodObject<typeof cermatiApplicationIdentifiers>>
> = {
	provider: 'cermati',
	payload: cermatiApplicationPayload,
	authentication: cermatiAuthentication(CERMATI_APPLICATION_SIGNED_FIELDS),
	filter: { parameter: 'statuses', valueOf: (payload) => payload.status },
	signedTime: { field: 'updatedAt', of: (payload) => payload.updatedAt },
	normalize: (payload) => ({
		event: 'application.status_changed',
		status: payload.status,
		...classify(cermatiApplicationStatuses, payload.status),
		identifiers: { refNo: payload.refNo, trxId: payload.trxId, link: payload.link },
		occurredAt: isoTime(payload.updatedAt),
	}),
	identity: (payload) => ({
		subject: ['application', payload.trxId, payload.updatedAt],
		state: payload.status,
		order: cermatiPlace(
			cermatiApplicationStatuses,
			['application', payload.trxId],
			payload.status,
			payload.updatedAt,
		),
	}),
};
