// The record of accepted deliveries after 100,000 distinct deliveries: how many it keeps, how
// much memory it holds and how large the static data n8n saves with every accepted delivery is.
import { acceptAtOnce } from '../../test/helpers/record';
import * as path from 'node:path';

import { REPO_DIR } from '../paths';

// The built package (dist/), as n8n loads it: what is measured is what ships.
const { DeliveryRecord, REMEMBERED_NOTIFICATIONS } = require(
	path.join(REPO_DIR, 'dist', 'index.js'),
) as typeof import('../../index');

/** `global.gc`, there when Node runs with --expose-gc (npm run bench does). */
const gc = (globalThis as { gc?: () => void }).gc;

function heapUsed(): number {
	gc?.();
	gc?.();
	return process.memoryUsage().heapUsed;
}

export interface RecordBench {
	deliveries: number;
	repeats: number;
	kept: number;
	bound: number;
	heapBytes: number;
	staticDataBytes: number;
	exactHeap: boolean;
}

export function runRecordBench(deliveries = 100_000): RecordBench {
	const before = heapUsed();
	const record = new DeliveryRecord();
	let repeats = 0;
	for (let i = 0; i < deliveries; i++) {
		const identity = { subject: ['claim', `CLM-${i}`], state: 'INSURANCE_CLAIM_PAID' };
		if (acceptAtOnce(record, identity)) repeats += 1;
	}
	const after = heapUsed();
	const staticData = JSON.stringify({ acceptedDeliveries: record.persistedView() });
	return {
		deliveries,
		repeats,
		kept: record.size,
		bound: REMEMBERED_NOTIFICATIONS,
		heapBytes: after - before,
		staticDataBytes: Buffer.byteLength(staticData),
		exactHeap: typeof gc === 'function',
	};
}

export function formatRecordTable(result: RecordBench): string {
	return [
		'| deliveries accepted | notifications kept (bound) | heap held by the record | static data saved per accepted delivery |',
		'|---:|---:|---:|---:|',
		`| ${result.deliveries.toLocaleString('en-US')} | ${result.kept.toLocaleString('en-US')} (${result.bound.toLocaleString('en-US')}) | ${(result.heapBytes / 1024 / 1024).toFixed(2)} MiB${result.exactHeap ? '' : ' (run with --expose-gc for an exact figure)'} | ${(result.staticDataBytes / 1024).toFixed(0)} KiB |`,
	].join('\n');
}

if (require.main === module) console.log(formatRecordTable(runRecordBench()));
