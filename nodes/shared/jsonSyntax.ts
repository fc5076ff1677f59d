/**
 * Where a text stops being JSON, for a refusal that must say where without quoting the text
 * (V8's own messages quote the sender's characters around the error). Only called once
 * `JSON.parse` has failed, so it is written for clarity, not speed; it keeps its own stack, so
 * a body nested 100,000 deep is measured without recursion.
 */

/** The index (in UTF-16 code units) of the first character that makes `text` not JSON. */
export function firstSyntaxError(text: string): number {
	const scanner = new Scanner(text);
	return scanner.run();
}

type Container = 'object' | 'array';

class Scanner {
	private at = 0;
	private readonly open: Container[] = [];

	constructor(private readonly text: string) {}

	run(): number {
		this.skipSpace();
		if (!this.value()) return this.at;
		for (;;) {
			this.skipSpace();
			const container = this.open[this.open.length - 1];
			if (container === undefined) return this.at;
			const char = this.text[this.at];
			if (char === ',') {
				this.at += 1;
				this.skipSpace();
				if (container === 'object' && !this.memberName()) return this.at;
				if (!this.value()) return this.at;
			} else if (char === (container === 'object' ? '}' : ']')) {
				this.at += 1;
				this.open.pop();
			} else {
				return this.at;
			}
		}
	}

	/** One value; an object or array is opened (its first member read) and closed by `run`. */
	private value(): boolean {
		this.skipSpace();
		const char = this.text[this.at];
		if (char === '{' || char === '[') {
			this.at += 1;
			this.skipSpace();
			const container: Container = char === '{' ? 'object' : 'array';
			const closing = container === 'object' ? '}' : ']';
			if (this.text[this.at] === closing) {
				this.at += 1;
				return true;
			}
			this.open.push(container);
			if (container === 'object' && !this.memberName()) return false;
			return this.value();
		}
		if (char === '"') return this.string();
		if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.number();
		for (const literal of LITERALS) {
			if (this.text.startsWith(literal, this.at)) {
				this.at += literal.length;
				return true;
			}
		}
		return false;
	}

	/** `"name" :` inside an object. */
	private memberName(): boolean {
		if (this.text[this.at] !== '"' || !this.string()) return false;
		this.skipSpace();
		if (this.text[this.at] !== ':') return false;
		this.at += 1;
		return true;
	}

	private string(): boolean {
		this.at += 1;
		while (this.at < this.text.length) {
			const code = this.text.charCodeAt(this.at);
			if (code === QUOTE) {
				this.at += 1;
				return true;
			}
			if (code < 0x20) return false;
			if (code === BACKSLASH) {
				const escaped = this.text[this.at + 1];
				if (escaped === 'u') {
					if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 2, this.at + 6))) {
						this.at += 1;
						return false;
					}
					this.at += 6;
					continue;
				}
				if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) {
					this.at += 1;
					return false;
				}
				this.at += 2;
				continue;
			}
			this.at += 1;
		}
		return false;
	}

	private number(): boolean {
		NUMBER.lastIndex = this.at;
		const match = NUMBER.exec(this.text);
		if (match === null) return false;
		this.at += match[0].length;
		return true;
	}

	private skipSpace(): void {
		while (SPACE.includes(this.text[this.at] ?? '.')) this.at += 1;
	}
}

const LITERALS = ['true', 'false', 'null'] as const;
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const SPACE = ' \t\n\r';
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
