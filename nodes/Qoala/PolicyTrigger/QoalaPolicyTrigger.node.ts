import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { authenticationProperty, credentialSlots } from '../../shared/authentication';
import {
	deliveryOptionsProperty,
	filterProperty,
	partnerWebhook,
	responseModeProperty,
} from '../../shared/description';
import { isRegistered, receiveDelivery, register, unregister } from '../../shared/webhook';
import { qoalaAuthentication } from '../authentication';
import { QOALA_POLICY_SAME_DELIVERY, qoalaPolicy, qoalaPolicyStatuses } from './policy';

export class QoalaPolicyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Qoala Policy Trigger',
		name: 'qoalaPolicyTrigger',
		icon: 'file:../qoala.svg',
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{$parameter["statuses"].length ? $parameter["statuses"].join(", ") : "All policy statuses"}}',
		description: 'Starts the workflow when Qoala reports a new status of a policy',
		defaults: { name: 'Qoala Policy Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialSlots(qoalaAuthentication),
		webhooks: [partnerWebhook],
		properties: [
			authenticationProperty(qoalaAuthentication, 'apiKey'),
			responseModeProperty,
			filterProperty('statuses', qoalaPolicyStatuses, 'policy statuses'),
			deliveryOptionsProperty(QOALA_POLICY_SAME_DELIVERY),
		],
	};

	webhookMethods = {
		default: { checkExists: isRegistered, create: register, delete: unregister },
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this, qoalaPolicy);
	}
}
