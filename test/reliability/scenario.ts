/**
 * What the reliability run imports into its n8n: each trigger of the registry with its default
 * authentication → HTTP Request posting the item to the CRM stand-in at /crm/<key>. Like the
 * e2e scenario (same credentials, same workflow shape), on an n8n of its own: its tests count
 * every execution and restart n8n in the middle of a stream.
 */
import { signedHeaders } from '../../sender/src/deliveries';
import type { N8nScenario } from '../e2e/globalSetup';
import { readState } from '../e2e/harness';
import { spec, workflowOf, type WorkflowSpec } from '../e2e/scenario';
import { TEST_TRIGGERS } from '../helpers/triggers';
import { variantsOfTrigger, type LifecycleStep } from '../helpers/variants';
import { workflows } from '../e2e/harness';

export interface LoadTrigger extends WorkflowSpec {
	providerEvent: string;
	/** The sample with its id replaced by `id`: a distinct notification, signed by the sender. */
	bodyFor(id: string): Buffer;
	/** Subject `id`'s lifecycle in the partner's order, oldest first (test/helpers/variants.ts). */
	lifecycleFor(id: string): LifecycleStep[];
}

/**
 * Every trigger of the registry, as the e2e scenario has it with its default authentication;
 * a distinct notification is its main sample about another subject (test/helpers/variants.ts).
 */
export const TRIGGERS: LoadTrigger[] = TEST_TRIGGERS.map((trigger) => ({
	...spec(trigger.key),
	providerEvent: trigger.mainEvent,
	bodyFor: (id) => variantsOfTrigger(trigger).distinct(id),
	lifecycleFor: (id) => variantsOfTrigger(trigger).lifecycle(id),
}));

/**
 * The same triggers answering "When Last Node Finishes": the partner gets 200 only once
 * the CRM has the item, so a failed run is resent and must not be remembered as delivered.
 * At the node version the editor adds today (3: Skip Out-of-Date Notifications on).
 */
export const LAST_NODE_TRIGGERS: LoadTrigger[] = TRIGGERS.map((trigger) => ({
	...trigger,
	key: `${trigger.key}LastNode`,
	parameters: { ...trigger.parameters, responseMode: 'lastNode' },
	typeVersion: 3,
}));

export const ALL_TRIGGERS = [...TRIGGERS, ...LAST_NODE_TRIGGERS];

const indexOf = (trigger: LoadTrigger) => {
	const index = ALL_TRIGGERS.indexOf(trigger);
	if (index < 0) throw new Error(`${trigger.key} is not a reliability trigger`);
	return index + 1;
};
export const workflowId = (trigger: LoadTrigger) =>
	`rel${indexOf(trigger)}${trigger.key}`.slice(0, 16);
export const webhookId = (trigger: LoadTrigger) =>
	`00000000-7e11-4000-8000-${String(indexOf(trigger)).padStart(12, '0')}`;
/** The trigger's production URL, at n8n's port or at a proxy's in front of it. */
export const urlOf = (trigger: LoadTrigger, port = readState().port) =>
	`http://127.0.0.1:${port}/webhook/${webhookId(trigger)}/webhook`;

export const RELIABILITY_SCENARIO: N8nScenario = {
	name: 'reliability',
	credentials: () =>
		[...new Set(TRIGGERS.map((trigger) => trigger.credential))].map((entry) =>
			workflows.credential(entry!),
		),
	workflows: (crmUrl) =>
		ALL_TRIGGERS.map((trigger) =>
			workflowOf(trigger, {
				id: workflowId(trigger),
				name: `reliability ${trigger.key}`,
				webhookId: webhookId(trigger),
				crmUrl,
			}),
		),
	workflowIds: () => ALL_TRIGGERS.map(workflowId),
	webhookIds: () => ALL_TRIGGERS.map(webhookId),
};

/** One delivery as the partner sends it: exact bytes, signed headers. */
export interface Delivery {
	trigger: LoadTrigger;
	id: string;
	body: Buffer;
	headers: Record<string, string>;
}

/** `perTrigger` distinct deliveries for each trigger, ids `<prefix>-<n>`, interleaved. */
export function distinctDeliveries(
	prefix: string,
	perTrigger: number,
	triggers: readonly LoadTrigger[] = TRIGGERS,
): Delivery[] {
	const deliveries: Delivery[] = [];
	for (let n = 0; n < perTrigger; n += 1) {
		for (const trigger of triggers) {
			const id = `${prefix}-${String(n).padStart(4, '0')}`;
			deliveries.push(signedDelivery(trigger, id, trigger.bodyFor(id)));
		}
	}
	return deliveries;
}

/** `body` about `id` as the partner sends it to `trigger`: its bytes and signed headers. */
export function signedDelivery(trigger: LoadTrigger, id: string, body: Buffer): Delivery {
	const headers = signedHeaders({ ...trigger.partner, providerEvent: trigger.providerEvent }, body);
	return { trigger, id, body, headers };
}
