import { credentialTestsFor } from '../shared/credentialTests';
import type { PartnerDefinition } from '../shared/partner';
import { cermatiApplication, cermatiApplicationItem } from './ApplicationTrigger/application';
import { cermatiClaim, cermatiClaimItem } from './ClaimTrigger/claim';
import { CERMATI_APPLICATION_SIGNED_FIELDS, CERMATI_CLAIM_SIGNED_FIELDS } from './signedFields';

/** Everything the package knows about Cermati; listed in `nodes/partners.ts`. */
export const cermatiPartner = {
	provider: 'cermati',
	name: 'Cermati',
	registrationStep:
		"subscribe it through Cermati's Subscription API (and unsubscribe the old one through its Unsubscription API)",
	howToRegister:
		"Subscribe this node's Production URL (Webhook URLs, above) through Cermati's Subscription API; Cermati gives you its request format, and the secret key for the credential, during integration. Its Unsubscription API removes the URL.",
	whenOff: 'retries up to 8 times with growing pauses, then gives up',
	credentials: {
		cermatiSignatureApi: {
			partner: 'Cermati',
			required: { secretKey: 'Secret Key' },
			secrets: ['secretKey'],
			optionalSecrets: { previousSecret: 'Previous Secret' },
			carries: () =>
				'Cermati-Signature: v1=<hex HMAC-SHA256 of trxId + updatedAt (applications) or claimId + updatedAt (claims)>',
		},
	},
	triggers: [
		{
			nodeName: 'cermatiApplicationTrigger',
			displayName: 'Cermati Application Trigger',
			contract: cermatiApplication,
			item: cermatiApplicationItem,
			defaultScheme: 'signature',
			signedFields: CERMATI_APPLICATION_SIGNED_FIELDS,
			samples: [
				{ event: 'application', description: 'Cermati insurance application notification' },
			],
			demo: {
				workflowId: 'demoCermatiApp01',
				title: 'Cermati application',
				webhookId: '6f1d2c9a-0b7e-4c51-9a63-cea7a0000003',
				sample: 'cermati-application',
			},
		},
		{
			nodeName: 'cermatiClaimTrigger',
			displayName: 'Cermati Claim Trigger',
			contract: cermatiClaim,
			item: cermatiClaimItem,
			defaultScheme: 'signature',
			signedFields: CERMATI_CLAIM_SIGNED_FIELDS,
			samples: [{ event: 'claim', description: 'Cermati claim notification' }],
			demo: {
				workflowId: 'demoCermatiClaim',
				title: 'Cermati claim',
				webhookId: '6f1d2c9a-0b7e-4c51-9a63-cea7c1a10004',
				sample: 'cermati-claim',
			},
		},
	],
	demoCredential: {
		id: 'demoCermatiKey01',
		name: 'Cermati secret key (demo)',
		type: 'cermatiSignatureApi',
		data: { secretKey: 'demo-cermati-secret-key-change-me' },
		secret: 'demo-cermati-secret-key-change-me',
	},
} as const satisfies PartnerDefinition<'cermati'>;

/** The Test button of the Cermati credential (`testedBy: '<type>Test'`). */
export const cermatiCredentialTests = credentialTestsFor(cermatiPartner.credentials);
