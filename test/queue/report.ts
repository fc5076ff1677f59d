/**
 * The run's figures: each test file adds its section to <run folder>/queue-report.json (and to
 * the file N8N_QUEUE_REPORT names, which outlives the run folder), so one run yields one report.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import { readState } from './environment';

export function reportFile(): string {
	return path.join(readState().runDir, 'queue-report.json');
}

export function readReport(): Record<string, unknown> {
	const file = reportFile();
	return existsSync(file)
		? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
		: {};
}

export function writeReport(section: string, data: unknown): void {
	const report = readReport();
	report[section] = data;
	writeFileSync(reportFile(), `${JSON.stringify(report, null, 2)}\n`);
	const copy = process.env.N8N_QUEUE_REPORT;
	if (copy) copyFileSync(reportFile(), path.resolve(copy));
}
