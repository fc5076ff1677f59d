import {
	noAuthentication,
	optionalSecret,
	requiredSecret,
	type AuthenticationMethods,
} from '../shared/authentication';

export const CURACEL_SIGNATURE_HEADER = 'x-curacel-signature';

/**
 * Hex HMAC-SHA256 of the body with the dashboard's Webhook Secret. Curacel's sender is PHP and
 * escapes `/` as `\/`, so only the raw bytes verify; a re-serialised body never would.
 */
export const curacelAuthentication: AuthenticationMethods = {
	signature: {
		name: 'Curacel Signature',
		description: 'Checks the x-curacel-signature header (HMAC-SHA256 of the body)',
		credentialType: 'curacelSignatureApi',
		scheme: (credentials) => ({
			type: 'signature',
			header: CURACEL_SIGNATURE_HEADER,
			algorithm: 'sha256',
			construction: 'hmac',
			encoding: 'hex',
			secret: requiredSecret(credentials, 'webhookSecret'),
			previousSecret: optionalSecret(credentials, 'previousSecret'),
			signed: { from: 'rawBody' },
		}),
	},
	none: noAuthentication,
};
