import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** The secret key Cermati hands over during integration, for its Cermati-Signature header. */
export class CermatiSignatureApi implements ICredentialType {
	name = 'cermatiSignatureApi';

	displayName = 'Cermati Signature Webhook API';

	icon = {
		light: 'file:../nodes/Cermati/cermati.svg',
		dark: 'file:../nodes/Cermati/cermati.dark.svg',
	} as const;

	documentationUrl =
		'https://www.npmjs.com/package/n8n-nodes-insurance-webhooks#cermati-credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret key Cermati provided during the integration process',
		},
		{
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only while you change the secret: the one Cermati used until now. Deliveries signed with either secret are accepted. Clear this field once Cermati has switched to the new secret.',
		},
	];
}
