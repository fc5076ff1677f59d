/**
 * One error type per way a delivery can be wrong, so the pipeline can answer each with the
 * right HTTP status and a message that tells the partner's engineer what to fix — without
 * ever echoing the expected signature or the secret.
 */

export interface PayloadIssue {
	path: string;
	message: string;
}

export interface RejectionBody {
	error: string;
	issues?: PayloadIssue[];
}

/**
 * Which check refused a delivery, as a stable code: what the Rejected output's `check` field
 * holds, so a workflow can branch on it and an alert can be rate-limited per kind of refusal.
 * Codes are never renamed; a new way to be wrong gets a new code.
 */
export const REJECTION_CHECKS = [
	'missing_header',
	'malformed_header',
	'signature_mismatch',
	'unsupported_version',
	'stale_delivery',
	'replayed_signature',
	'ip_not_allowed',
	'unreadable_body',
	'invalid_json',
	'invalid_payload',
	'misconfigured',
	'unexpected_error',
] as const;
export type RejectionCheck = (typeof REJECTION_CHECKS)[number];

export abstract class DeliveryRejectedError extends Error {
	abstract readonly httpStatus: 400 | 401 | 403 | 413 | 500;
	abstract readonly check: RejectionCheck;

	toResponseBody(): RejectionBody {
		return { error: this.message };
	}
}

/** 401: who sent it cannot be established. */
export abstract class AuthenticationError extends DeliveryRejectedError {
	readonly httpStatus = 401 as const;
}

/**
 * The credential errors cover every scheme, not only signatures: an API key, a Bearer token or
 * Basic Auth missing, malformed or wrong is refused by the same classes (their `check` codes,
 * `missing_header`, `malformed_header` and `signature_mismatch`, stay as users see them).
 */
export class MissingCredentialError extends AuthenticationError {
	readonly check = 'missing_header' as const;
	constructor(readonly header: string) {
		super(`Missing ${header} header`);
	}
}

export class MalformedCredentialError extends AuthenticationError {
	readonly check = 'malformed_header' as const;
	constructor(
		readonly header: string,
		expected: string,
	) {
		super(`Malformed ${header} header: expected ${expected}`);
	}
}

export class CredentialMismatchError extends AuthenticationError {
	readonly check = 'signature_mismatch' as const;
	constructor(readonly header: string) {
		super(
			`${header} does not match this delivery: it was made with another secret or over other content`,
		);
	}
}

export class UnsupportedSignatureVersionError extends AuthenticationError {
	readonly check = 'unsupported_version' as const;
	constructor(
		readonly header: string,
		version: string,
		supported: readonly string[],
	) {
		// The version the sender wrote is not quoted: refusals never echo what a sender wrote.
		super(
			`Unsupported signature version in ${header} header${versionShape(version)}; supported: ${supported.join(', ')}`,
		);
	}
}

/** What the sent version looks like, without its characters: `(a 2-character version)`. */
function versionShape(version: string): string {
	return version === '' ? ' (no version)' : ` (a ${version.length}-character version)`;
}

/** @deprecated Renamed MissingCredentialError: it covers keys and tokens too. */
export const MissingSignatureError = MissingCredentialError;
export type MissingSignatureError = MissingCredentialError;
/** @deprecated Renamed MalformedCredentialError: it covers keys and tokens too. */
export const MalformedSignatureError = MalformedCredentialError;
export type MalformedSignatureError = MalformedCredentialError;
/** @deprecated Renamed CredentialMismatchError: it covers keys and tokens too. */
export const SignatureMismatchError = CredentialMismatchError;
export type SignatureMismatchError = CredentialMismatchError;

/** 403: the delivery comes from an address the trigger's IP allowlist does not list. */
export class SourceNotAllowedError extends DeliveryRejectedError {
	readonly httpStatus = 403 as const;
	readonly check = 'ip_not_allowed' as const;

	constructor(address: string) {
		super(
			`Deliveries from ${printable(address, 45)} are not allowed by this trigger's IP allowlist`,
		);
	}
}

/** 401: a signed delivery outside the trigger's freshness window (Options → Maximum Age). */
export class StaleDeliveryError extends AuthenticationError {
	readonly check = 'stale_delivery' as const;
	constructor(field: string, problem: string) {
		super(`${field} ${problem}`);
	}
}

/**
 * 401: a signed pair (Cermati's id + updatedAt) already delivered with other content. The
 * signature covers only the pair, and a status change always has its own `updatedAt`, so a
 * second, different body under one signed pair is not the partner: it is a genuine signature
 * replayed over a body someone else wrote.
 */
export class ReplayedSignatureError extends AuthenticationError {
	readonly check = 'replayed_signature' as const;
	constructor(header: string, signedFields: readonly string[]) {
		super(
			`${header} was already delivered with other content: one ${signedFields.join(' + ')} is one notification`,
		);
	}
}

/**
 * 400: the sender is fine (or not checked) but the body is not a notification we understand.
 * The reason says where, never what: the body is the sender's text, and refusals and alerts
 * quote none of it.
 */
export class InvalidJsonError extends DeliveryRejectedError {
	readonly httpStatus = 400 as const;
	readonly check = 'invalid_json' as const;

	constructor(reason: string) {
		super(`Body is not valid JSON: ${reason}`);
	}

	override toResponseBody(): RejectionBody {
		return { error: this.message, issues: [] };
	}
}

/**
 * 413 or 400: the body's bytes could not be read: larger than n8n accepts
 * (`N8N_PAYLOAD_SIZE_MAX`), or the sender stopped sending before the end.
 */
export class UnreadableBodyError extends DeliveryRejectedError {
	readonly httpStatus: 400 | 413;
	readonly check = 'unreadable_body' as const;

	constructor(cause: unknown) {
		const tooLarge = (cause as { type?: unknown } | null)?.type === 'entity.too.large';
		super(
			tooLarge
				? 'Body is larger than this n8n accepts (N8N_PAYLOAD_SIZE_MAX)'
				: 'Body could not be read: the request ended before the whole body arrived',
		);
		this.httpStatus = tooLarge ? 413 : 400;
	}
}

export class InvalidPayloadError extends DeliveryRejectedError {
	readonly httpStatus = 400 as const;
	readonly check = 'invalid_payload' as const;

	constructor(
		summary: string,
		readonly issues: PayloadIssue[],
	) {
		super(summary);
	}

	override toResponseBody(): RejectionBody {
		return { error: this.message, issues: this.issues };
	}
}

/**
 * 500: the node itself is not usable (e.g. an empty secret, which would let anyone sign).
 * The partner retries, so the event is not lost once the credential is fixed. What is wrong is
 * the owner's to read (n8n's log, the Rejected output), never the caller's: the answer says
 * only that the trigger is not configured correctly.
 */
export class MisconfiguredTriggerError extends DeliveryRejectedError {
	readonly httpStatus = 500 as const;
	readonly check = 'misconfigured' as const;

	constructor(problem: string) {
		super(`${NOT_CONFIGURED}: ${problem}`);
	}

	override toResponseBody(): RejectionBody {
		return { error: NOT_CONFIGURED };
	}
}
export const NOT_CONFIGURED = 'This trigger is not configured correctly';

/** Sender-controlled text goes back in a message only after being cut short and made printable. */
function printable(text: string, max = 16): string {
	const visible = text.replace(/[^\x20-\x7e]/g, '?');
	return visible.length > max ? `${visible.slice(0, max)}…` : visible;
}
