import {
	sleep,
	type IDataObject,
	type IHookFunctions,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { configuredScheme } from './authentication';
import { signatureHeaderName, type AuthScheme } from './authSchemes';
import type { DeliveryContract } from './contract';
import { deliveryRecordFor, type Acceptance, type DeliveryRecord } from './deliveryRecord';
import {
	AuthenticationError,
	DeliveryRejectedError,
	MisconfiguredTriggerError,
	ReplayedSignatureError,
	SourceNotAllowedError,
	StaleDeliveryError,
	UnreadableBodyError,
} from './errors';
import type { PartnerGuidance } from './partner';
import { processDelivery } from './pipeline';
import {
	DEFAULT_ALERT_INTERVAL_MINUTES,
	describeRejection,
	RejectionAlerts,
	type Refusal,
	type RejectedDelivery,
} from './rejection';
import { parseAllowlist } from './sourceAddress';

/** Where a trigger keeps its state in the workflow's static data (`node:<name>` scope). */
const RECORD_KEY = 'acceptedDeliveries';
const REGISTRATION_KEY = 'registration';

/**
 * n8n calls this for every POST to the trigger's URL. It never throws: an exception here
 * would make n8n start an execution with an error, which is exactly what a forged or broken
 * delivery must not do. Rejections are answered here; accepted deliveries start the workflow.
 *
 * The partners read only a 2XX answer as "delivered, never send again", so a notification is
 * remembered as delivered only once its answer was 2XX: at once when n8n answers on receipt,
 * when the answer is written when the workflow answers (last node, or a response node). A run
 * that fails, declines, or is cut short is forgotten, and the partner's retry runs it again.
 */
export async function receiveDelivery<Payload, Identifiers>(
	context: IWebhookFunctions,
	contract: DeliveryContract<Payload, Identifiers>,
): Promise<IWebhookResponseData> {
	const request = context.getRequestObject();
	// The headers an alert may name: those this trigger reads, never ones the sender made up.
	const readHeaders = ['content-type'];
	try {
		refuseUnlistedSource(context, request);
		const configured = await configuredScheme(context, contract.authentication);
		const credentialHeader = signatureHeaderName(configured.scheme);
		if (credentialHeader) readHeaders.push(credentialHeader.toLowerCase());
		const rawBody = await readRawBody(request);
		// The test URL ("Listen for test event") runs every delivery: it never reads or changes
		// the production record, whose copy of static data n8n would not save anyway.
		const ignoreRepeatedDeliveries =
			context.getMode() !== 'manual' &&
			(context.getNodeParameter('options.ignoreRepeatedDeliveries', true) as boolean);
		const staticData = context.getWorkflowStaticData('node');
		const record = ignoreRepeatedDeliveries
			? deliveryRecordFor(context.getWorkflow().id ?? '', context.getNode().id)
			: undefined;
		const persisted = staticData[RECORD_KEY];
		record?.merge(persisted);

		const delivery = { headers: context.getHeaderData(), rawBody };
		const settings = {
			selected: context.getNodeParameter(contract.filter.parameter, []) as string[],
			ignoreRepeatedDeliveries,
			record,
			receivedAt: new Date(),
			maxAgeMinutes: context.getNodeParameter('options.maxAge', 0) as number,
			skipOutOfDate: context.getNodeParameter(
				'options.skipOutOfDate',
				skipsOutOfDateByDefault(context.getNode().typeVersion),
			) as boolean,
		};
		// From a decision to the end nothing awaits, so check-and-record is atomic in this process.
		const decideWith = (scheme: AuthScheme) =>
			processDelivery(contract, scheme, delivery, settings);
		const first = attempt(() => decideWith(configured.scheme));
		// A credential read a few seconds ago that refuses who sent the delivery may just have
		// been edited, so the delivery is decided again with the credential as stored now: an
		// edit counts for the very next delivery. A refusal comes before the record is
		// consulted, so nothing of the first decision remains.
		if ('error' in first && !(configured.reused && credentialMayDecide(first.error))) {
			throw first.error;
		}
		const scheme = 'decision' in first ? configured.scheme : await configured.readAgain();
		let decision = 'decision' in first ? first.decision : decideWith(scheme);
		// Another notification about the same subject is running: this one waits for its answer
		// and is decided then (news, or out of date), so one subject's runs never overlap.
		const waitUntil = Date.now() + SUBJECT_WAIT_MS;
		while (decision.action === 'inProgress' && decision.subjectSettled) {
			const left = waitUntil - Date.now();
			if (left <= 0 || !(await settledWithin(decision.subjectSettled, left))) break;
			decision = decideWith(scheme);
		}

		if (decision.action !== 'emit') {
			// No execution starts, so n8n saves static data as it is: a chance to persist the record
			// when the database lacks part of it (up to 330 KB per save, so only then).
			if (record && !record.isSavedAs(persisted)) persistRecord(staticData, record, false);
			if (decision.action === 'inProgress') {
				return answerInProgress(
					context,
					decision.deliveryKey,
					decision.subjectSettled !== undefined,
				);
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
		if (decision.acceptance && record) {
			if (responseMode === 'onReceived') decision.acceptance.commit();
			else settleWhenAnswered(context.getResponseObject(), decision.acceptance);
			// Not with a response node: see persistRecord.
			if (responseMode !== 'responseNode') persistRecord(staticData, record, true);
		}
		if (responseMode === 'responseNode') refuseAnUnansweredEnd(context.getResponseObject());
		const accepted = context.helpers.returnJsonArray([decision.item as unknown as IDataObject]);
		return {
			webhookResponse: { received: true, deliveryKey: decision.item.deliveryKey },
			workflowData: hasRejectedOutput(context) ? [accepted, []] : [accepted],
		};
	} catch (error) {
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
		if (!rejection)
			context.logger.error(`Unexpected error in ${context.getNode().type}`, { error });
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
}

/**
 * Version 3 skips out-of-date notifications unless the option says otherwise (a CRM, an email
 * and a status column all want the newest status); versions 1 and 2 keep delivering them, as
 * they always did, now with `isLatest: false`.
 */
export function skipsOutOfDateByDefault(typeVersion: number): boolean {
	return typeVersion >= 3;
}

function attempt<Decided>(decide: () => Decided): { decision: Decided } | { error: unknown } {
	try {
		return { decision: decide() };
	} catch (error) {
		return { error };
	}
}

/**
 * Whether a credential edited since it was read could have accepted this delivery: a refusal
 * of who sent it, but not of when (Maximum Age is a node option).
 */
function credentialMayDecide(error: unknown): boolean {
	return (
		error instanceof AuthenticationError &&
		!(error instanceof StaleDeliveryError) &&
		!(error instanceof ReplayedSignatureError)
	);
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
			DEFAULT_ALERT_INTERVAL_MINUTES,
		) as number;
		const key = `${context.getWorkflow().id ?? ''}\u0000${context.getNode().id}\u0000${refusal.check}`;
		const intervalMs = Math.max(minutes, DEFAULT_ALERT_INTERVAL_MINUTES) * 60_000;
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

/**
 * The IP allowlist (Options → IP Allowlist), checked before anything else: an address it does
 * not list learns nothing about the trigger but a 403. The client address is n8n's `request.ip`,
 * which honours N8N_PROXY_HOPS behind a reverse proxy.
 */
function refuseUnlistedSource(context: IWebhookFunctions, request: RequestObject): void {
	const text = context.getNodeParameter('options.allowedIps', '') as string;
	if (text.trim() === '') return;
	const allowlist = parseAllowlist(text);
	if ('invalid' in allowlist) {
		throw new MisconfiguredTriggerError(
			`the IP Allowlist option: "${allowlist.invalid}" is not an IP address or CIDR range`,
		);
	}
	const address = clientAddress(request) ?? '';
	if (!allowlist.allows(address)) throw new SourceNotAllowedError(address || '(unknown)');
}

type RequestObject = ReturnType<IWebhookFunctions['getRequestObject']>;

function clientAddress(request: RequestObject): string | undefined {
	return request.ip ?? request.socket?.remoteAddress;
}

/** How long a partner is asked to wait before resending a copy of a notification in progress. */
export const IN_PROGRESS_RETRY_AFTER_SECONDS = 30;

/**
 * How long a notification waits for the run of another one about the same subject before it
 * is answered 409 instead (the partner resends it): well within the time partners give an
 * answer, and longer than most runs that post to a CRM.
 */
export const SUBJECT_WAIT_MS = 10_000;

/** Whether `settled` resolved within `ms`. */
async function settledWithin(settled: Promise<void>, ms: number): Promise<boolean> {
	return await Promise.race([settled.then(() => true), sleep(ms).then(() => false)]);
}

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

type ResponseObject = ReturnType<IWebhookFunctions['getResponseObject']>;

/**
 * With a response node, n8n answers the partner itself when the run ends without any response
 * node having answered: n8n 1.123 with no status and no body, n8n 2.40 and 2.41 with `200` and
 * no body (`res.status(200)`, then `res.json(undefined)`), also when a step failed before the
 * Answer Insurance Partner node in 1.123. To the partner that 200 means "delivered, never
 * resend" (for Curacel's instalment.due: "charge the card"), yet nobody in the workflow decided
 * it. A node's answer always has a body (the Answer Insurance Partner node's is never empty),
 * so what n8n writes without one is that end, whatever status it set: it becomes a 500, which
 * the partner resends and which authorises nothing.
 */
function refuseAnUnansweredEnd(response: ResponseObject): void {
	const json = response.json.bind(response);
	const send = response.send.bind(response);
	const unanswered = () => {
		response.status(500);
		return json({ error: UNANSWERED_END });
	};
	response.json = (body?: unknown) => (body === undefined ? unanswered() : json(body));
	response.send = (body?: unknown) => (isEmptyBody(body) ? unanswered() : send(body));
}

function isEmptyBody(body: unknown): boolean {
	return (
		body === undefined ||
		body === null ||
		body === '' ||
		(Buffer.isBuffer(body) && body.length === 0)
	);
}

export const UNANSWERED_END =
	'The workflow ended without answering: a step failed, or no Answer Insurance Partner node ran';

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

/**
 * Puts the record into static data so n8n saves it after this request.
 *
 * When a delivery starts an execution, n8n 2.40 builds a second workflow object over the same
 * static data before it saves, which resets the "changed" flag its save checks: a change made
 * in `webhook()` alone never reaches the database. That rebuild runs before n8n's first
 * database wait after `webhook()` returns; the save only comes after several. So the record is
 * written again once the event loop has turned (n8n's own `sleep`), and once more later for a
 * slow turn. The view serialises the record when n8n saves, so every write carries all this
 * process accepted until then, and a write after the save is harmless.
 *
 * Not for a delivery a response node answers: there n8n ends the response on the next tick
 * after the node answers, and a static-data save in between delays n8n's own writing of the
 * answer past that end. n8n 1.123 then sends an empty 200 whatever the node answered (and
 * fails writing the real answer after it); n8n 2.40 would drop the write anyway (above). The
 * record then waits in memory for the next delivery that starts nothing (a repeat or a
 * filtered one), whose save carries it.
 */
function persistRecord(
	staticData: IDataObject,
	record: DeliveryRecord,
	executionStarts: boolean,
): void {
	const view = record.persistedView();
	const write = () => {
		staticData[RECORD_KEY] = view as unknown as IDataObject;
	};
	write();
	if (!executionStarts) return;
	for (const delayMs of RECORD_REWRITE_DELAYS_MS) void sleep(delayMs).then(write);
}
const RECORD_REWRITE_DELAYS_MS = [0, 25];

/**
 * The bytes exactly as the partner sent them, which every signature is made over. n8n reads
 * them before `webhook()` for version-1 nodes, but for later versions only when the declared
 * type is JSON, text, form or XML. Any other type, or none, is read here, as n8n's own Webhook
 * node does, so version 2 takes every body version 1 took. A multipart body has already been
 * consumed by n8n's form parser and has no bytes left to give.
 */
async function readRawBody(request: RequestObject): Promise<Buffer> {
	const unread =
		!Buffer.isBuffer(request.rawBody) &&
		!request.contentType?.startsWith('multipart/') &&
		typeof request.readRawBody === 'function';
	if (unread) {
		const failure = await request.readRawBody().then(
			() => undefined,
			(error: unknown) => new UnreadableBodyError(error),
		);
		if (failure) throw failure;
	}
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.alloc(0);
}

/**
 * The webhook lifecycle, which n8n runs when the workflow is activated (`checkExists`, then
 * `create` if that says no) and deactivated (`delete`).
 *
 * Partners register the URL themselves (Qoala at onboarding, Cermati through its Subscription
 * API, Curacel in its dashboard), so there is nothing to create or delete at the partner. What
 * the lifecycle does here:
 * - activation records the production URL n8n now answers, and when it is not the URL
 *   recorded at the last activation, logs a warning naming both and how to register the new
 *   one with the partner (who keeps calling the old one until told);
 * - deactivation marks the registration inactive but keeps its URL (to compare at the next
 *   activation) and keeps the record of accepted deliveries: while the workflow is off, n8n
 *   answers the partner 404 and the partner retries; once it is back on, a retry of a
 *   notification accepted before the pause still starts nothing;
 * - "Listen for test event" runs the same methods on the test URL with a copy of static data
 *   that n8n never saves, so it never touches the production registration.
 */
export interface Registration extends IDataObject {
	/** The production URL n8n answers for this node (null when n8n could not tell). */
	webhookUrl: string | null;
	active: boolean;
	activatedAt: string;
	deactivatedAt: string | null;
}

export function registrationOf(context: IHookFunctions): Registration | undefined {
	const value = context.getWorkflowStaticData('node')[REGISTRATION_KEY];
	return isRegistration(value) ? value : undefined;
}

/** `checkExists`: true when this URL is already recorded as live (e.g. n8n restarted). */
export async function isRegistered(context: IHookFunctions): Promise<boolean> {
	if (context.getMode() === 'manual') return false;
	const registration = registrationOf(context);
	return registration?.active === true && registration.webhookUrl === currentUrl(context);
}

/** `create`: records the live URL; warns when it is not the one the partner was given. */
export async function register(
	context: IHookFunctions,
	partner: PartnerGuidance,
): Promise<boolean> {
	if (context.getMode() === 'manual') return true;
	const previous = registrationOf(context);
	const webhookUrl = currentUrl(context);
	if (previous?.webhookUrl && previous.webhookUrl !== webhookUrl) {
		context.logger.warn(
			`The production URL of "${context.getNode().name}" changed from ${previous.webhookUrl} to ${webhookUrl ?? '(unknown)'}. ${partner.name} keeps sending to the old URL until you ${partner.registerUrl}.`,
		);
	}
	const registration: Registration = {
		webhookUrl,
		active: true,
		activatedAt: new Date().toISOString(),
		deactivatedAt: null,
	};
	context.getWorkflowStaticData('node')[REGISTRATION_KEY] = registration;
	return true;
}

/** `delete`: marks the registration inactive; keeps its URL and the accepted deliveries. */
export async function unregister(context: IHookFunctions): Promise<boolean> {
	const registration = registrationOf(context);
	// The test URL's "delete" also lands here: leave the production registration alone.
	if (!registration?.active || registration.webhookUrl !== currentUrl(context)) return true;
	const inactive: Registration = {
		...registration,
		active: false,
		deactivatedAt: new Date().toISOString(),
	};
	context.getWorkflowStaticData('node')[REGISTRATION_KEY] = inactive;
	return true;
}

function currentUrl(context: IHookFunctions): string | null {
	return context.getNodeWebhookUrl('default') ?? null;
}

function isRegistration(value: unknown): value is Registration {
	if (typeof value !== 'object' || value === null) return false;
	const record = value as Partial<Registration>;
	return typeof record.active === 'boolean' && typeof record.activatedAt === 'string';
}
