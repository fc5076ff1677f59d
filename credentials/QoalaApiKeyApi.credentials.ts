import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** Qoala sends a fixed key in a header; this is the key agreed at onboarding. */
export class QoalaApiKeyApi implements ICredentialType {
	name = 'qoalaApiKeyApi';

	displayName = 'Qoala API Key Webhook API';

	icon = {
		light: 'file:../nodes/Qoala/qoala.svg',
		dark: 'file:../nodes/Qoala/qoala.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-insurance-webhooks#qoala-credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The key Qoala sends with every notification, as agreed at onboarding',
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'x-api-key',
			description: 'The header Qoala puts the key in',
		},
	];
}
