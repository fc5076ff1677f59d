import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A sample delivery body exactly as the partner would send it (bytes unchanged). */
export function sample(name: string): Buffer {
	return readFileSync(join(__dirname, '..', '..', 'samples', `${name}.json`));
}

/**
 * Any JSON a test reaches into and changes at any depth (`body.data.order.status = …`): a
 * sample's shape is the partner's, not a type of this package.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type SampleJson = Record<string, any>;

/** The sample parsed, changed, and serialised again (for tests that need a variant). */
export function variant(name: string, change: (body: SampleJson) => void): Buffer {
	const body = JSON.parse(sample(name).toString('utf8')) as SampleJson;
	change(body);
	return Buffer.from(JSON.stringify(body), 'utf8');
}
