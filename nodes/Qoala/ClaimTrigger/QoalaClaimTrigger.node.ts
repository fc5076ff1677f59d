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
import { qoalaCredentialTests, qoalaPartner } from '../partner';
import { qoalaAuthentication } from '../authentication';
import { QOALA_CLAIM_SAME_DELIVERY, qoalaClaim, qoalaClaimStatuses } from './claim';

export class QoalaClaimTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Qoala Claim Trigger',
		name: 'qoalaClaimTrigger',
		icon: { light: 'file:../qoala.svg', dark: 'file:../qoala.dark.svg' },
		group: ['trigger'],
		// 2 behaves as 1 and spares n8n an expression per request (see readRawBody in webhook.ts).
		// 3 skips out-of-date notifications by default (Options → Skip Out-of-Date Notifications).
		version: [1, 2, 3],
		defaultVersion: 3,
		subtitle:
			'={{$parameter["statuses"].length ? $parameter["statuses"].join(", ") : "All claim statuses"}}',
		description: 'Starts the workflow when Qoala reports a new status of a claim',
		defaults: { name: 'Qoala Claim Trigger' },
		inputs: [],
		// Main, or Accepted and Rejected with Options → Output Rejected Deliveries.
		outputs: triggerOutputs,
		// One slot per authentication method, shown only when it is chosen; the Test button of each
		// credential's form runs the check named in testedBy (methods.credentialTest below).
		credentials: [
			{
				name: 'qoalaApiKeyApi',
				required: true,
				testedBy: 'qoalaApiKeyApiTest',
				displayOptions: { show: { authentication: ['apiKey'] } },
			},
			{
				name: 'qoalaHmacSha256Api',
				required: true,
				testedBy: 'qoalaHmacSha256ApiTest',
				displayOptions: { show: { authentication: ['hmacSha256'] } },
			},
			{
				name: 'qoalaMd5Api',
				required: true,
				testedBy: 'qoalaMd5ApiTest',
				displayOptions: { show: { authentication: ['md5'] } },
			},
			{
				name: 'qoalaBearerApi',
				required: true,
				testedBy: 'qoalaBearerApiTest',
				displayOptions: { show: { authentication: ['bearer'] } },
			},
			{
				name: 'qoalaBasicAuthApi',
				required: true,
				testedBy: 'qoalaBasicAuthApiTest',
				displayOptions: { show: { authentication: ['basicAuth'] } },
			},
		],
		webhooks: [partnerWebhook],
		triggerPanel: triggerPanelFor(qoalaPartner),
		properties: [
			registrationNotice(qoalaPartner),
			authenticationProperty(qoalaAuthentication, 'apiKey'),
			noAuthenticationNotice,
			responseModeProperty,
			filterProperty('statuses', qoalaClaimStatuses, 'claim statuses'),
			deliveryOptionsProperty(QOALA_CLAIM_SAME_DELIVERY),
		],
	};

	// Every Test button of the partner's credentials, by the testedBy names of the slots above.
	methods = { credentialTest: qoalaCredentialTests };

	// Partners register the URL themselves: activation records it (and warns when it changed),
	// deactivation marks it inactive and keeps the record of accepted deliveries.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await isRegistered(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await register(this, qoalaPartner);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await unregister(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this, qoalaClaim);
	}
}
