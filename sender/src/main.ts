/**
 * `n8n-insurance-webhooks send <provider-event> --url <url> [flags]`: sends a delivery signed
 * exactly as the partner would, prints the answer's status and body.
 * Exit codes: 0 an answer came back (whatever its status), 1 no answer (transport error),
 * 2 the command line is wrong.
 */
import { readFileSync } from 'node:fs';

import {
	PROVIDER_EVENTS,
	UsageError,
	providerEvent,
	samplePath,
	secretLabels,
	sendDelivery,
	type DeliveryOptions,
} from './deliveries';

const COMMAND = 'n8n-insurance-webhooks';

/** Flags taking a value; each maps to an option of `sendDelivery`. */
const VALUE_FLAGS = [
	'url',
	'scheme',
	'secret',
	'header-name',
	'encoding',
	'variant',
	'user',
	'password',
	'file',
	'header',
	'timeout',
] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
const SWITCHES = ['stdin', 'help', 'verbose'] as const;
type Switch = (typeof SWITCHES)[number];

interface ParsedArgs {
	positional: string[];
	values: Partial<Record<ValueFlag, string[]>>;
	switches: Set<Switch>;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
	const parsed: ParsedArgs = { positional: [], values: {}, switches: new Set() };
	for (let index = 0; index < argv.length; index += 1) {
		const arg = argv[index];
		if (arg === '-h') {
			parsed.switches.add('help');
			continue;
		}
		if (!arg.startsWith('--')) {
			parsed.positional.push(arg);
			continue;
		}
		const separator = arg.indexOf('=');
		const name = arg.slice(2, separator === -1 ? undefined : separator);
		if ((SWITCHES as readonly string[]).includes(name)) {
			if (separator !== -1) throw new UsageError(`--${name} takes no value`);
			parsed.switches.add(name as Switch);
			continue;
		}
		if (!(VALUE_FLAGS as readonly string[]).includes(name)) {
			throw new UsageError(`Unknown flag --${name} (see ${COMMAND} --help)`);
		}
		let value: string | undefined;
		if (separator !== -1) value = arg.slice(separator + 1);
		else {
			value = argv[index + 1];
			index += 1;
		}
		if (value === undefined) throw new UsageError(`--${name} needs a value`);
		(parsed.values[name as ValueFlag] ??= []).push(value);
	}
	return parsed;
}

function single(parsed: ParsedArgs, flag: ValueFlag): string | undefined {
	const values = parsed.values[flag];
	if (values && values.length > 1) throw new UsageError(`--${flag} given more than once`);
	return values?.[0];
}

function oneOf<T extends string>(
	flag: string,
	value: string | undefined,
	allowed: readonly T[],
): T | undefined {
	if (value === undefined) return undefined;
	if (!(allowed as readonly string[]).includes(value)) {
		throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}`);
	}
	return value as T;
}

export function helpText(): string {
	const lines = [
		`Usage: ${COMMAND} send <provider-event> --url <url> [flags]`,
		'',
		'Sends one webhook delivery signed exactly as the partner would (Content-Type: application/json',
		"plus the partner's signature headers), then prints the HTTP status and the answer's body.",
		"The body is the provider-event's sample payload, sent byte for byte, unless --file or --stdin is given.",
		'',
		'Flags:',
		"  --url <url>              the trigger's production URL (…/webhook/<webhookId>/webhook)",
		"  --scheme <scheme>        how the partner authenticates (default: the trigger's default, see below)",
		"  --secret <value>         the shared secret, whichever field the trigger's credential has:",
		...secretLabels().map((labels) => `                             ${labels}`),
		'  --header-name <name>     Qoala: header carrying the key or signature (default x-api-key)',
		'  --encoding hex|base64    Qoala hmacSha256: digest encoding (default hex)',
		'  --variant hmac|bodyAndSecret  Qoala md5: HMAC-MD5 (default) or MD5(body + secret)',
		'  --user <u> --password <p>     Qoala basicAuth',
		"  --file <path>            send this file's bytes instead of the sample",
		'  --stdin                  send the bytes read from standard input instead of the sample',
		'  --header "Name: value"   add or replace a header after signing (repeatable; "Name:" removes it)',
		'  --timeout <ms>           give up waiting for an answer after this long (default 30000)',
		'  --verbose                also print the request headers (secrets included) to stderr',
		'  -h, --help               this text',
		'',
		'Exit status: 0 an answer came back (any HTTP status), 1 no answer (connection failed), 2 usage error.',
		'',
		'Provider-events (sample in samples/<provider-event>.json):',
	];
	const width = Math.max(...PROVIDER_EVENTS.map((entry) => entry.id.length));
	for (const entry of PROVIDER_EVENTS)
		lines.push(`  ${entry.id.padEnd(width)}  ${entry.description}`);
	lines.push('', 'Schemes per provider (--scheme; * = default):');
	const seen = new Set<string>();
	for (const entry of PROVIDER_EVENTS) {
		if (seen.has(entry.provider)) continue;
		seen.add(entry.provider);
		lines.push(`  ${entry.provider}:`);
		for (const [value, method] of Object.entries(entry.methods)) {
			const mark = value === entry.defaultScheme ? '*' : ' ';
			lines.push(`   ${mark}${value.padEnd(12)} ${method.description}`);
		}
	}
	lines.push(
		'',
		'Examples:',
		`  ${COMMAND} send qoala-claim --url http://127.0.0.1:5678/webhook/<id>/webhook --secret my-api-key`,
		`  ${COMMAND} send qoala-claim --url … --scheme md5 --variant bodyAndSecret --secret s3cret`,
		`  ${COMMAND} send cermati-application --url … --secret <secret key>`,
		`  ${COMMAND} send curacel-instalment.due --url … --secret <webhook secret> --file my-event.json`,
	);
	return lines.join('\n');
}

function parseHeaders(values: readonly string[] | undefined): Record<string, string | undefined> {
	const headers: Record<string, string | undefined> = {};
	for (const value of values ?? []) {
		const colon = value.indexOf(':');
		if (colon <= 0) throw new UsageError(`--header needs "Name: value", got "${value}"`);
		const text = value.slice(colon + 1).trim();
		headers[value.slice(0, colon).trim()] = text === '' ? undefined : text;
	}
	return headers;
}

async function readStdin(): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

export async function optionsFrom(parsed: ParsedArgs): Promise<DeliveryOptions> {
	const [command, id, ...extra] = parsed.positional;
	if (command !== 'send')
		throw new UsageError(`Unknown command "${command ?? ''}" (see ${COMMAND} --help)`);
	if (id === undefined)
		throw new UsageError('Which provider-event? e.g. send qoala-claim (see --help)');
	if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}"`);
	providerEvent(id);
	const url = single(parsed, 'url');
	if (url === undefined) throw new UsageError('--url is required');
	const file = single(parsed, 'file');
	if (file !== undefined && parsed.switches.has('stdin'))
		throw new UsageError('Use --file or --stdin, not both');
	const timeout = single(parsed, 'timeout');
	if (timeout !== undefined && !/^\d+$/.test(timeout))
		throw new UsageError('--timeout is in milliseconds');
	return {
		providerEvent: id,
		url,
		scheme: single(parsed, 'scheme'),
		secret: single(parsed, 'secret'),
		headerName: single(parsed, 'header-name'),
		encoding: oneOf('encoding', single(parsed, 'encoding'), ['hex', 'base64'] as const),
		variant: oneOf('variant', single(parsed, 'variant'), ['hmac', 'bodyAndSecret'] as const),
		user: single(parsed, 'user'),
		password: single(parsed, 'password'),
		body:
			file !== undefined
				? readFileSync(file)
				: parsed.switches.has('stdin')
					? await readStdin()
					: undefined,
		headers: parseHeaders(parsed.values.header),
		timeoutMs: timeout === undefined ? undefined : Number(timeout),
	};
}

export interface Output {
	out(text: string): void;
	err(text: string): void;
}

const processOutput: Output = {
	out: (text) => process.stdout.write(`${text}\n`),
	err: (text) => process.stderr.write(`${text}\n`),
};

/** Runs the command line; resolves with the exit status. */
export async function main(
	argv: readonly string[],
	output: Output = processOutput,
): Promise<number> {
	let options: DeliveryOptions;
	try {
		const parsed = parseArgs(argv);
		if (parsed.switches.has('help') || argv.length === 0) {
			output.out(helpText());
			return 0;
		}
		options = await optionsFrom(parsed);
		const source =
			options.body === undefined ? samplePath(options.providerEvent) : 'the given body';
		output.err(
			`POST ${options.url} (${options.providerEvent} from ${source}, scheme ${options.scheme ?? providerEvent(options.providerEvent).defaultScheme})`,
		);
		const answer = await sendDelivery(options);
		if (parsed.switches.has('verbose')) {
			for (const [name, value] of Object.entries(answer.sent.headers))
				output.err(`> ${name}: ${value}`);
		}
		output.out(`HTTP ${answer.status}`);
		if (answer.body !== '') output.out(answer.body);
		return 0;
	} catch (error) {
		if (error instanceof UsageError) {
			output.err(`${COMMAND}: ${error.message}`);
			return 2;
		}
		output.err(`${COMMAND}: no answer: ${(error as Error).message}`);
		return 1;
	}
}
