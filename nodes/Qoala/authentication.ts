import {
	headerNameField,
	noAuthentication,
	oneOf,
	optionalSecret,
	requiredSecret,
	type AuthenticationMethods,
} from '../shared/authentication';
import { allowedValues } from '../shared/credentialTests';
import { QOALA_HEADER, QOALA_HMAC_ENCODING, QOALA_MD5_VARIANT } from './credentialFields';

/**
 * Qoala picks one of these per partner at onboarding. What HMAC/MD5 cover is not documented,
 * so the header, encoding and construction are the credential's to set (defaults: raw body,
 * lowercase hex, the header of `QOALA_HEADER`; see credentialFields.ts).
 */
export const qoalaAuthentication: AuthenticationMethods = {
	apiKey: {
		name: 'API Key',
		description: `Qoala sends a fixed key in a header (${QOALA_HEADER.fallback} by default)`,
		credentialType: 'qoalaApiKeyApi',
		scheme: (credentials) => ({
			type: 'sharedSecret',
			header: headerNameField(credentials, QOALA_HEADER.field, QOALA_HEADER.fallback),
			secret: requiredSecret(credentials, 'apiKey'),
		}),
	},
	hmacSha256: {
		name: 'HMAC-SHA256',
		description: 'Qoala signs the body with HMAC-SHA256',
		credentialType: 'qoalaHmacSha256Api',
		scheme: (credentials) => ({
			type: 'signature',
			header: headerNameField(credentials, QOALA_HEADER.field, QOALA_HEADER.fallback),
			algorithm: 'sha256',
			construction: 'hmac',
			encoding: oneOf(
				credentials,
				QOALA_HMAC_ENCODING.field,
				allowedValues(QOALA_HMAC_ENCODING),
				QOALA_HMAC_ENCODING.fallback,
			),
			secret: requiredSecret(credentials, 'secret'),
			previousSecret: optionalSecret(credentials, 'previousSecret'),
			signed: { from: 'rawBody' },
		}),
	},
	md5: {
		name: 'MD5',
		description: 'Qoala signs the body with MD5',
		credentialType: 'qoalaMd5Api',
		scheme: (credentials) => ({
			type: 'signature',
			header: headerNameField(credentials, QOALA_HEADER.field, QOALA_HEADER.fallback),
			algorithm: 'md5',
			construction:
				oneOf(
					credentials,
					QOALA_MD5_VARIANT.field,
					allowedValues(QOALA_MD5_VARIANT),
					QOALA_MD5_VARIANT.fallback,
				) === 'bodyAndSecret'
					? 'contentAndSecret'
					: 'hmac',
			encoding: 'hex',
			secret: requiredSecret(credentials, 'secret'),
			previousSecret: optionalSecret(credentials, 'previousSecret'),
			signed: { from: 'rawBody' },
		}),
	},
	bearer: {
		name: 'Bearer Token',
		description: 'Qoala sends Authorization: Bearer <token>',
		credentialType: 'qoalaBearerApi',
		scheme: (credentials) => ({
			type: 'authorization',
			scheme: 'Bearer',
			credentials: requiredSecret(credentials, 'token'),
		}),
	},
	basicAuth: {
		name: 'Basic Auth',
		description: 'Qoala sends Authorization: Basic with a user and password',
		credentialType: 'qoalaBasicAuthApi',
		scheme: (credentials) => ({
			type: 'authorization',
			scheme: 'Basic',
			credentials: Buffer.from(
				`${requiredSecret(credentials, 'user')}:${requiredSecret(credentials, 'password')}`,
				'utf8',
			).toString('base64'),
		}),
	},
	none: noAuthentication,
};
