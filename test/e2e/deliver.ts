/** Sending to the test workflows with the package's own sender, as the partner would. */
import {
	readSample,
	sendDelivery,
	type DeliveryOptions,
	type SentDelivery,
} from '../../sender/src/deliveries';
import { COMMON_ITEM_FIELDS, EXPECTED } from './expected';
import {
	crmRecords,
	executions,
	finishedExecutions,
	QUIET_PERIOD_MS,
	readState,
	sleep,
	waitFor,
	type CrmRecord,
} from './harness';
import { spec, webhookId, workflowId, type WorkflowKey } from './scenario';

export function urlOf(key: WorkflowKey): string {
	return `http://127.0.0.1:${readState().port}/webhook/${webhookId(key)}/webhook`;
}

/** Sends `providerEvent`'s sample (or `overrides.body`) to workflow `key`, signed with its partner's secrets. */
export async function deliver(
	key: WorkflowKey,
	providerEvent: string,
	overrides: Partial<DeliveryOptions> = {},
): Promise<SentDelivery> {
	return await sendDelivery({ ...spec(key).partner, providerEvent, url: urlOf(key), ...overrides });
}

/** The sample as a JSON object, to derive modified bodies from. */
export function sampleJson(providerEvent: string): Record<string, unknown> {
	return JSON.parse(readSample(providerEvent).toString('utf8')) as Record<string, unknown>;
}

/** The sample with text replaced in its raw bytes (everything else byte for byte). */
export function sampleWith(providerEvent: string, search: string, replacement: string): Buffer {
	const text = readSample(providerEvent).toString('utf8');
	if (!text.includes(search)) throw new Error(`${search} is not in the ${providerEvent} sample`);
	return Buffer.from(text.replace(search, replacement), 'utf8');
}

/** Nothing more happened for this workflow: no new execution, no new CRM post. */
export async function expectQuiet(
	key: WorkflowKey,
	executionsBefore: number,
	crmBefore: number,
): Promise<void> {
	await sleep(QUIET_PERIOD_MS);
	expect(executions(workflowId(key))).toHaveLength(executionsBefore);
	expect(await crmRecords(key)).toHaveLength(crmBefore);
}

/** The item the CRM received is the one the sample must produce, its body the bytes sent. */
export function expectItemFor(
	record: CrmRecord | undefined,
	providerEvent: string,
	sentBody: Buffer,
): void {
	const expected = EXPECTED[providerEvent];
	expect(record).toBeDefined();
	const item = record?.body as Record<string, unknown>;
	for (const field of COMMON_ITEM_FIELDS) expect(item).toHaveProperty([field]);
	expect(item).toMatchObject({
		provider: expected.provider,
		event: expected.event,
		status: expected.status,
		outcome: expected.outcome,
		isFinal: expected.isFinal,
		...expected.identifiers,
	});
	expect(typeof item.statusLabel).toBe('string');
	expect(typeof item.deliveryKey).toBe('string');
	expect(Number.isNaN(Date.parse(item.receivedAt as string))).toBe(false);
	expect(item.body).toEqual(JSON.parse(sentBody.toString('utf8')));
}

/** The CRM record whose item came from this provider-event (several events share a workflow). */
export function recordOf(records: CrmRecord[], providerEvent: string): CrmRecord | undefined {
	const { event } = EXPECTED[providerEvent];
	return records.find((record) => (record.body as { event?: string }).event === event);
}

/** The delivery started one successful execution, and its item reached the CRM as expected. */
export async function expectOneSuccessfulRun(
	key: WorkflowKey,
	providerEvent: string,
	answer: SentDelivery,
): Promise<void> {
	const rows = await finishedExecutions(workflowId(key), 1);
	expect(rows.map((row) => row.status)).toEqual(['success']);
	const records = await waitFor(
		() => crmRecords(key),
		(list) => list.length >= 1,
	);
	expectItemFor(recordOf(records, providerEvent), providerEvent, answer.sent.body);
}
