import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { QOALA_HEADER } from '../nodes/Qoala/credentialFields';

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
			displayName: QOALA_HEADER.label,
			name: QOALA_HEADER.field,
			type: 'string',
			default: QOALA_HEADER.fallback,
			description: 'The header Qoala puts the key in',
		},
	];
}
