import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** Qoala sends `Authorization: Basic base64(user:password)`. */
export class QoalaBasicAuthApi implements ICredentialType {
	name = 'qoalaBasicAuthApi';

	displayName = 'Qoala Basic Auth Webhook API';

	icon = {
		light: 'file:../nodes/Qoala/qoala.svg',
		dark: 'file:../nodes/Qoala/qoala.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-insurance-webhooks#qoala-credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			description: 'The user name Qoala sends',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The password Qoala sends',
		},
	];
}
