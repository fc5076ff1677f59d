import { sleep, type IWebhookFunctions } from 'n8n-workflow';

import type { AuthScheme } from './authSchemes';
import type { DeliveryContract } from './contract';
import type { DeliveryRecord } from './deliveryRecord';
import { AuthenticationError, ReplayedSignatureError, StaleDeliveryError } from './errors';
import {
	processDelivery,
	type Decision,
	type DeliveryItem,
	type DeliverySettings,
} from './pipeline';
import type { ReadRequest } from './request';

/**
 * How long a notification waits for the run of another one about the same subject before it
 * is answered 409 instead (the partner resends it): well within the time partners give an
 * answer, and longer than most runs that post to a CRM.
 */
export const SUBJECT_WAIT_MS = 10_000;

/**
 * Version 3 skips out-of-date notifications unless the option says otherwise (a CRM, an email
 * and a status column all want the newest status); versions 1 and 2 keep delivering them, as
 * they always did, now with `isLatest: false`.
 */
export function skipsOutOfDateByDefault(typeVersion: number): boolean {
	return typeVersion >= 3;
}

/** The node's options as the pipeline reads them. */
export function settingsOf(
	context: IWebhookFunctions,
	contract: Pick<DeliveryContract<unknown, unknown>, 'filter'>,
	record: DeliveryRecord | undefined,
): DeliverySettings {
	return {
		selected: context.getNodeParameter(contract.filter.parameter, []) as string[],
		ignoreRepeatedDeliveries: record !== undefined,
		record,
		receivedAt: new Date(),
		maxAgeMinutes: context.getNodeParameter('options.maxAge', 0) as number,
		skipOutOfDate: context.getNodeParameter(
			'options.skipOutOfDate',
			skipsOutOfDateByDefault(context.getNode().typeVersion),
		) as boolean,
		deliveredWhenAccepted: context.getNodeParameter('responseMode', 'onReceived') === 'onReceived',
	};
}

/**
 * The pipeline's decision on a delivery, with the two things only n8n's side can do:
 * - a credential read a few seconds ago that refuses who sent the delivery may just have been
 *   edited, so the delivery is decided again with the credential as stored now (an edit counts
 *   for the very next delivery; a refusal comes before the record is consulted, so nothing of
 *   the first decision remains);
 * - a notification whose subject has another notification running waits for that run's answer
 *   and is decided then (news, or out of date), up to `SUBJECT_WAIT_MS`.
 * Each decision is synchronous from the record's first look to its claim.
 */
export async function decide<Payload, Identifiers>(
	contract: DeliveryContract<Payload, Identifiers>,
	{ configured, delivery }: ReadRequest,
	settings: DeliverySettings,
): Promise<Decision<DeliveryItem<Payload, Identifiers>>> {
	const decideWith = (scheme: AuthScheme) => processDelivery(contract, scheme, delivery, settings);
	const first = attempt(() => decideWith(configured.scheme));
	if ('error' in first && !(configured.reused && credentialMayDecide(first.error))) {
		throw first.error;
	}
	const scheme = 'decision' in first ? configured.scheme : await configured.readAgain();
	let decision = 'decision' in first ? first.decision : decideWith(scheme);
	const waitUntil = Date.now() + SUBJECT_WAIT_MS;
	while (decision.action === 'inProgress' && decision.subjectSettled) {
		const left = waitUntil - Date.now();
		if (left <= 0 || !(await settledWithin(decision.subjectSettled, left))) break;
		decision = decideWith(scheme);
	}
	return decision;
}

/**
 * Whether a credential edited since it was read could have accepted this delivery: a refusal
 * of who sent it, but not of when (Maximum Age is a node option) nor a replay.
 */
function credentialMayDecide(error: unknown): boolean {
	return (
		error instanceof AuthenticationError &&
		!(error instanceof StaleDeliveryError) &&
		!(error instanceof ReplayedSignatureError)
	);
}

/** A decision, or what refused it, as a value. */
function attempt<Decided>(decideNow: () => Decided): { decision: Decided } | { error: unknown } {
	try {
		return { decision: decideNow() };
	} catch (error) {
		return { error };
	}
}

/**
 * Whether `settled` resolved within `ms`. Waits in short sleeps: n8n's `sleep` cannot be
 * cancelled, and one of `ms` would outlive an early settlement by up to 10 s.
 */
async function settledWithin(settled: Promise<void>, ms: number): Promise<boolean> {
	let done = false;
	void settled.then(() => {
		done = true;
	});
	const until = Date.now() + ms;
	while (!done && Date.now() < until) {
		await Promise.race([settled, sleep(Math.min(WAIT_STEP_MS, until - Date.now()))]);
	}
	return done;
}
const WAIT_STEP_MS = 250;
