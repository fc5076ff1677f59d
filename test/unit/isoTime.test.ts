/**
 * `isoTime` rewrites the usual UTC form itself instead of asking V8's date parser, and
 * `instantOf` computes its ms from the digits; every time must come out exactly as `Date`
 * makes it (what `occurredAt` held before, and the order's rank).
 */
import { instantOf, isoTime } from '../../nodes/shared/contract';

/** What `isoTime` returned before it had a fast path. */
function throughDate(value: string): string | null {
	if (value.trim() === '') return null;
	const time = new Date(value.replace(/(\.\d{3})\d+/, '$1'));
	return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/** What `instantOf` gives through `Date`: the ms of the same time, or null. */
function instantThroughDate(value: string): number | null {
	const iso = throughDate(value);
	return iso === null ? null : Date.parse(iso);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('isoTime and instantOf', () => {
	it('gives what Date gives for every day, hour and fraction, valid or not', () => {
		const seen: string[] = [];
		let seed = 7;
		const random = (below: number) => {
			seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
			return (seed >>> 8) % below;
		};
		for (let i = 0; i < 20_000; i += 1) {
			const year = [0, 4, 99, 1900, 1999, 2000, 2023, 2024, 2100, 9999][random(10)];
			const fraction = ['', '.5', '.12', '.123', '.000000', '.999999', '.1234567'][random(7)];
			const value = `${pad(year, 4)}-${pad(random(14))}-${pad(random(33))}T${pad(random(26))}:${pad(random(61))}:${pad(random(62))}${fraction}Z`;
			seen.push(value);
			expect([value, isoTime(value), instantOf(value)]).toEqual([
				value,
				throughDate(value),
				instantThroughDate(value),
			]);
		}
		expect(new Set(seen).size).toBeGreaterThan(10_000);
	});

	it.each([
		'2022-02-16T16:17:32.000000Z',
		'2024-05-01T10:15:30+07:00',
		'2024-05-01 10:15:30',
		'2024-05-01',
		'not a time',
		' ',
	])('reads %p as Date does', (value) => {
		expect(isoTime(value)).toBe(throughDate(value));
		expect(instantOf(value)).toBe(instantThroughDate(value));
	});

	it('is null for anything but text', () => {
		expect([isoTime(undefined), isoTime(null), isoTime(1_700_000_000)]).toEqual([null, null, null]);
		expect([instantOf(undefined), instantOf(null), instantOf(1_700_000_000)]).toEqual([
			null,
			null,
			null,
		]);
	});
});
