import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import { parseJsonBody } from './body';
import {
	MalformedCredentialError,
	MissingCredentialError,
	CredentialMismatchError,
	UnsupportedSignatureVersionError,
} from './errors';

/**
 * Request headers as n8n hands them over (Node's `IncomingHttpHeaders`: lower-case names, a
 * repeated header as an array). Declared here because n8n's lint rules allow nodes no
 * `node:http` import, not even of a type.
 */
export type HttpHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * How a partner proves a delivery is theirs, as data. Every partner scheme in this package is
 * one of these shapes; the differences (header, algorithm, what is signed) are fields.
 */
export type AuthScheme = NoAuth | SharedSecretHeader | AuthorizationHeader | SignatureHeader;

export interface NoAuth {
	type: 'none';
}

/** The header carries the secret itself (Qoala's static `x-api-key`). */
export interface SharedSecretHeader {
	type: 'sharedSecret';
	header: string;
	secret: string;
}

/** `Authorization: Bearer <token>` or `Authorization: Basic <base64(user:password)>`. */
export interface AuthorizationHeader {
	type: 'authorization';
	scheme: 'Bearer' | 'Basic';
	credentials: string;
}

/** The header carries a digest of the signed content, keyed with (or salted by) the secret. */
export interface SignatureHeader {
	type: 'signature';
	header: string;
	algorithm: 'sha256' | 'md5';
	/** `hmac`: HMAC(secret, content); `contentAndSecret`: hash(content ‖ secret). */
	construction: 'hmac' | 'contentAndSecret';
	encoding: 'hex' | 'base64';
	secret: string;
	/**
	 * While a secret is rotated: the one the partner used until now. A digest made with either
	 * is accepted (Standard Webhooks verifiers take several keys the same way).
	 */
	previousSecret?: string;
	/** A version prefix such as Cermati's `v1=`; absent when the header is the bare digest. */
	version?: string;
	signed: SignedContent;
}

/** What the digest covers: the raw request bytes, or body fields concatenated as sent. */
export type SignedContent = { from: 'rawBody' } | { from: 'fields'; fields: readonly string[] };

/** Hex is compared case-insensitively; base64 in its standard alphabet, padding optional. */
const DIGEST_SHAPE = {
	hex: /^[0-9a-fA-F]+$/,
	base64: /^[A-Za-z0-9+/]+={0,2}$/,
} as const;
const DIGEST_BYTES = { sha256: 32, md5: 16 } as const;

export function signatureHeaderName(scheme: AuthScheme): string | undefined {
	switch (scheme.type) {
		case 'none':
			return undefined;
		case 'authorization':
			return 'Authorization';
		default:
			return scheme.header;
	}
}

/** Reads one header value; a header sent twice is ambiguous and treated as malformed. */
export function readHeader(headers: HttpHeaders, name: string, expected: string): string {
	const value = headers[name.toLowerCase()];
	if (value === undefined || value === '') throw new MissingCredentialError(name);
	if (Array.isArray(value)) throw new MalformedCredentialError(name, `${expected}, sent once`);
	return value;
}

/**
 * Compares two secrets in constant time whatever their lengths: both sides are hashed to
 * 32 bytes first, so neither the length nor a common prefix of the secret leaks.
 */
export function secretsEqual(received: string, expected: string): boolean {
	const a = createHash('sha256').update(received, 'utf8').digest();
	const b = createHash('sha256').update(expected, 'utf8').digest();
	return timingSafeEqual(a, b);
}

/** The digest of `content` made with `secret` (the scheme's own unless another is given). */
export function digestOf(
	scheme: Pick<SignatureHeader, 'algorithm' | 'construction' | 'secret'>,
	content: Buffer,
	secret: string = scheme.secret,
): Buffer {
	if (scheme.construction === 'hmac') {
		return createHmac(scheme.algorithm, secret).update(content).digest();
	}
	return createHash(scheme.algorithm).update(content).update(Buffer.from(secret, 'utf8')).digest();
}

/** Decodes a received digest, insisting on the exact length the algorithm produces. */
export function decodeDigest(
	value: string,
	scheme: Pick<SignatureHeader, 'algorithm' | 'encoding' | 'header'>,
): Buffer {
	const bytes = DIGEST_BYTES[scheme.algorithm];
	const expected = `${scheme.encoding === 'hex' ? `${bytes * 2} hex characters` : 'base64'} (${scheme.algorithm.toUpperCase()})`;
	const trimmed = value.trim();
	if (!DIGEST_SHAPE[scheme.encoding].test(trimmed)) {
		throw new MalformedCredentialError(scheme.header, expected);
	}
	const digest = Buffer.from(trimmed, scheme.encoding);
	if (digest.length !== bytes || (scheme.encoding === 'hex' && trimmed.length !== bytes * 2)) {
		throw new MalformedCredentialError(scheme.header, expected);
	}
	return digest;
}

/** Splits `v1=abc…` into its version and value; an unknown version is named in the error. */
export function splitVersion(value: string, header: string, version: string): string {
	const separator = value.indexOf('=');
	if (separator <= 0) throw new MalformedCredentialError(header, `${version}=<signature>`);
	const sentVersion = value.slice(0, separator).trim();
	if (sentVersion !== version) {
		throw new UnsupportedSignatureVersionError(header, sentVersion, [version]);
	}
	return value.slice(separator + 1);
}

/**
 * The bytes a signature covers. For field signatures the fields must be strings exactly as
 * sent: anything else cannot have been signed, so it is `undefined` and the caller says so.
 */
export function signedBytes(
	signed: SignedContent,
	rawBody: Buffer,
	payload: unknown,
): Buffer | undefined {
	if (signed.from === 'rawBody') return rawBody;
	if (typeof payload !== 'object' || payload === null) return undefined;
	const record = payload as Record<string, unknown>;
	const parts = signed.fields.map((field) => record[field]);
	if (!parts.every((part): part is string => typeof part === 'string')) return undefined;
	return Buffer.from(parts.join(''), 'utf8');
}

export interface DeliveryRequest {
	headers: HttpHeaders;
	rawBody: Buffer;
}

/** What the sender presented: a secret to compare, or a decoded digest to recompute. */
export type PresentedCredential =
	| { type: 'none' }
	| { type: 'secret'; header: string; value: string }
	| { type: 'digest'; value: Buffer };

/**
 * First half of authentication, needing only the headers: is the credential there and well
 * formed? Runs before the body is even parsed, so unsigned junk costs nothing.
 */
export function presentedCredential(scheme: AuthScheme, headers: HttpHeaders): PresentedCredential {
	switch (scheme.type) {
		case 'none':
			return { type: 'none' };
		case 'sharedSecret':
			return {
				type: 'secret',
				header: scheme.header,
				value: readHeader(headers, scheme.header, 'the API key'),
			};
		case 'authorization': {
			const expected = `${scheme.scheme} <credentials>`;
			const value = readHeader(headers, 'Authorization', expected);
			const match = /^(\S+)\s+(\S+)\s*$/.exec(value);
			if (!match || match[1].toLowerCase() !== scheme.scheme.toLowerCase()) {
				throw new MalformedCredentialError('Authorization', expected);
			}
			return { type: 'secret', header: 'Authorization', value: match[2] };
		}
		case 'signature': {
			const format = scheme.version ? `${scheme.version}=<signature>` : 'a signature';
			let value = readHeader(headers, scheme.header, format);
			if (scheme.version) value = splitVersion(value, scheme.header, scheme.version);
			return { type: 'digest', value: decodeDigest(value, scheme) };
		}
	}
}

/**
 * Second half: does the credential prove this delivery? `payload` (the parsed body) is needed
 * only by schemes that sign body fields. Throws `CredentialMismatchError` when it does not.
 */
export function verifyPresented(
	scheme: AuthScheme,
	presented: PresentedCredential,
	rawBody: Buffer,
	payload?: unknown,
): void {
	if (scheme.type === 'none') return;
	const header = signatureHeaderName(scheme) as string;
	if (scheme.type === 'signature') {
		const content = signedBytes(scheme.signed, rawBody, payload);
		if (presented.type !== 'digest' || content === undefined)
			throw new CredentialMismatchError(header);
		// Every configured secret is compared, each in constant time, whichever matches: how long
		// the check takes says nothing about which secret (if any) signed the delivery.
		const signedWith = (secret: string) =>
			timingSafeEqual(presented.value, digestOf(scheme, content, secret));
		const current = signedWith(scheme.secret);
		const previous = scheme.previousSecret !== undefined && signedWith(scheme.previousSecret);
		if (!current && !previous) throw new CredentialMismatchError(header);
		return;
	}
	const expected = scheme.type === 'sharedSecret' ? scheme.secret : scheme.credentials;
	if (presented.type !== 'secret' || !secretsEqual(presented.value, expected)) {
		throw new CredentialMismatchError(header);
	}
}

/**
 * Authentication, the first reader of a delivery: the credential the headers present, checked
 * over the raw bytes before they are parsed — or, for a signature over body fields (Cermati),
 * over those fields of the parsed body before anything else reads it (a forger learns nothing
 * of the schema). Returns the parsed body; throws the `DeliveryRejectedError` of the check
 * that failed.
 */
export function authenticateDelivery(scheme: AuthScheme, request: DeliveryRequest): unknown {
	const presented = presentedCredential(scheme, request.headers);
	if (scheme.type === 'signature' && scheme.signed.from === 'fields') {
		const json = parseJsonBody(request.rawBody);
		verifyPresented(scheme, presented, request.rawBody, json);
		return json;
	}
	verifyPresented(scheme, presented, request.rawBody);
	return parseJsonBody(request.rawBody);
}

/** The header and fields a signature over body fields covers (Cermati's); undefined for others. */
export function signedFieldsOf(
	scheme: AuthScheme,
): { header: string; fields: readonly string[] } | undefined {
	if (scheme.type !== 'signature' || scheme.signed.from !== 'fields') return undefined;
	return { header: scheme.header, fields: scheme.signed.fields };
}
