import {
	choiceOf,
	credentialTestsFor,
	fitsInHeaderValue,
	headerOf,
	strayWhitespace,
	text,
} from '../shared/credentialTests';
import type { PartnerDefinition } from '../shared/partner';
import { qoalaClaim, qoalaClaimItem } from './ClaimTrigger/claim';
import { QOALA_HEADER, QOALA_HMAC_ENCODING, QOALA_MD5_VARIANT } from './credentialFields';
import { qoalaPolicy, qoalaPolicyItem } from './PolicyTrigger/policy';

/** What the form calls the Previous Secret of the signing schemes (empty but while it changes). */
const PREVIOUS_SECRET = { previousSecret: 'Previous Secret' } as const;

/** Everything the package knows about Qoala; listed in `nodes/partners.ts`. */
export const qoalaPartner = {
	provider: 'qoala',
	name: 'Qoala',
	registrationStep:
		'send it to your Qoala contact (Qoala sets the callback URL with you at onboarding; there is no API for it)',
	howToRegister:
		"Qoala sets the callback URL with you at onboarding; there is no API for it. Send your Qoala contact this node's Production URL (Webhook URLs, above) and the authentication you chose here.",
	whenOff: 'retries up to 8 times with growing pauses, then gives up',
	credentials: {
		qoalaApiKeyApi: {
			partner: 'Qoala',
			required: { apiKey: 'API Key' },
			secrets: ['apiKey'],
			header: QOALA_HEADER,
			extra: (data) =>
				fitsInHeaderValue(text(data.apiKey).trim())
					? []
					: [
							'API Key holds a line break or another control character, which an HTTP header cannot carry.',
						],
			carries: (data) => `the key itself in the "${headerOf(data, QOALA_HEADER)}" header`,
		},
		qoalaHmacSha256Api: {
			partner: 'Qoala',
			required: { secret: 'Secret' },
			secrets: ['secret'],
			optionalSecrets: PREVIOUS_SECRET,
			header: QOALA_HEADER,
			choices: [QOALA_HMAC_ENCODING],
			carries: (data) =>
				`the HMAC-SHA256 of the raw body, in ${choiceOf(data, QOALA_HMAC_ENCODING.field, QOALA_HMAC_ENCODING.fallback)}, in the "${headerOf(data, QOALA_HEADER)}" header`,
		},
		qoalaMd5Api: {
			partner: 'Qoala',
			required: { secret: 'Secret' },
			secrets: ['secret'],
			optionalSecrets: PREVIOUS_SECRET,
			header: QOALA_HEADER,
			choices: [QOALA_MD5_VARIANT],
			carries: (data) =>
				`${choiceOf(data, QOALA_MD5_VARIANT.field, QOALA_MD5_VARIANT.fallback) === 'bodyAndSecret' ? 'the MD5 of the raw body followed by the secret' : 'the HMAC-MD5 of the raw body'}, in hex, in the "${headerOf(data, QOALA_HEADER)}" header`,
		},
		qoalaBearerApi: {
			partner: 'Qoala',
			required: { token: 'Token' },
			secrets: ['token'],
			extra: (data) => {
				const token = text(data.token).trim();
				if (/^bearer(\s|$)/i.test(token)) {
					return ['Token starts with the word "Bearer": enter only what follows "Bearer ".'];
				}
				if (/\s/.test(token)) {
					return [
						'Token contains a space or line break: "Authorization: Bearer <token>" carries one word.',
					];
				}
				return [];
			},
			carries: () => 'Authorization: Bearer <token>',
		},
		qoalaBasicAuthApi: {
			partner: 'Qoala',
			required: { user: 'User', password: 'Password' },
			secrets: ['password'],
			extra: (data) => {
				const problems: string[] = [];
				const user = text(data.user);
				if (user.includes(':')) {
					problems.push(
						'User contains ":", which Basic Auth uses to separate the user from the password.',
					);
				}
				if (user !== user.trim()) problems.push(strayWhitespace('User'));
				return problems;
			},
			carries: () => 'Authorization: Basic <base64 of user:password>',
		},
	},
	triggers: [
		{
			nodeName: 'qoalaClaimTrigger',
			displayName: 'Qoala Claim Trigger',
			contract: qoalaClaim,
			item: qoalaClaimItem,
			defaultScheme: 'apiKey',
			samples: [{ event: 'claim', description: 'Qoala claim status callback' }],
			demo: {
				workflowId: 'demoQoalaClaim01',
				title: 'Qoala claim status',
				webhookId: '6f1d2c9a-0b7e-4c51-9a63-0a1ac1a10001',
				sample: 'qoala-claim',
			},
		},
		{
			nodeName: 'qoalaPolicyTrigger',
			displayName: 'Qoala Policy Trigger',
			contract: qoalaPolicy,
			item: qoalaPolicyItem,
			defaultScheme: 'apiKey',
			samples: [{ event: 'policy', description: 'Qoala policy status callback' }],
			demo: {
				workflowId: 'demoQoalaPolicy1',
				title: 'Qoala policy status',
				webhookId: '6f1d2c9a-0b7e-4c51-9a63-0a1ab0110002',
				sample: 'qoala-policy',
			},
		},
	],
	demoCredential: {
		id: 'demoQoalaApiKey1',
		name: 'Qoala API key (demo)',
		type: 'qoalaApiKeyApi',
		data: { apiKey: 'demo-qoala-api-key-change-me', [QOALA_HEADER.field]: QOALA_HEADER.fallback },
		secret: 'demo-qoala-api-key-change-me',
	},
} as const satisfies PartnerDefinition<'qoala'>;

/** The Test button of each Qoala credential (`testedBy: '<type>Test'`). */
export const qoalaCredentialTests = credentialTestsFor(qoalaPartner.credentials);
