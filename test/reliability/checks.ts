/** What the reliability tests read back: executions from n8n's database, items at the CRM. */
import { crmRecords, pkg, readState, sleep, QUIET_PERIOD_MS } from '../e2e/harness';
import { ALL_TRIGGERS, workflowId, type Delivery } from './scenario';

export interface Counts {
	/** Executions per trigger key (all statuses). */
	executions: Record<string, number>;
	/** Executions still new or running. */
	unfinished: number;
	/** Executions that did not end in success. */
	failed: number;
}

export function executionCounts(): Counts {
	const ids = ALL_TRIGGERS.map(workflowId);
	const rows = pkg.executionCounts(readState().userFolder, ids);
	const counts: Counts = {
		executions: Object.fromEntries(ALL_TRIGGERS.map((trigger) => [trigger.key, 0])),
		unfinished: 0,
		failed: 0,
	};
	for (const row of rows) {
		const trigger = ALL_TRIGGERS.find((candidate) => workflowId(candidate) === row.workflowId);
		if (trigger) counts.executions[trigger.key] += row.n;
		if (row.status === 'new' || row.status === 'running') counts.unfinished += row.n;
		else if (row.status !== 'success') counts.failed += row.n;
	}
	return counts;
}

export const total = (perTrigger: Record<string, number>) =>
	Object.values(perTrigger).reduce((sum, n) => sum + n, 0);

/**
 * Waits until every execution has finished and nothing has changed for a quiet period, so a
 * count is final (nothing more is on its way); gives up after `timeoutMs`.
 */
export async function settled(timeoutMs = 180000): Promise<Counts> {
	const started = Date.now();
	let last = JSON.stringify(executionCounts());
	let stableSince = Date.now();
	for (;;) {
		await sleep(500);
		const now = executionCounts();
		const text = JSON.stringify(now);
		if (text !== last) {
			last = text;
			stableSince = Date.now();
		}
		if (now.unfinished === 0 && Date.now() - stableSince >= QUIET_PERIOD_MS) return now;
		if (Date.now() - started > timeoutMs) return now;
	}
}

/** The delivery keys the CRM received per trigger, with how many items each. */
export async function crmItems(): Promise<Map<string, number>> {
	const seen = new Map<string, number>();
	for (const trigger of ALL_TRIGGERS) {
		for (const record of await crmRecords(trigger.key)) {
			const key = (record.body as { deliveryKey?: string }).deliveryKey ?? '(no deliveryKey)';
			seen.set(key, (seen.get(key) ?? 0) + 1);
		}
	}
	return seen;
}

/** How a delivery whose partner got no deliveryKey back is named in a CRM account. */
export const noDeliveryKeyFor = (delivery: Delivery) =>
	`(no deliveryKey answered for ${delivery.trigger.key} ${delivery.id})`;

/** What the CRM holds for these deliveries: lost (none), doubled (more than one), exact. */
export async function crmAccount(
	deliveries: readonly Delivery[],
	deliveryKeys: ReadonlyMap<Delivery, string>,
): Promise<{ items: number; lost: string[]; doubled: string[] }> {
	const seen = await crmItems();
	const lost: string[] = [];
	const doubled: string[] = [];
	let items = 0;
	for (const delivery of deliveries) {
		const key = deliveryKeys.get(delivery) ?? noDeliveryKeyFor(delivery);
		const count = seen.get(key) ?? 0;
		items += count;
		if (count === 0) lost.push(key);
		if (count > 1) doubled.push(`${key} ×${count}`);
	}
	return { items, lost, doubled };
}
