/**
 * Signed partner deliveries, as a genuine partner would send them: the programmatic side of
 * the `n8n-insurance-webhooks` sender, and what the end-to-end tests use.
 *
 * The signing is the package's own (`signDelivery` over the scheme the trigger's
 * authentication table builds from a credential), so a delivery this sends is signed exactly
 * as the trigger checks it. Imports stay zod- and n8n-free: the sender must run anywhere the
 * package is installed, without n8n.
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';

import { registry, type Provider } from '../../nodes/partners';
import type { CredentialRules } from '../../nodes/shared/credentialTests';
import type { ProviderEvent } from '../../nodes/shared/partner';
import { signDelivery } from './signing';

export type { Provider, ProviderEvent };

/**
 * Every sample of every partner in the registry (`nodes/partners.ts`): its id
 * (`<provider>-<event>`, also the name of its sample in samples/), the trigger node that
 * receives it as named in workflows (without the package prefix), and that trigger's
 * `authentication` choices and default.
 */
export const PROVIDER_EVENTS: readonly ProviderEvent[] = registry.providerEvents;

export function providerEvent(id: string): ProviderEvent {
	const found = PROVIDER_EVENTS.find((candidate) => candidate.id === id);
	if (!found) {
		throw new UsageError(
			`Unknown provider-event "${id}". Known: ${PROVIDER_EVENTS.map((p) => p.id).join(', ')}`,
		);
	}
	return found;
}

/**
 * The sample payload of a provider-event, byte for byte (Curacel's `\/` escapes included).
 * Two folders up: from sender/src/ (tests, run from source) the repository's samples/; from
 * sender/dist/sender/src/ (built) sender/dist/samples/, where the build copies them.
 */
export function samplePath(id: string): string {
	return path.join(__dirname, '..', '..', 'samples', `${providerEvent(id).id}.json`);
}

export function readSample(id: string): Buffer {
	return readFileSync(samplePath(id));
}

/** A mistake in how the sender was called (as opposed to a failed delivery). */
export class UsageError extends Error {}

/** What the partner holds: the fields of the trigger's credential, from the sender's flags. */
export interface PartnerSecrets {
	/** The shared secret: whichever secret field the trigger's credential has (see `secretLabels`). */
	secret?: string;
	/** Qoala: the header the key/signature travels in (default x-api-key). */
	headerName?: string;
	/** Qoala HMAC-SHA256: hex (default) or base64. */
	encoding?: 'hex' | 'base64';
	/** Qoala MD5: hmac (default) or bodyAndSecret. */
	variant?: 'hmac' | 'bodyAndSecret';
	/** Qoala Basic Auth. */
	user?: string;
	password?: string;
}

export interface SigningTarget extends PartnerSecrets {
	/** `<provider>-<event>`, e.g. qoala-claim. */
	providerEvent: string;
	/** The trigger's `authentication` value; default: the trigger's default. */
	scheme?: string;
}

/** Credential fields with a flag of their own; every other secret field takes `--secret`. */
const OWN_FLAGS: ReadonlySet<string> = new Set(['user', 'password']);

/**
 * Every secret field of every credential type in the registry (apiKey, secret, token,
 * secretKey, webhookSecret, …) but those with their own flag: what `--secret` fills.
 */
const SECRET_FIELDS: readonly string[] = [
	...new Set(
		Object.values(registry.credentialRules).flatMap((rules) =>
			rules.secrets.filter((field) => !OWN_FLAGS.has(field)),
		),
	),
];

/**
 * What `--secret` stands for with each partner of the registry: the labels of its credentials'
 * secret fields that `--secret` fills (e.g. `Cermati: Secret Key`).
 */
export function secretLabels(): string[] {
	return registry.partners.map((partner) => {
		const rulesOf: CredentialRules[] = Object.values(partner.credentials);
		const labels = rulesOf.flatMap((rules) =>
			rules.secrets
				.filter((field) => !OWN_FLAGS.has(field))
				.map((field) => rules.required[field] ?? field),
		);
		return `${partner.name}: ${[...new Set(labels)].join(' / ')}`;
	});
}

/**
 * The credential object the trigger would hold, built from flags. Every secret field of the
 * package's credential types carries `secret`, so each scheme finds its own.
 */
function credentialFrom(secrets: PartnerSecrets): Record<string, string> {
	const credential: Record<string, string> = {};
	if (secrets.secret !== undefined) {
		for (const field of SECRET_FIELDS) credential[field] = secrets.secret;
	}
	if (secrets.headerName !== undefined) credential.headerName = secrets.headerName;
	if (secrets.encoding !== undefined) credential.encoding = secrets.encoding;
	if (secrets.variant !== undefined) credential.variant = secrets.variant;
	if (secrets.user !== undefined) credential.user = secrets.user;
	if (secrets.password !== undefined) credential.password = secrets.password;
	return credential;
}

/** The headers a genuine partner sends with `rawBody`: Content-Type plus the signature headers. */
export function signedHeaders(target: SigningTarget, rawBody: Buffer): Record<string, string> {
	const entry = providerEvent(target.providerEvent);
	const schemeName = target.scheme ?? entry.defaultScheme;
	const method = entry.methods[schemeName];
	if (!method) {
		throw new UsageError(
			`Unknown scheme "${schemeName}" for ${entry.id}. Known: ${Object.keys(entry.methods).join(', ')}`,
		);
	}
	if (method.credentialType) {
		const needed = schemeName === 'basicAuth' ? ['user', 'password'] : ['secret'];
		const missing = needed.filter((flag) => !target[flag as keyof PartnerSecrets]);
		if (missing.length > 0) {
			throw new UsageError(
				`Scheme "${schemeName}" of ${entry.id} needs ${missing.map((flag) => `--${flag}`).join(' and ')}`,
			);
		}
	}
	let payload: unknown;
	try {
		payload = JSON.parse(rawBody.toString('utf8'));
	} catch {
		payload = undefined;
	}
	try {
		const scheme = method.scheme(credentialFrom(target));
		return { 'Content-Type': 'application/json', ...signDelivery(scheme, rawBody, payload) };
	} catch (error) {
		// e.g. Cermati signs body fields: a body without them cannot be signed.
		throw new UsageError(`Cannot sign this ${entry.id} delivery: ${(error as Error).message}`);
	}
}

export interface DeliveryAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	/** The response body as text. */
	body: string;
	/** The response body parsed, when it is JSON. */
	json?: unknown;
}

/** POSTs exactly these bytes with exactly these headers (plus Host and Content-Length). */
export function postDelivery(
	url: string,
	rawBody: Buffer,
	headers: Record<string, string>,
	timeoutMs = 30000,
): Promise<DeliveryAnswer> {
	const target = new URL(url);
	const client =
		target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : undefined;
	if (!client) return Promise.reject(new UsageError(`--url must be http(s): ${url}`));
	return new Promise((resolve, reject) => {
		const request = client.request(
			target,
			{
				method: 'POST',
				headers: { ...headers, 'Content-Length': String(rawBody.length) },
				timeout: timeoutMs,
			},
			(response) => readAnswer(response).then(resolve, reject),
		);
		request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		request.on('error', reject);
		request.end(rawBody);
	});
}

export interface DeliveryOptions extends SigningTarget {
	url: string;
	/** The body to send; default: the provider-event's sample, unchanged. */
	body?: Buffer | string;
	/** Headers to add or replace after signing (`undefined` removes one), e.g. to forge. */
	headers?: Record<string, string | undefined>;
	timeoutMs?: number;
}

export interface SentDelivery extends DeliveryAnswer {
	sent: { body: Buffer; headers: Record<string, string> };
}

/** Signs and sends one delivery; resolves with the answer, rejects on a transport error. */
export async function sendDelivery(options: DeliveryOptions): Promise<SentDelivery> {
	const body =
		options.body === undefined
			? readSample(options.providerEvent)
			: Buffer.isBuffer(options.body)
				? options.body
				: Buffer.from(options.body, 'utf8');
	const headers = signedHeaders(options, body);
	for (const [name, value] of Object.entries(options.headers ?? {})) {
		const existing = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
		if (existing !== undefined) delete headers[existing];
		if (value !== undefined) headers[name] = value;
	}
	const answer = await postDelivery(options.url, body, headers, options.timeoutMs);
	return { ...answer, sent: { body, headers } };
}

/** A response read to its end: status, headers, body as text, and the body as JSON if it is. */
export function readAnswer(response: http.IncomingMessage): Promise<DeliveryAnswer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		response.on('data', (chunk: Buffer) => chunks.push(chunk));
		response.on('error', reject);
		response.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			let json: unknown;
			try {
				json = JSON.parse(body);
			} catch {
				json = undefined;
			}
			resolve({ status: response.statusCode ?? 0, headers: response.headers, body, json });
		});
	});
}
