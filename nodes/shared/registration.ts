import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import type { PartnerGuidance } from './partner';

/** Where a trigger keeps its registration in the workflow's static data (`node:<name>` scope). */
const REGISTRATION_KEY = 'registration';

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
			`The production URL of "${context.getNode().name}" changed from ${previous.webhookUrl} to ${webhookUrl ?? '(unknown)'}. ${partner.name} keeps sending to the old URL until you ${partner.registrationStep}.`,
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
