import {
	noAuthentication,
	optionalSecret,
	requiredSecret,
	type AuthenticationMethods,
} from '../shared/authentication';

export const CERMATI_SIGNATURE_HEADER = 'Cermati-Signature';

/**
 * Cermati's `v1` signature: lowercase hex HMAC-SHA256 over two body fields concatenated as
 * sent — `trxId + updatedAt` for applications, `claimId + updatedAt` for claims.
 */
export function cermatiAuthentication(signedFields: readonly string[]): AuthenticationMethods {
	return {
		signature: {
			name: 'Cermati Signature',
			description: `Checks the Cermati-Signature header (v1, HMAC-SHA256 of ${signedFields.join(' + ')})`,
			credentialType: 'cermatiSignatureApi',
			scheme: (credentials) => ({
				type: 'signature',
				header: CERMATI_SIGNATURE_HEADER,
				algorithm: 'sha256',
				construction: 'hmac',
				encoding: 'hex',
				version: 'v1',
				secret: requiredSecret(credentials, 'secretKey'),
				previousSecret: optionalSecret(credentials, 'previousSecret'),
				signed: { from: 'fields', fields: signedFields },
			}),
		},
		none: noAuthentication,
	};
}
