// The pipeline alone (authenticate → parse → validate → shape) per delivery, against the floor
// every verifying receiver pays: HMAC-SHA256 of the bytes plus JSON.parse of them.
// Ratios are measured in the same run on the same machine; nothing here asserts a time.
import { createHmac } from 'node:crypto';
import * as path from 'node:path';

import { REPO_DIR } from '../paths';

// The built package (dist/), as n8n loads it: what is measured is what ships.
const pkg = require(path.join(REPO_DIR, 'dist', 'index.js')) as typeof import('../../index');

const SECRET = 'bench-secret';
const SIZES: Array<[string, number]> = [
	['1 KB', 1024],
	['100 KB', 100 * 1024],
	['1 MB', 1024 * 1024],
];

/** A Curacel claims-vetting event grown with claim items to about `bytes` (escaped slashes included). */
function curacelBody(bytes: number): Buffer {
	const item = {
		ref: 'ITEM-0000',
		description: 'Consultation https:\\/\\/example.org\\/tariff',
		unit_price_billed: 15000,
		unit_price_approved: 15000,
		qty_billed: 1,
		qty_approved: 1,
		sub_total_billed: 15000,
		sub_total_approved: 15000,
		comments: [],
		approval_status: 1,
	};
	const head =
		'{"event":"claim.vetted","data":{"id":5021,"pile_id":311,"ref":"HMO-5021","approved_amount":"42000.00","approval_status":1,"vetted_at":"2022-02-16T16:17:32.000000Z","items":[';
	const tail = ']}}';
	const items: string[] = [];
	let size = head.length + tail.length;
	for (let i = 0; size < bytes; i++) {
		const text = JSON.stringify({ ...item, ref: `ITEM-${i}` }).replace(
			/https:\/\//,
			'https:\\/\\/',
		);
		items.push(text);
		size += text.length + 1;
	}
	return Buffer.from(head + items.join(',') + tail, 'utf8');
}

/** µs per call of `fn`, timed over about `ms` milliseconds. */
function timePerCall(fn: () => void, ms: number): number {
	let calls = 0;
	const start = process.hrtime.bigint();
	const budget = BigInt(ms) * 1_000_000n;
	let elapsed = 0n;
	while (elapsed < budget) {
		fn();
		calls += 1;
		elapsed = process.hrtime.bigint() - start;
	}
	return Number(elapsed) / calls / 1000;
}

/**
 * Times two functions in alternating short rounds and keeps the median of each, so a burst
 * of other work on the machine hits both sides alike instead of skewing the ratio.
 */
export function compare(
	floorFn: () => void,
	subjectFn: () => void,
	rounds = 15,
	ms = 60,
): { floor: number; subject: number } {
	for (let i = 0; i < 50; i++) {
		floorFn();
		subjectFn();
	}
	const floor: number[] = [];
	const subject: number[] = [];
	for (let round = 0; round < rounds; round++) {
		floor.push(timePerCall(floorFn, ms));
		subject.push(timePerCall(subjectFn, ms));
	}
	const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
	return { floor: median(floor), subject: median(subject) };
}

export interface PipelineRow {
	label: string;
	bytes: number;
	floor: number;
	pipeline: number;
	ratio: number;
}

export function runPipelineBench(): PipelineRow[] {
	const curacel = pkg.deliveryContracts.curacelTrigger;
	const scheme = curacel.authentication.signature.scheme({ webhookSecret: SECRET });
	const rows: PipelineRow[] = [];
	for (const [label, bytes] of SIZES) {
		const rawBody = curacelBody(bytes);
		const headers = {
			'x-curacel-signature': createHmac('sha256', SECRET).update(rawBody).digest('hex'),
		};
		const settings = { selected: [], ignoreRepeatedDeliveries: false, receivedAt: new Date() };
		const decision = pkg.processDelivery(curacel, scheme, { headers, rawBody }, settings);
		if (decision.action !== 'emit') throw new Error('benchmark delivery was not accepted');

		const { floor, subject: pipeline } = compare(
			() => {
				createHmac('sha256', SECRET).update(rawBody).digest('hex');
				JSON.parse(rawBody.toString('utf8'));
			},
			() => pkg.processDelivery(curacel, scheme, { headers, rawBody }, settings),
		);
		rows.push({ label, bytes: rawBody.length, floor, pipeline, ratio: pipeline / floor });
	}
	return rows;
}

export function formatPipelineTable(rows: PipelineRow[]): string {
	const lines = [
		'| body | floor: HMAC + JSON.parse (µs) | pipeline (µs) | pipeline / floor | pipeline µs per KB |',
		'|---|---:|---:|---:|---:|',
	];
	for (const row of rows) {
		lines.push(
			`| ${row.label} (${row.bytes} B) | ${row.floor.toFixed(1)} | ${row.pipeline.toFixed(1)} | ${row.ratio.toFixed(2)}× | ${(row.pipeline / (row.bytes / 1024)).toFixed(2)} |`,
		);
	}
	return lines.join('\n');
}

if (require.main === module) {
	console.log(formatPipelineTable(runPipelineBench()));
}
