import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A sample delivery body exactly as the partner would send it (bytes unchanged). */
export function sample(name: string): Buffer {
	return readFileSync(join(__dirname, '..', '..', 'samples', `${name}.json`));
}

/** The sample parsed, changed, and serialised again (for tests that need a variant). */
export function variant(name: string, change: (body: Record<string, any>) => void): Buffer {
	const body = JSON.parse(sample(name).toString('utf8')) as Record<string, any>;
	change(body);
	return Buffer.from(JSON.stringify(body), 'utf8');
}
