import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** Qoala sends `Authorization: Bearer <token>`. */
export class QoalaBearerApi implements ICredentialType {
	name = 'qoalaBearerApi';

	displayName = 'Qoala Bearer Token Webhook API';

	icon = {
		light: 'file:../nodes/Qoala/qoala.svg',
		dark: 'file:../nodes/Qoala/qoala.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-insurance-webhooks#qoala-credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The token Qoala sends after "Bearer" in the Authorization header',
		},
	];
}
