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

import { cermatiAuthentication } from '../../nodes/Cermati/authentication';
import { curacelAuthentication } from '../../nodes/Curacel/authentication';
import { qoalaAuthentication } from '../../nodes/Qoala/authentication';
import type { AuthenticationMethods } from '../../nodes/shared/authentication';
import { signDelivery } from './signing';

export type Provider = 'qoala' | 'cermati' | 'curacel';

export interface ProviderEvent {
	/** `<provider>-<event>`, also the name of its sample in samples/. */
	id: string;
	provider: Provider;
	event: string;
	/** The trigger node that receives it, as named in workflows (without the package prefix). */
	nodeName: string;
	/** The trigger's `authentication` choices, keyed by parameter value. */
	methods: AuthenticationMethods;
	defaultScheme: string;
	description: string;
}

export const PACKAGE_NAME = 'n8n-nodes-insurance-webhooks';

/** What Cermati signs: `trxId + updatedAt` for applications, `claimId + updatedAt` for claims. */
const CERMATI_APPLICATION_FIELDS = ['trxId', 'updatedAt'] as const;
const CERMATI_CLAIM_FIELDS = ['claimId', 'updatedAt'] as const;

const CURACEL_EVENTS: ReadonlyArray<[event: string, description: string]> = [
	['claim.pile.vetting_done', 'Curacel Health: a claim of a pile was vetted (sent once per claim)'],
	['claim.vetted', 'Curacel Health: a claim was vetted'],
	['policy.created', 'Curacel Grow: a policy was created'],
	['discharge_voucher.created', 'Curacel Grow: a discharge voucher was created'],
	['discharge_voucher.paid', 'Curacel Grow: a discharge voucher was paid'],
	['claim.settled', 'Curacel Grow: a claim was settled'],
	['order.cancelled', 'Curacel Grow: an order was cancelled'],
	['instalment.due', 'Curacel Grow: an instalment is due (a non-2XX answer declines the charge)'],
];

export const PROVIDER_EVENTS: readonly ProviderEvent[] = [
	{
		id: 'qoala-claim',
		provider: 'qoala',
		event: 'claim',
		nodeName: 'qoalaClaimTrigger',
		methods: qoalaAuthentication,
		defaultScheme: 'apiKey',
		description: 'Qoala claim status callback',
	},
	{
		id: 'qoala-policy',
		provider: 'qoala',
		event: 'policy',
		nodeName: 'qoalaPolicyTrigger',
		methods: qoalaAuthentication,
		defaultScheme: 'apiKey',
		description: 'Qoala policy status callback',
	},
	{
		id: 'cermati-application',
		provider: 'cermati',
		event: 'application',
		nodeName: 'cermatiApplicationTrigger',
		methods: cermatiAuthentication(CERMATI_APPLICATION_FIELDS),
		defaultScheme: 'signature',
		description: 'Cermati insurance application notification',
	},
	{
		id: 'cermati-claim',
		provider: 'cermati',
		event: 'claim',
		nodeName: 'cermatiClaimTrigger',
		methods: cermatiAuthentication(CERMATI_CLAIM_FIELDS),
		defaultScheme: 'signature',
		description: 'Cermati claim notification',
	},
	...CURACEL_EVENTS.map(([event, description]): ProviderEvent => ({
		id: `curacel-${event}`,
		provider: 'curacel',
		event,
		nodeName: 'curacelTrigger',
		methods: curacelAuthentication,
		defaultScheme: 'signature',
		description,
	})),
];

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
	/** The shared secret: API key, HMAC/MD5 secret, bearer token, Cermati secret key, Curacel webhook secret. */
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

/**
 * The credential object the trigger would hold, built from flags. Every secret-ish field name
 * of the package's credential types carries `secret`, so each scheme finds its own.
 */
function credentialFrom(secrets: PartnerSecrets): Record<string, string> {
	const credential: Record<string, string> = {};
	if (secrets.secret !== undefined) {
		for (const field of ['apiKey', 'secret', 'token', 'secretKey', 'webhookSecret']) {
			credential[field] = secrets.secret;
		}
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
			(response) => {
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
			},
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
