/**
 * An instance of the one class a compiled node or credential file exports (each of the
 * package's `.node.js` and `.credentials.js` exports exactly one), as n8n's loader makes it.
 */
export function instanceOf<T>(file: string): T {
	const exported = require(file) as Record<string, new () => T>;
	return new (Object.values(exported)[0])();
}
