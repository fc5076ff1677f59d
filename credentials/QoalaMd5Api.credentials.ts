import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { QOALA_HEADER, QOALA_MD5_VARIANT } from '../nodes/Qoala/credentialFields';

/** Qoala's MD5 scheme; how the secret enters the hash is not documented, so both readings are offered. */
export class QoalaMd5Api implements ICredentialType {
	name = 'qoalaMd5Api';

	displayName = 'Qoala MD5 Webhook API';

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
			description: 'The header Qoala puts the signature in (32 hexadecimal characters)',
		},
		{
			displayName: QOALA_MD5_VARIANT.label,
			name: QOALA_MD5_VARIANT.field,
			type: 'options',
			options: [...QOALA_MD5_VARIANT.options],
			default: QOALA_MD5_VARIANT.fallback,
			description: 'How Qoala combines the secret with the body',
		},
	];
}
