import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import {
	deliveryRecordFor,
	isSubjectBusy,
	type Acceptance,
	type DeliveryRecord,
} from './deliveryRecord';
import { ReplayedSignatureError } from './errors';
import {
	SAVES_STATIC_DATA_WITH_A_RESPONSE_NODE,
	writeStaticDataPastTheRebuild,
} from './n8nVersions';
import type { Decision, DeliverySettings, Notification } from './pipeline';

/**
 * The record's part of a delivery, all of it: the claim a delivery makes on it (pure, called by
 * the pipeline), where n8n keeps it between requests, and how the partner's answer settles a
 * claim (commit or release).
 */

/** What the record made of a notification that may start the workflow. */
export interface Claim {
	/** Held as in progress until the answer settles it; absent when repeats are not tracked. */
	acceptance?: Acceptance;
	/** The status of a newer notification about the same subject already delivered, or null. */
	newerStatus: string | null;
}

/**
 * The record's part of a delivery, in one synchronous step (nothing awaits from the first look
 * to the claim, so two copies in one process cannot both be news):
 * - a genuine field signature over other content than its subject was delivered with is a
 *   replay, refused whatever status it claims (before the filter);
 * - a filtered notification is ignored without being claimed;
 * - a repeat is ignored; a copy of one in progress, or (Skip Out-of-Date on) one whose
 *   subject has another notification in progress, is to be sent again later;
 * - an out-of-date one is ignored when Skip Out-of-Date is on, and nothing of it is kept;
 * - anything else is claimed: in progress until the partner's answer commits or releases it
 *   (answered on receipt, the pipeline commits it once its item is made).
 * Curacel's `instalment.due` (`answerDecides`) is never a repeat: the answer decides a charge.
 */
export function claimNotification<Payload>(
	notification: Notification<Payload>,
	settings: DeliverySettings,
): Claim | Exclude<Decision, { action: 'emit' }> {
	const { identity, deliveryKey, signedFields } = notification;
	const tracked = settings.ignoreRepeatedDeliveries ? settings.record : undefined;
	const recalled = tracked?.recall(identity);
	if (signedFields && recalled?.known === 'conflict') {
		throw new ReplayedSignatureError(signedFields.header, signedFields.fields);
	}
	if (!notification.passesFilter) return { action: 'ignore', reason: 'filtered', deliveryKey };
	const record = identity.answerDecides ? undefined : tracked;
	if (!record) return { newerStatus: null };
	const oneAtATime = settings.skipOutOfDate === true;
	const acceptance = record.begin(identity, { oneAtATime, recalled });
	if (acceptance === 'repeated' || acceptance === 'conflict') {
		return { action: 'ignore', reason: 'repeated', deliveryKey };
	}
	if (acceptance === 'inProgress') return { action: 'inProgress', deliveryKey };
	if (isSubjectBusy(acceptance)) {
		return { action: 'inProgress', deliveryKey, subjectSettled: acceptance.settled };
	}
	if (acceptance.newerStatus !== null && settings.skipOutOfDate) {
		acceptance.release();
		return { action: 'ignore', reason: 'out_of_date', deliveryKey };
	}
	return { acceptance, newerStatus: acceptance.newerStatus };
}

// ---------------------------------------------------------------------------------------------
// n8n's side of the record: where it is kept between requests, and when a claim is settled.

/** Where a trigger keeps its record in the workflow's static data (`node:<name>` scope). */
const RECORD_KEY = 'acceptedDeliveries';

/** This request's view of the trigger's record: the record, and static data as n8n loaded it. */
export interface OpenRecord {
	record: DeliveryRecord;
	staticData: IDataObject;
	/** The record as this request found it in static data. */
	persisted: unknown;
}

/**
 * The trigger's record, with what static data holds that this process does not know merged in
 * (after a restart, or another webhook process's acceptances). Undefined when the node does not
 * ignore repeated deliveries, and on the test URL ("Listen for test event"), which runs every
 * delivery and never reads or changes the production record (n8n would not save its copy).
 */
export function openRecord(context: IWebhookFunctions): OpenRecord | undefined {
	const ignoring =
		context.getMode() !== 'manual' &&
		(context.getNodeParameter('options.ignoreRepeatedDeliveries', true) as boolean);
	if (!ignoring) return undefined;
	const staticData = context.getWorkflowStaticData('node');
	const record = deliveryRecordFor(context.getWorkflow().id ?? '', context.getNode().id);
	const persisted = staticData[RECORD_KEY];
	record.merge(persisted);
	return { record, staticData, persisted };
}

/**
 * A delivery that starts nothing: n8n then saves static data as it is, a chance to persist the
 * record when the database lacks part of it (up to 330 KB per save, so only then).
 */
export function saveIfBehind(open: OpenRecord | undefined): void {
	if (open && !open.record.isSavedAs(open.persisted)) {
		open.staticData[RECORD_KEY] = open.record.persistedView() as unknown as IDataObject;
	}
}

/**
 * Settles a claim by the answer the partner gets: at once when n8n answers on receipt; when a
 * 2XX answer is written for the other modes (committed), released when the answer is anything
 * else or the connection closes first. The record goes into static data so n8n saves it after
 * this request (not with a response node: `SAVES_STATIC_DATA_WITH_A_RESPONSE_NODE`); the view
 * serialises the record when n8n saves, so every write carries all this process accepted.
 */
export function settleClaim(
	open: OpenRecord,
	acceptance: Acceptance,
	responseMode: string,
	response: ResponseObject,
): void {
	// Answered on receipt, the pipeline committed the claim with its item (`deliveredWhenAccepted`).
	if (responseMode !== 'onReceived') settleWhenAnswered(response, acceptance);
	if (responseMode === 'responseNode' && !SAVES_STATIC_DATA_WITH_A_RESPONSE_NODE) return;
	const view = open.record.persistedView();
	writeStaticDataPastTheRebuild(() => {
		open.staticData[RECORD_KEY] = view as unknown as IDataObject;
	});
}

type ResponseObject = ReturnType<IWebhookFunctions['getResponseObject']>;

/**
 * Commits the acceptance when n8n has written a 2XX answer for it, and releases it when the
 * answer was anything else or the connection closed first (n8n stopped, the partner gave up).
 */
function settleWhenAnswered(response: ResponseObject, acceptance: Acceptance): void {
	response.once('finish', () => {
		if (response.statusCode >= 200 && response.statusCode < 300) acceptance.commit();
		else acceptance.release();
	});
	// After 'finish' as well: release() is then a no-op.
	response.once('close', () => acceptance.release());
}
