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
import { cermatiCredentialTests, cermatiPartner } from '../partner';
import { cermatiMaxAgeOption } from '../freshness';
import {
	CERMATI_APPLICATION_SAME_DELIVERY,
	cermatiApplication,
	cermatiApplicationStatuses,
} from './application';

export class CermatiApplicationTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Cermati Application Trigger',
		name: 'cermatiApplicationTrigger',
		icon: { light: 'file:../cermati.svg', dark: 'file:../cermati.dark.svg' },
		group: ['trigger'],
		// 2 behaves as 1 and spares n8n an expression per request (see readRawBody in webhook.ts).
		// 3 skips out-of-date notifications by default (Options → Skip Out-of-Date Notifications).
		version: [1, 2, 3],
		defaultVersion: 3,
		subtitle:
			'={{$parameter["statuses"].length ? $parameter["statuses"].join(", ") : "All application statuses"}}',
		description:
			'Starts the workflow when Cermati reports a new status of an insurance application',
		defaults: { name: 'Cermati Application Trigger' },
		inputs: [],
		// Main, or Accepted and Rejected with Options → Output Rejected Deliveries.
		outputs: triggerOutputs,
		// One slot per authentication method, shown only when it is chosen; the Test button of each
		// credential's form runs the check named in testedBy (methods.credentialTest below).
		credentials: [
			{
				name: 'cermatiSignatureApi',
				required: true,
				testedBy: 'cermatiSignatureApiTest',
				displayOptions: { show: { authentication: ['signature'] } },
			},
		],
		webhooks: [partnerWebhook],
		triggerPanel: triggerPanelFor(cermatiPartner),
		properties: [
			registrationNotice(cermatiPartner),
			authenticationProperty(cermatiApplication.authentication, 'signature'),
			noAuthenticationNotice,
			responseModeProperty,
			filterProperty('statuses', cermatiApplicationStatuses, 'application statuses'),
			deliveryOptionsProperty(CERMATI_APPLICATION_SAME_DELIVERY, [cermatiMaxAgeOption]),
		],
	};

	// Every Test button of the partner's credentials, by the testedBy names of the slots above.
	methods = { credentialTest: cermatiCredentialTests };

	// Partners register the URL themselves: activation records it (and warns when it changed),
	// deactivation marks it inactive and keeps the record of accepted deliveries.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await isRegistered(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await register(this, cermatiPartner);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await unregister(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this, cermatiApplication);
	}
}
