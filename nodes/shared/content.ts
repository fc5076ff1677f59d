import { createHash } from 'node:crypto';

/**
 * What a delivery carried, as one digest that does not depend on how the sender laid the JSON
 * out (key order, spacing): the same notification re-serialised has the same content. For the
 * record's "one signed pair, one notification" check, where the signature does not cover the
 * body and the content is what a replay would change.
 */
export function contentDigest(json: unknown, rawBody: Buffer): string {
	const hash = createHash('sha256');
	try {
		hash.update(JSON.stringify(json, sortedKeys) ?? '');
	} catch {
		// Nested deeper than the serialiser's stack allows: no partner sends that, so the bytes
		// themselves are the content.
		hash.update(rawBody);
	}
	return hash.digest('base64url');
}

function sortedKeys(_key: string, value: unknown): unknown {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
	const sorted: Record<string, unknown> = {};
	for (const key of Object.keys(value).sort()) {
		// defineProperty, not assignment: a key named __proto__ stays a key.
		Object.defineProperty(sorted, key, {
			value: (value as Record<string, unknown>)[key],
			enumerable: true,
		});
	}
	return sorted;
}
