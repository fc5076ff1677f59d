/**
 * The IP allowlist: which client addresses may deliver. Entries are IPv4 or IPv6 addresses and
 * CIDR ranges, as in n8n's Webhook node; an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, how
 * Node reports IPv4 clients on a dual-stack socket) is compared as the IPv4 address it is.
 * Written here because n8n's rules for community nodes allow no `node:net`.
 */

interface Range {
	family: 4 | 6;
	network: bigint;
	prefix: number;
}

export interface Allowlist {
	/** The entries as the user wrote them, for messages. */
	readonly entries: readonly string[];
	allows(address: string): boolean;
}

/**
 * Parses the option's text (comma, space or newline separated). An entry that is neither an
 * address nor a range is returned as `{ invalid }`, for the caller to report.
 */
export function parseAllowlist(text: string): Allowlist | { invalid: string } {
	const entries = text
		.split(/[\s,]+/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
	const ranges: Range[] = [];
	for (const entry of entries) {
		const range = parseRange(entry);
		if (!range) return { invalid: entry };
		ranges.push(range);
	}
	return {
		entries,
		allows: (address) => {
			const parsed = parseAddress(address);
			return parsed !== undefined && ranges.some((range) => contains(range, parsed));
		},
	};
}

function contains(range: Range, address: { family: 4 | 6; value: bigint }): boolean {
	if (range.family !== address.family) return false;
	const bits = range.family === 4 ? 32 : 128;
	const shift = BigInt(bits - range.prefix);
	return address.value >> shift === range.network >> shift;
}

function parseRange(entry: string): Range | undefined {
	const [host, prefixText, extra] = entry.split('/');
	if (extra !== undefined) return undefined;
	const address = parseAddress(host);
	if (!address) return undefined;
	const bits = address.family === 4 ? 32 : 128;
	if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
	const prefix = prefixText === undefined ? bits : Number(prefixText);
	if (prefix > bits) return undefined;
	return { family: address.family, network: address.value, prefix };
}

/** An address as a number; IPv4-mapped IPv6 becomes IPv4. Undefined when it is neither. */
export function parseAddress(text: string): { family: 4 | 6; value: bigint } | undefined {
	const ipv4 = parseIpv4(text);
	if (ipv4 !== undefined) return { family: 4, value: ipv4 };
	const ipv6 = parseIpv6(text.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
	if (ipv6 === undefined) return undefined;
	const mapped = ipv6 >> 32n === 0xffffn;
	return mapped ? { family: 4, value: ipv6 & 0xffffffffn } : { family: 6, value: ipv6 };
}

function parseIpv4(text: string): bigint | undefined {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^(0|[1-9]\d{0,2})$/.test(part)))
		return undefined;
	const bytes = parts.map(Number);
	if (bytes.some((byte) => byte > 255)) return undefined;
	return bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

function parseIpv6(text: string): bigint | undefined {
	if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) return undefined;
	let groups: string[];
	const tail = text.includes('.') ? text.slice(text.lastIndexOf(':') + 1) : undefined;
	const head = tail === undefined ? text : text.slice(0, text.length - tail.length);
	const embedded = tail === undefined ? undefined : parseIpv4(tail);
	if (tail !== undefined && embedded === undefined) return undefined;
	const needed = tail === undefined ? 8 : 6;
	const [left, right] = head.split('::');
	const split = (part: string) => (part === '' ? [] : part.replace(/:$/, '').split(':'));
	if (right === undefined) {
		groups = split(left);
		if (groups.length !== needed) return undefined;
	} else {
		const l = split(left);
		const r = split(right);
		if (l.length + r.length >= needed) return undefined;
		groups = [...l, ...Array<string>(needed - l.length - r.length).fill('0'), ...r];
	}
	if (!groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
	let value = groups.reduce((sum, group) => (sum << 16n) | BigInt(parseInt(group, 16)), 0n);
	if (embedded !== undefined) value = (value << 32n) | embedded;
	return value;
}
