import type { INodeProperties, IWebhookDescription } from 'n8n-workflow';

import type { Provider } from './contract';
import { REMEMBERED_NOTIFICATIONS } from './deliveryRecord';
import { filterOptions, type StatusTable } from './statuses';

/** How each partner is told which URL to call: the partner registers it, never this node. */
export interface PartnerGuidance {
	name: string;
	/** Completes "… until you <registerUrl>." */
	registerUrl: string;
}

export const PARTNERS: Readonly<Record<Provider, PartnerGuidance>> = {
	qoala: {
		name: 'Qoala',
		registerUrl:
			'send it to your Qoala contact (Qoala sets the callback URL with you at onboarding; there is no API for it)',
	},
	cermati: {
		name: 'Cermati',
		registerUrl:
			"subscribe it through Cermati's Subscription API (and unsubscribe the old one through its Unsubscription API)",
	},
	curacel: {
		name: 'Curacel',
		registerUrl: 'enter it as the Webhook URL in the Curacel dashboard under Settings → Developer',
	},
};

/**
 * The one webhook every trigger exposes: `POST /webhook/<webhookId>/webhook`.
 * `responseData` is empty for `onReceived` so n8n answers with what `webhook()` returns
 * (`{"received": true, …}`) instead of its literal default; `lastNode` answers with the first
 * item of the last node, as n8n's own Webhook node does.
 */
export const partnerWebhook: IWebhookDescription = {
	name: 'default',
	httpMethod: 'POST',
	path: 'webhook',
	responseMode: '={{$parameter["responseMode"]}}',
	responseData: '={{$parameter["responseMode"] === "lastNode" ? "firstEntryJson" : ""}}',
};

export const responseModeProperty: INodeProperties = {
	displayName: 'Respond',
	name: 'responseMode',
	type: 'options',
	options: [
		{
			name: 'Immediately',
			value: 'onReceived',
			description: 'Answer 200 {"received": true} as soon as the workflow has started',
		},
		{
			name: 'When Last Node Finishes',
			value: 'lastNode',
			description: 'Answer with the data of the last node executed',
		},
		{
			name: "Using 'Respond to Webhook' Node",
			value: 'responseNode',
			description:
				'Answer from a Respond to Webhook node, e.g. a non-2XX status to decline a Curacel instalment charge',
		},
	],
	default: 'onReceived',
	description:
		'When and how to answer the partner. Partners retry anything but a 2XX (Qoala and Cermati: only 200).',
};

/** The multi-select filter over a partner's statuses or events; empty means all. */
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
export function deliveryOptionsProperty(sameDelivery: string): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Ignore Repeated Deliveries',
				name: 'ignoreRepeatedDeliveries',
				type: 'boolean',
				default: true,
				description: `Whether to answer a retried delivery of a notification already accepted with 200 and start nothing. ${sameDelivery} The trigger remembers the last ${REMEMBERED_NOTIFICATIONS.toLocaleString('en-US')} notifications, across restarts.`,
			},
		],
	};
}
