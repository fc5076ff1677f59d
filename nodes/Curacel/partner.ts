import { credentialTestsFor } from '../shared/credentialTests';
import type { PartnerDefinition } from '../shared/partner';
import { curacel, curacelItem } from './CuracelTrigger/events';

/** Everything the package knows about Curacel; listed in `nodes/partners.ts`. */
export const curacelPartner = {
	provider: 'curacel',
	name: 'Curacel',
	registrationStep:
		'enter it as the Webhook URL in the Curacel dashboard under Settings → Developer',
	howToRegister:
		"In the Curacel dashboard, open Settings → Developer and enter this node's Production URL (Webhook URLs, above) as the Webhook URL. Copy the Webhook Secret shown there into this node's credential; if you regenerate it there, update the credential at once.",
	whenOff: 'counts the delivery as failed',
	credentials: {
		curacelSignatureApi: {
			partner: 'Curacel',
			required: { webhookSecret: 'Webhook Secret' },
			secrets: ['webhookSecret'],
			optionalSecrets: { previousSecret: 'Previous Secret' },
			carries: () => 'x-curacel-signature: <hex HMAC-SHA256 of the raw body>',
		},
	},
	triggers: [
		{
			nodeName: 'curacelTrigger',
			displayName: 'Curacel Trigger',
			contract: curacel,
			item: curacelItem,
			defaultScheme: 'signature',
			samples: [
				{
					event: 'claim.pile.vetting_done',
					description: 'Curacel Health: a claim of a pile was vetted (sent once per claim)',
				},
				{ event: 'claim.vetted', description: 'Curacel Health: a claim was vetted' },
				{ event: 'policy.created', description: 'Curacel Grow: a policy was created' },
				{
					event: 'discharge_voucher.created',
					description: 'Curacel Grow: a discharge voucher was created',
				},
				{
					event: 'discharge_voucher.paid',
					description: 'Curacel Grow: a discharge voucher was paid',
				},
				{ event: 'claim.settled', description: 'Curacel Grow: a claim was settled' },
				{ event: 'order.cancelled', description: 'Curacel Grow: an order was cancelled' },
				{
					event: 'instalment.due',
					description: 'Curacel Grow: an instalment is due (a non-2XX answer declines the charge)',
				},
			],
			demo: {
				workflowId: 'demoCuracel00001',
				title: 'Curacel (all events)',
				webhookId: '6f1d2c9a-0b7e-4c51-9a63-c0eace100005',
				sample: 'curacel-claim.vetted',
			},
		},
	],
	demoCredential: {
		id: 'demoCuracelSecr1',
		name: 'Curacel webhook secret (demo)',
		type: 'curacelSignatureApi',
		data: { webhookSecret: 'demo-curacel-webhook-secret-change-me' },
		secret: 'demo-curacel-webhook-secret-change-me',
	},
} as const satisfies PartnerDefinition<'curacel'>;

/** The Test button of the Curacel credential (`testedBy: '<type>Test'`). */
export const curacelCredentialTests = credentialTestsFor(curacelPartner.credentials);
