/**
 * The bad-input table's verdicts and summary: what is wrong with an answer, and the table of
 * every row with what it got, printed at the end with `N cases, N as specified`.
 */
import type { Answer } from './client';
import type { Expected, Row } from './cases';

export interface Result {
	row: Row;
	answer?: Answer;
	error?: string;
	executions: number;
	problems: string[];
}

/** What is wrong with the answer to a row (nothing: an empty list). */
export function problemsWith(expected: Expected, answer: Answer): string[] {
	const problems: string[] = [];
	if (answer.status !== expected.status)
		problems.push(`status ${answer.status} (${answer.body.slice(0, 120)})`);
	const body = answer.json as Record<string, unknown> | undefined;
	switch (expected.answer) {
		case 'error':
			if (typeof body?.error !== 'string' || Object.keys(body).length !== 1)
				problems.push(`answer ${answer.body.slice(0, 120)}`);
			break;
		case 'issues':
			if (typeof body?.error !== 'string' || !Array.isArray(body.issues))
				problems.push(`answer ${answer.body.slice(0, 120)}`);
			break;
		case 'repeated':
			if (body?.received !== true || body.ignored !== 'repeated')
				problems.push(`answer ${answer.body.slice(0, 120)}`);
			break;
		case 'accepted':
			if (body?.received !== true || body.ignored !== undefined)
				problems.push(`answer ${answer.body.slice(0, 120)}`);
			break;
		default:
	}
	if (expected.withheld && answer.body.includes(expected.withheld))
		problems.push(`the answer quotes "${expected.withheld}"`);
	return problems;
}

/** The summary of the run: a Markdown table of every row, then `N cases, N as specified`. */
export function reportOf(results: readonly Result[]): string {
	const lines = [
		'',
		'| # | trigger | bad delivery | answered by | expected | got | executions | as specified |',
		'|---:|---|---|---|---:|---:|---:|:---:|',
		...results.map((result, index) => {
			const { row } = result;
			const got = result.answer ? String(result.answer.status) : `error: ${result.error}`;
			return `| ${index + 1} | ${row.trigger.label} | ${row.name} | ${row.expected.who} | ${row.expected.status} | ${got} | ${result.executions} | ${result.problems.length === 0 ? '✓' : `✗ ${result.problems.join('; ')}`} |`;
		}),
		'',
		`${results.length} cases, ${results.filter((result) => result.problems.length === 0).length} as specified`,
		'',
	];
	return `${lines.join('\n')}\n`;
}
