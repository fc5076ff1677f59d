// What the order of a subject's notifications (issue 30) costs: the pipeline with the record,
// for an accepted and a repeated Qoala claim, beside the same trigger with its order left out,
// in alternating rounds of one run; and what the order adds to static data at the record's
// bound. Ratios only, measured in the same run; nothing here asserts a time.
import * as path from 'node:path';

import type { DeliveryContract } from '../../nodes/shared/contract';
import { REPO_DIR } from '../paths';
import { compare } from './pipeline';

// The built package (dist/), as n8n loads it: what is measured is what ships.
const pkg = require(path.join(REPO_DIR, 'dist', 'index.js')) as typeof import('../../index');

type Contract = (typeof pkg.deliveryContracts)['qoalaClaimTrigger'];

/** A contract as it was before the order: the same identity without places. */
export function withoutOrder<Payload, Identifiers>(
	contract: DeliveryContract<Payload, Identifiers>,
): DeliveryContract<Payload, Identifiers> {
	return {
		...contract,
		identity: (payload) => ({ ...contract.identity(payload), order: undefined }),
	};
}

const bodyOf = (claimNumber: string, status = 'INSURANCE_CLAIM_PAID') =>
	Buffer.from(
		JSON.stringify({ claim_number: claimNumber, status, policy_number: 'POL-1' }),
		'utf8',
	);

export interface OrderRow {
	label: string;
	/** Median µs per delivery over the comparisons, without and with the order. */
	withoutOrder: number;
	withOrder: number;
	/** with ÷ without in each comparison (fresh records each time), sorted. */
	ratios: number[];
}

/** Independent comparisons per row: one ratio says little when the run's noise is ±10 %. */
const COMPARISONS = 3;

export interface OrderBench {
	rows: OrderRow[];
	/** Static data at the bound (10,000 subjects), with the order and without. */
	staticData: { withOrder: number; withoutOrder: number; subjects: number };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

export function runOrderBench(): OrderBench {
	const ordered = pkg.deliveryContracts.qoalaClaimTrigger;
	const unordered = withoutOrder(ordered);
	const scheme = { type: 'none' } as const;
	type Record = InstanceType<typeof pkg.DeliveryRecord>;
	/** One delivery of `rawBody` decided with `record`, Skip Out-of-Date on (version 3). */
	const decide = (contract: Contract, record: Record, rawBody: Buffer) =>
		pkg.processDelivery(
			contract,
			scheme,
			{ headers: {}, rawBody },
			{
				selected: [],
				ignoreRepeatedDeliveries: true,
				record,
				receivedAt: new Date(),
				skipOutOfDate: true,
			},
		);
	const deliver = (contract: Contract, record: Record) => {
		let n = 0;
		return () => {
			n += 1;
			const decision = decide(contract, record, bodyOf(`CLM-${n}`));
			if (decision.action !== 'emit') throw new Error('bench delivery was not accepted');
			decision.acceptance?.commit();
		};
	};
	const repeat = (contract: Contract, record: Record) => {
		const rawBody = bodyOf('CLM-REPEATED');
		const first = decide(contract, record, rawBody);
		if (first.action === 'emit') first.acceptance?.commit();
		return () => {
			if (decide(contract, record, rawBody).action !== 'ignore') {
				throw new Error('bench delivery was not a repeat');
			}
		};
	};
	/** Each comparison builds its two sides afresh (`make`), so no record carries over. */
	const row = (label: string, make: () => [floorFn: () => void, subjectFn: () => void]) => {
		const runs = Array.from({ length: COMPARISONS }, () => compare(...make()));
		return {
			label,
			withoutOrder: median(runs.map((run) => run.floor)),
			withOrder: median(runs.map((run) => run.subject)),
			ratios: runs.map((run) => run.subject / run.floor).sort((a, b) => a - b),
		};
	};
	const full = (contract: Contract) => {
		const record = new pkg.DeliveryRecord();
		const accept = deliver(contract, record);
		for (let i = 0; i < pkg.REMEMBERED_NOTIFICATIONS; i += 1) accept();
		return Buffer.byteLength(JSON.stringify(record.persistedView()));
	};
	return {
		rows: [
			row('accepted (a new claim each time, record growing to its bound)', () => [
				deliver(unordered, new pkg.DeliveryRecord()),
				deliver(ordered, new pkg.DeliveryRecord()),
			]),
			row('repeated', () => [
				repeat(unordered, new pkg.DeliveryRecord()),
				repeat(ordered, new pkg.DeliveryRecord()),
			]),
			// The noise: the same trigger on both sides, measured the same way.
			row('accepted, without the order on both sides (the noise)', () => [
				deliver(unordered, new pkg.DeliveryRecord()),
				deliver(unordered, new pkg.DeliveryRecord()),
			]),
		],
		staticData: {
			withOrder: full(ordered),
			withoutOrder: full(unordered),
			subjects: pkg.REMEMBERED_NOTIFICATIONS,
		},
	};
}

export function formatOrderTable(bench: OrderBench): string {
	const { withOrder, withoutOrder, subjects } = bench.staticData;
	return [
		`| Qoala claim, with the record | without the order (µs) | with the order (µs) | with ÷ without, ${COMPARISONS} comparisons |`,
		'|---|---:|---:|---:|',
		...bench.rows.map(
			(row) =>
				`| ${row.label} | ${row.withoutOrder.toFixed(1)} | ${row.withOrder.toFixed(1)} | ${row.ratios.map((ratio) => `${ratio.toFixed(2)}×`).join(', ')} |`,
		),
		'',
		`Static data at the bound (${subjects.toLocaleString('en-US')} claims): ${(withoutOrder / 1024).toFixed(0)} KiB without the order, ` +
			`${(withOrder / 1024).toFixed(0)} KiB with it (${((withOrder - withoutOrder) / subjects).toFixed(0)} B per claim).`,
	].join('\n');
}

if (require.main === module) console.log(formatOrderTable(runOrderBench()));
