import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** The Webhook Secret from Curacel's dashboard (Settings → Developer); it can be regenerated there. */
export class CuracelSignatureApi implements ICredentialType {
	name = 'curacelSignatureApi';

	displayName = 'Curacel Signature Webhook API';

	icon = {
		light: 'file:../nodes/Curacel/curacel.svg',
		dark: 'file:../nodes/Curacel/curacel.dark.svg',
	} as const;

	documentationUrl =
		'https://www.npmjs.com/package/n8n-nodes-insurance-webhooks#curacel-credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The Webhook Secret shown in the Curacel dashboard under Settings → Developer. If you regenerate it there, update it here.',
		},
		{
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only while you change the secret: the one Curacel used until now. Deliveries signed with either secret are accepted. Clear this field once Curacel has switched to the new secret.',
		},
	];
}
