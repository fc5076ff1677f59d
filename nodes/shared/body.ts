import { InvalidJsonError } from './errors';
import { firstSyntaxError } from './jsonSyntax';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body as JSON. Invalid UTF-8 is refused rather than silently replaced. The refusal is an
 * answer to the partner (400), never an error in n8n's UI, so it is a `DeliveryRejectedError`
 * decided from the parsers' outcomes rather than a rethrow of what they threw. It says at which
 * byte the body stops being JSON, never the parser's own message, which quotes the body.
 *
 * A `__proto__` key is dropped: copied onto a validated payload it would replace the payload's
 * prototype, and every field the item reads from the payload would come from the sender's
 * object instead (a field of the wrong type, or one the partner never sent).
 */
export function parseJsonBody(rawBody: Buffer): unknown {
	if (rawBody.length === 0) throw new InvalidJsonError('the body is empty');
	const text = outcomeOf(() => utf8.decode(rawBody));
	if (!text.ok) throw new InvalidJsonError('the body is not valid UTF-8');
	const json = outcomeOf((): unknown => parseWithoutPrototypeKeys(text.value));
	if (!json.ok) {
		const byte = Buffer.byteLength(text.value.slice(0, firstSyntaxError(text.value)), 'utf8');
		throw new InvalidJsonError(`it stops being JSON at byte ${byte}`);
	}
	return json.value;
}

/**
 * `JSON.parse`, with the reviver (several times slower) only for a text that can hold a
 * `__proto__` key: spelled out, or hidden behind a `\u` escape.
 */
function parseWithoutPrototypeKeys(text: string): unknown {
	if (!text.includes('__proto__') && !text.includes('\\u')) return JSON.parse(text);
	return JSON.parse(text, dropPrototypeKey);
}

function dropPrototypeKey(key: string, value: unknown): unknown {
	return key === '__proto__' ? undefined : value;
}

/** Runs a parser that reports failure by throwing, and returns the failure as a value. */
function outcomeOf<T>(parse: () => T): { ok: true; value: T } | { ok: false } {
	try {
		return { ok: true, value: parse() };
	} catch {
		return { ok: false };
	}
}
