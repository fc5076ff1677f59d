import {
	fromFunction,
	webhookDescriptionFields,
	type INodeParameters,
	type INodeProperties,
	type NodeParameterValueType,
	type IWebhookDescription,
	type TriggerPanelDefinition,
} from 'n8n-workflow';

import { CREDENTIAL_REUSE_SECONDS } from './credentialReads';
import { REMEMBERED_DAYS, REMEMBERED_NOTIFICATIONS } from './deliveryRecord';
import type { PartnerGuidance } from './partner';
import { MIN_ALERT_INTERVAL_MINUTES } from './rejection';
import { filterOptions, type StatusTable } from './statuses';

export type { PartnerGuidance } from './partner';

/** The notice at the top of every trigger: where to register its URL with the partner. */
export function registrationNotice(partner: PartnerGuidance): INodeProperties {
	return {
		displayName: partner.howToRegister,
		name: 'registrationNotice',
		type: 'notice',
		default: '',
	};
}

/** Shown only with Authentication "None": what that choice lets anyone do. */
export const noAuthenticationNotice: INodeProperties = {
	displayName:
		"Anyone who knows this URL can start this workflow with any data they like. Use None only to try things out, or when something in front of n8n already checks the partner's signature.",
	name: 'noAuthenticationNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { authentication: ['none'] } },
};

/**
 * The panel n8n shows while the trigger listens for a test event: how to register the URL,
 * how to test, and what publishing and deactivating the workflow do (see `webhook.ts`).
 */
export function triggerPanelFor(partner: PartnerGuidance): TriggerPanelDefinition {
	const { name, howToRegister, whenOff } = partner;
	const register = `<b>Register the URL with ${name}.</b> ${howToRegister}`;
	const lifecycle = `While the workflow is not published, n8n answers ${name} 404 and ${name} ${whenOff}. Deactivating keeps the trigger's record of accepted deliveries, so after reactivation a retry of a delivery it accepted before starts nothing. If the Production URL changes (n8n moved to another address), n8n's log warns at activation: register the new URL the same way. An edit to the trigger's credential counts for the next delivery; a secret you replace, or a credential you delete, is still accepted for up to ${CREDENTIAL_REUSE_SECONDS} seconds after the change.`;
	return {
		executionsHelp: {
			inactive: `${register}<br /><br /><b>Try it with the test URL first</b>: click "Listen for test event" and have a delivery sent to the Test URL; it shows up here.<br /><br /><b>Then publish the workflow</b>: n8n answers the Production URL, and each delivery runs in the background (executions list, not here). ${lifecycle}`,
			active: `${register}<br /><br />The workflow is published: deliveries to the Production URL run in the background and show up in the <a data-key="executions">executions list</a>, not here. ${lifecycle}`,
		},
		activationHint: {
			inactive: `Once it works with the Test URL, publish the workflow and give ${name} the Production URL.`,
			active: `This trigger also runs on every delivery ${name} makes to the Production URL (those executions won't show here).`,
		},
	};
}

/**
 * How n8n answers the partner, per Respond mode. `responseData` is empty for `onReceived` so
 * n8n answers with what `webhook()` returns (`{"received": true, …}`) instead of its literal
 * default; `lastNode` answers with the first item of the last node, as n8n's own Webhook node
 * does. Each function is the field's only definition: n8n runs it natively on every request
 * and the editor reads the template made from its source, so it must use nothing but its
 * parameters.
 */
const respondFields: Record<'responseMode' | 'responseData', RespondField> = {
	responseMode: (parameters: INodeParameters) => parameters.responseMode,
	responseData: (parameters: INodeParameters) =>
		parameters.responseMode === 'lastNode' ? 'firstEntryJson' : '',
};

type RespondField = (parameters: INodeParameters) => NodeParameterValueType | undefined;

/**
 * Declared with n8n's native resolvers, so a request does not need n8n's expression engine (a
 * V8 isolate per request under its default `vm` engine) to learn how to answer. An n8n whose
 * n8n-workflow predates them gets the same templates and evaluates them as it always did.
 */
function nativelyResolved<K extends string>(fields: Record<K, RespondField>): Record<K, string> {
	const each = <T>(make: (field: RespondField) => T) =>
		Object.fromEntries(
			Object.entries<RespondField>(fields).map(([name, field]) => [name, make(field)]),
		) as Record<K, T>;
	if (typeof webhookDescriptionFields !== 'function') return each(templateOf);
	return webhookDescriptionFields(each(fromFunction));
}

/** The template n8n-workflow's `fromFunction` makes from a field, for an n8n that lacks it. */
export function templateOf(field: RespondField): string {
	return `={{(${String(field)})($parameter)}}`;
}

/** The one webhook every trigger exposes: `POST /webhook/<webhookId>/webhook`. */
export const partnerWebhook: IWebhookDescription = {
	name: 'default',
	httpMethod: 'POST',
	path: 'webhook',
	...nativelyResolved(respondFields),
};

export const responseModeProperty: INodeProperties = {
	displayName: 'Respond',
	name: 'responseMode',
	type: 'options',
	options: [
		{
			name: 'Immediately',
			value: 'onReceived',
			description:
				'Answer 200 {"received": true} as soon as the workflow has started. The partner will not resend: if a step fails later, n8n keeps the failed execution for you to retry.',
		},
		{
			name: 'When Last Node Finishes',
			value: 'lastNode',
			description:
				"Answer once the workflow has finished: 200 with the last node's data when it succeeded; when a step failed, 500, and the partner resends until the workflow succeeds",
		},
		{
			name: 'Using a Response Node',
			value: 'responseNode',
			description:
				'Answer from an Answer Insurance Partner node: acknowledge, decline (e.g. a Curacel instalment charge) or ask for a retry. A step that fails before it is answered 500 and the partner resends.',
		},
	],
	default: 'onReceived',
	description:
		'When and how to answer the partner. Partners count only a 2XX answer as delivered and resend anything else (up to 8 times); a notification is remembered as delivered only once it was answered 2XX.',
};

export function filterProperty(
	parameter: 'statuses' | 'events',
	table: StatusTable,
	what: string,
): INodeProperties {
	const noun = parameter === 'statuses' ? 'Statuses' : 'Events';
	return {
		displayName: noun,
		name: parameter,
		type: 'multiOptions',
		options: filterOptions(table),
		default: [],
		description: `Only start the workflow for these ${what}; leave empty for all. Others are answered 200 (so the partner does not retry) and start nothing.`,
	};
}

/** The `options` collection; `sameDelivery` says, in the partner's words, what makes two deliveries the same. */
export function deliveryOptionsProperty(
	sameDelivery: string,
	partnerOptions: INodeProperties[] = [],
): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'IP Allowlist',
				name: 'allowedIps',
				type: 'string',
				default: '',
				placeholder: 'e.g. 203.0.113.10, 198.51.100.0/24, 2001:db8::/32',
				description:
					"Only accept deliveries from these addresses: IPv4 or IPv6 addresses and CIDR ranges, separated by commas. Others are answered 403 and start nothing. Empty accepts every address. Behind a reverse proxy, set n8n's N8N_PROXY_HOPS so n8n sees the partner's address, not the proxy's.",
			},
			...partnerOptions,
			{
				displayName: 'Ignore Repeated Deliveries',
				name: 'ignoreRepeatedDeliveries',
				type: 'boolean',
				default: true,
				description: `Whether to answer a retried delivery of a notification already accepted with 200 and start nothing. ${sameDelivery} The trigger remembers, across restarts, the notifications of the last ${REMEMBERED_DAYS} days (longer than a partner retries), at most the last ${REMEMBERED_NOTIFICATIONS.toLocaleString('en-US')} (about 2 MB of memory and 330 KB of workflow static data); older ones are forgotten first.`,
			},
			...skipOutOfDateOptions,
			{
				displayName: 'Output Rejected Deliveries',
				name: 'rejectedOutput',
				type: 'boolean',
				default: false,
				description:
					'Whether to add a Rejected output that starts the workflow when a delivery is refused (wrong signature, missing header, address not allowed, invalid body, trigger misconfigured), e.g. to alert you. The partner gets the same answer either way and retries. The item says which check failed and why, never a secret or the body. At most one execution per kind of refusal per interval (Minutes Between Rejection Alerts); the refusals in between are counted in the next one.',
			},
			{
				displayName: 'Minutes Between Rejection Alerts',
				name: 'rejectedAlertInterval',
				type: 'number',
				typeOptions: { minValue: MIN_ALERT_INTERVAL_MINUTES },
				default: MIN_ALERT_INTERVAL_MINUTES,
				description:
					'With Output Rejected Deliveries: the Rejected output starts at most once per this many minutes for each kind of refusal, so a flood of forged deliveries costs a handful of executions. Counted in this n8n process, afresh after a restart.',
			},
		],
	};
}

/**
 * Options → Skip Out-of-Date Notifications, one per version group so each shows the default
 * it has when left out: version 3 turns it on (a CRM, an email and a status column all want
 * the newest status); versions 1 and 2 keep delivering out-of-date notifications, as they
 * always did (see `skipsOutOfDateByDefault` in webhook.ts).
 */
const skipOutOfDateOptions: INodeProperties[] = [
	{
		displayName: 'Skip Out-of-Date Notifications',
		name: 'skipOutOfDate',
		type: 'boolean',
		default: true,
		displayOptions: { show: { '@version': [{ _cnd: { gte: 3 } }] } },
		description:
			"Whether to answer a late notification with 200 and start nothing when a newer one about the same claim, policy, application or voucher was already delivered (a partner's retry arriving after a newer status). Off, it starts the workflow with isLatest false and the newer status in latestStatus. Uses the record of Ignore Repeated Deliveries. On when left out.",
	},
	{
		displayName: 'Skip Out-of-Date Notifications',
		name: 'skipOutOfDate',
		type: 'boolean',
		default: false,
		displayOptions: { show: { '@version': [1, 2] } },
		description:
			"Whether to answer a late notification with 200 and start nothing when a newer one about the same claim, policy, application or voucher was already delivered (a partner's retry arriving after a newer status). Off, it starts the workflow with isLatest false and the newer status in latestStatus. Uses the record of Ignore Repeated Deliveries. Off when left out (node versions 1 and 2).",
	},
];
