import type { ChoiceField, HeaderField } from '../shared/credentialTests';

/**
 * The settings of Qoala's credentials that the credential forms, their Test button and the
 * trigger all read, written once here: the forms take their defaults and options from these,
 * the Test button (`partner.ts`) checks against them, and the trigger (`authentication.ts`)
 * falls back to them.
 */

/** The header Qoala's documentation shows for every scheme it signs with. */
export const QOALA_HEADER = {
	field: 'headerName',
	label: 'Header Name',
	fallback: 'x-api-key',
} as const satisfies HeaderField;

/** How the HMAC-SHA256 signature is written in the header. */
export const QOALA_HMAC_ENCODING = {
	field: 'encoding',
	label: 'Encoding',
	options: [
		{ name: 'Hex', value: 'hex', description: '64 hexadecimal characters (any case)' },
		{ name: 'Base64', value: 'base64', description: '44 base64 characters' },
	],
	fallback: 'hex',
} as const satisfies ChoiceField;

/** How the MD5 scheme combines the secret with the body. */
export const QOALA_MD5_VARIANT = {
	field: 'variant',
	label: 'Variant',
	options: [
		{ name: 'HMAC-MD5 of the Body', value: 'hmac', description: 'HMAC-MD5(secret, raw body)' },
		{
			name: 'MD5 of Body Followed by Secret',
			value: 'bodyAndSecret',
			description: 'MD5(raw body + secret)',
		},
	],
	fallback: 'hmac',
} as const satisfies ChoiceField;
