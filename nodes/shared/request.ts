import type { IWebhookFunctions } from 'n8n-workflow';

import { configuredScheme, type ConfiguredScheme } from './authentication';
import { signatureHeaderName, type DeliveryRequest } from './authSchemes';
import type { DeliveryContract } from './contract';
import { MisconfiguredTriggerError, SourceNotAllowedError, UnreadableBodyError } from './errors';
import { parseAllowlist } from './sourceAddress';

/** A delivery as read off n8n's request, before anything checks what it says. */
export interface ReadRequest {
	/** The check the node is configured with, its credential loaded. */
	configured: ConfiguredScheme;
	delivery: DeliveryRequest;
}

/**
 * Reads the request: the IP allowlist first (an address it does not list learns nothing but a
 * 403), then the node's credential, then the raw bytes. `readHeaders` gains the credential's
 * header: the headers a refusal's alert may name are those this trigger reads, never ones the
 * sender made up.
 */
export async function readRequest(
	context: IWebhookFunctions,
	contract: Pick<DeliveryContract<unknown, unknown>, 'authentication'>,
	readHeaders: string[],
): Promise<ReadRequest> {
	const request = context.getRequestObject();
	refuseUnlistedSource(context, request);
	const configured = await configuredScheme(context, contract.authentication);
	const credentialHeader = signatureHeaderName(configured.scheme);
	if (credentialHeader) readHeaders.push(credentialHeader.toLowerCase());
	const rawBody = await readRawBody(request);
	return { configured, delivery: { headers: context.getHeaderData(), rawBody } };
}

/**
 * The IP allowlist (Options → IP Allowlist), checked before anything else: an address it does
 * not list learns nothing about the trigger but a 403. The client address is n8n's `request.ip`,
 * which honours N8N_PROXY_HOPS behind a reverse proxy.
 */
function refuseUnlistedSource(context: IWebhookFunctions, request: RequestObject): void {
	const text = context.getNodeParameter('options.allowedIps', '') as string;
	if (text.trim() === '') return;
	const allowlist = parseAllowlist(text);
	if ('invalid' in allowlist) {
		throw new MisconfiguredTriggerError(
			`the IP Allowlist option: "${allowlist.invalid}" is not an IP address or CIDR range`,
		);
	}
	const address = clientAddress(request) ?? '';
	if (!allowlist.allows(address)) throw new SourceNotAllowedError(address || '(unknown)');
}

type RequestObject = ReturnType<IWebhookFunctions['getRequestObject']>;

export function clientAddress(request: RequestObject): string | undefined {
	return request.ip ?? request.socket?.remoteAddress;
}

/**
 * The bytes exactly as the partner sent them, which every signature is made over. n8n reads
 * them before `webhook()` for version-1 nodes, but for later versions only when the declared
 * type is JSON, text, form or XML. Any other type, or none, is read here, as n8n's own Webhook
 * node does, so version 2 takes every body version 1 took. A multipart body has already been
 * consumed by n8n's form parser and has no bytes left to give.
 */
export async function readRawBody(request: RequestObject): Promise<Buffer> {
	const unread =
		!Buffer.isBuffer(request.rawBody) &&
		!request.contentType?.startsWith('multipart/') &&
		typeof request.readRawBody === 'function';
	if (unread) {
		const failure = await request.readRawBody().then(
			() => undefined,
			(error: unknown) => new UnreadableBodyError(error),
		);
		if (failure) throw failure;
	}
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.alloc(0);
}
