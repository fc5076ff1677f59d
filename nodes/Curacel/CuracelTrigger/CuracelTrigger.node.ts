import {
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { authenticationProperty } from '../../shared/authentication';
import {
	deliveryOptionsProperty,
	filterProperty,
	noAuthenticationNotice,
	partnerWebhook,
	registrationNotice,
	responseModeProperty,
	triggerPanelFor,
} from '../../shared/description';
import { triggerOutputs } from '../../shared/rejection';
import { isRegistered, register, unregister } from '../../shared/registration';
import { receiveDelivery } from '../../shared/webhook';
import { curacelCredentialTests, curacelPartner } from '../partner';
import { curacelAuthentication } from '../authentication';
import { CURACEL_SAME_DELIVERY, curacel, curacelEvents } from './events';

export class CuracelTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Curacel Trigger',
		name: 'curacelTrigger',
		icon: { light: 'file:../curacel.svg', dark: 'file:../curacel.dark.svg' },
		group: ['trigger'],
		// 2 behaves as 1 and spares n8n an expression per request (see readRawBody in webhook.ts).
		// 3 skips out-of-date notifications by default (Options → Skip Out-of-Date Notifications).
		version: [1, 2, 3],
		defaultVersion: 3,
		subtitle: '={{$parameter["events"].length ? $parameter["events"].join(", ") : "All events"}}',
		description: 'Starts the workflow on Curacel claims vetting and Grow events',
		defaults: { name: 'Curacel Trigger' },
		inputs: [],
		// Main, or Accepted and Rejected with Options → Output Rejected Deliveries.
		outputs: triggerOutputs,
		// One slot per authentication method, shown only when it is chosen; the Test button of each
		// credential's form runs the check named in testedBy (methods.credentialTest below).
		credentials: [
			{
				name: 'curacelSignatureApi',
				required: true,
				testedBy: 'curacelSignatureApiTest',
				displayOptions: { show: { authentication: ['signature'] } },
			},
		],
		webhooks: [partnerWebhook],
		triggerPanel: triggerPanelFor(curacelPartner),
		properties: [
			registrationNotice(curacelPartner),
			authenticationProperty(curacelAuthentication, 'signature'),
			noAuthenticationNotice,
			responseModeProperty,
			filterProperty('events', curacelEvents, 'events'),
			deliveryOptionsProperty(CURACEL_SAME_DELIVERY),
		],
	};

	// Every Test button of the partner's credentials, by the testedBy names of the slots above.
	methods = { credentialTest: curacelCredentialTests };

	// Partners register the URL themselves: activation records it (and warns when it changed),
	// deactivation marks it inactive and keeps the record of accepted deliveries.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await isRegistered(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await register(this, curacelPartner);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await unregister(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this, curacel);
	}
}
