import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { QOALA_HEADER, QOALA_HMAC_ENCODING } from '../nodes/Qoala/credentialFields';

/**
 * Qoala's HMAC_SHA256 scheme. Qoala does not document what is hashed; the defaults (raw body,
 * lowercase hex, Qoala's usual header) are the common reading, and each is a setting here
 * (nodes/Qoala/credentialFields.ts holds them for the form, its Test button and the trigger).
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
			displayName: QOALA_HEADER.label,
			name: QOALA_HEADER.field,
			type: 'string',
			default: QOALA_HEADER.fallback,
			description: 'The header Qoala puts the signature in',
		},
		{
			displayName: QOALA_HMAC_ENCODING.label,
			name: QOALA_HMAC_ENCODING.field,
			type: 'options',
			options: [...QOALA_HMAC_ENCODING.options],
			default: QOALA_HMAC_ENCODING.fallback,
			description: 'How the signature is written in the header',
		},
	];
}
