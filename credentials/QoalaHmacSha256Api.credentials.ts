import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Qoala's HMAC_SHA256 scheme. Qoala does not document what is hashed; the defaults (raw body,
 * lowercase hex, x-api-key header) are the common reading, and each is a setting here.
 */
export class QoalaHmacSha256Api implements ICredentialType {
	name = 'qoalaHmacSha256Api';

	displayName = 'Qoala HMAC-SHA256 Webhook API';

	icon = {
		light: 'file:../nodes/Qoala/qoala.svg',
		dark: 'file:../nodes/Qoala/qoala.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-insurance-webhooks#qoala-credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The signing secret agreed with Qoala at onboarding',
		},
		{
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only while you change the secret: the one Qoala used until now. Deliveries signed with either secret are accepted. Clear this field once Qoala has switched to the new secret.',
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'x-api-key',
			description: 'The header Qoala puts the signature in',
		},
		{
			displayName: 'Encoding',
			name: 'encoding',
			type: 'options',
			options: [
				{ name: 'Hex', value: 'hex', description: '64 hexadecimal characters (any case)' },
				{ name: 'Base64', value: 'base64', description: '44 base64 characters' },
			],
			default: 'hex',
			description: 'How the signature is written in the header',
		},
	];
}
