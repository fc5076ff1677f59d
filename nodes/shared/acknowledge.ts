import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { DeliveryRejectedError, MisconfiguredTriggerError } from './errors';
import { refuseAnUnansweredEnd } from './n8nVersions';
import type { Decision } from './pipeline';
import { saveIfBehind, settleClaim, type OpenRecord } from './recordStage';
import {
	MIN_ALERT_INTERVAL_MINUTES,
	describeRejection,
	RejectionAlerts,
	type Refusal,
	type RejectedDelivery,
} from './rejection';
import { clientAddress, readRawBody } from './request';

/**
 * The partner's answer, the last stage of a delivery. Only a 2XX answer means delivered: an
 * accepted notification is answered by n8n per the node's Respond mode, and settles its claim
 * on the record by that answer; one that starts nothing is answered here, and a refusal too.
 */
export function acknowledge(
	context: IWebhookFunctions,
	decision: Decision<object & { deliveryKey: string }>,
	open: OpenRecord | undefined,
): IWebhookResponseData {
	if (decision.action !== 'emit') {
		saveIfBehind(open);
		if (decision.action === 'inProgress') {
			return answerInProgress(context, decision.deliveryKey, decision.subjectSettled !== undefined);
		}
		context.logger.debug(`Delivery ${decision.deliveryKey} ignored: ${decision.reason}`);
		return {
			webhookResponse: {
				received: true,
				ignored: decision.reason,
				deliveryKey: decision.deliveryKey,
			},
		};
	}
	const responseMode = context.getNodeParameter('responseMode', 'onReceived') as string;
	const response = context.getResponseObject();
	if (decision.acceptance && open) settleClaim(open, decision.acceptance, responseMode, response);
	if (responseMode === 'responseNode') refuseAnUnansweredEnd(response);
	const accepted = context.helpers.returnJsonArray([decision.item as unknown as IDataObject]);
	return {
		webhookResponse: { received: true, deliveryKey: decision.item.deliveryKey },
		workflowData: hasRejectedOutput(context) ? [accepted, []] : [accepted],
	};
}

/**
 * A refusal: answered here with its status and a message that names no secret, expected
 * value, or anything the sender wrote; anything that is not a `DeliveryRejectedError` is a
 * 500 that says nothing. With Options → Output Rejected Deliveries, it also starts the Rejected
 * output (at most once per interval and check).
 */
export async function refuse(
	context: IWebhookFunctions,
	error: unknown,
	readHeaders: readonly string[],
): Promise<IWebhookResponseData> {
	const rejection = error instanceof DeliveryRejectedError ? error : undefined;
	const status = rejection?.httpStatus ?? 500;
	const body = rejection?.toResponseBody() ?? { error: 'The delivery could not be processed' };
	// The caller gets `body`; the owner (n8n's log, the Rejected output) also learns what to
	// fix where the two differ (a misconfiguration). Neither names a secret, an expected
	// value, or anything the sender wrote.
	const reason = rejection?.message ?? body.error;
	if (rejection instanceof MisconfiguredTriggerError) {
		context.logger.warn(`"${context.getNode().name}" answered ${status}: ${reason}`);
	} else {
		context.logger.info(`Delivery rejected with ${status}: ${reason}`);
	}
	if (!rejection) context.logger.error(`Unexpected error in ${context.getNode().type}`, { error });
	context.getResponseObject().status(status).json(body);
	const refusal = { check: rejection?.check ?? 'unexpected_error', httpStatus: status, reason };
	const alert = await rejectionAlertFor(context, refusal, readHeaders);
	return alert
		? {
				noWebhookResponse: true,
				workflowData: [[], context.helpers.returnJsonArray([alert as unknown as IDataObject])],
			}
		: { noWebhookResponse: true };
}

/** How long a partner is asked to wait before resending a copy of a notification in progress. */
export const IN_PROGRESS_RETRY_AFTER_SECONDS = 30;

/**
 * A copy of a notification whose first copy is still running, or (`subjectBusy`) a
 * notification whose subject's other notification still runs after `SUBJECT_WAIT_MS`: not
 * 2XX, so the partner sends it again (by then the first one has been answered).
 */
function answerInProgress(
	context: IWebhookFunctions,
	deliveryKey: string,
	subjectBusy: boolean,
): IWebhookResponseData {
	const running = subjectBusy ? 'another notification about its subject' : 'its first copy';
	context.logger.debug(`Delivery ${deliveryKey} answered 409: ${running} is still running`);
	context
		.getResponseObject()
		.status(409)
		.set('Retry-After', String(IN_PROGRESS_RETRY_AFTER_SECONDS))
		.json({
			received: true,
			inProgress: true,
			deliveryKey,
			message: subjectBusy
				? 'Another notification about the same subject is still being processed; send this one again later. It counts as delivered once it is answered 2XX.'
				: 'This notification is still being processed; send it again later. It counts as delivered once it is answered 2XX.',
		});
	return { noWebhookResponse: true };
}

function hasRejectedOutput(context: IWebhookFunctions): boolean {
	return context.getNodeParameter('options.rejectedOutput', false) === true;
}

/** Alerts of every trigger in this process, one interval per trigger and check. */
const rejectionAlerts = new RejectionAlerts();

/**
 * The Rejected output's item for a refusal that has already been answered, or undefined when
 * the option is off or an alert of the same check went out within the interval. The test URL
 * shows every refusal: someone is watching it.
 */
async function rejectionAlertFor(
	context: IWebhookFunctions,
	refusal: Refusal,
	readHeaders: readonly string[],
): Promise<RejectedDelivery | undefined> {
	if (!hasRejectedOutput(context)) return undefined;
	const now = new Date();
	let suppressed = 0;
	if (context.getMode() !== 'manual') {
		const minutes = context.getNodeParameter(
			'options.rejectedAlertInterval',
			MIN_ALERT_INTERVAL_MINUTES,
		) as number;
		const key = `${context.getWorkflow().id ?? ''}\u0000${context.getNode().id}\u0000${refusal.check}`;
		const intervalMs = Math.max(minutes, MIN_ALERT_INTERVAL_MINUTES) * 60_000;
		const admitted = rejectionAlerts.admit(key, now.getTime(), intervalMs);
		if (!admitted) return undefined;
		suppressed = admitted.suppressed;
	}
	const request = context.getRequestObject();
	const rawBody = await readRawBody(request).catch(() => undefined);
	const received = Object.keys(context.getHeaderData());
	return describeRejection(
		refusal,
		{
			headerNames: readHeaders.filter((name) => received.includes(name)),
			rawBody,
			remoteAddress: clientAddress(request),
		},
		now,
		suppressed,
	);
}
