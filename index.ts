/**
 * Everything a program outside n8n may use: the pure pipeline steps, the signature checks, the
 * registry of partners (each trigger's contract, item schema and status table, reached by node
 * name) and the maps derived from it. Nothing here names a partner: a partner is its folder and
 * its line in nodes/partners.ts. n8n loads the node and credential classes from package.json's
 * `n8n` block, not from here.
 */
export { PartnerAnswer } from './nodes/PartnerAnswer/PartnerAnswer.node';

export * from './nodes/shared/authSchemes';
export * from './nodes/shared/errors';
export * from './nodes/shared/statuses';
export {
	parseJsonBody,
	validatePayload,
	passesFilter,
	deliveryKeyOf,
	shapeItem,
	processDelivery,
	type DeliveryItem,
	type Decision,
	type DeliverySettings,
} from './nodes/shared/pipeline';
export {
	DeliveryRecord,
	REMEMBERED_NOTIFICATIONS,
	type NotificationIdentity,
} from './nodes/shared/deliveryRecord';
export type { DeliveryContract, Normalized, ProviderId } from './nodes/shared/contract';
export {
	PARTNERS,
	registry,
	type ItemOf,
	type PayloadOf,
	type Provider,
	type TriggerName,
	type TriggerOf,
} from './nodes/partners';
export type {
	PartnerDefinition,
	RegisteredTrigger,
	TriggerDefinition,
} from './nodes/shared/partner';
export type { AuthenticationMethod, AuthenticationMethods } from './nodes/shared/authentication';

export { outputJsonSchema } from './nodes/shared/outputSchema';
export {
	describeRejection,
	rejectedDeliveryItem,
	RejectionAlerts,
	triggerOutputs,
	type RejectedDelivery,
} from './nodes/shared/rejection';

export { httpAnswerOf, partnerAnswerItem, type AnswerSettings } from './nodes/PartnerAnswer/answer';

import { partnerAnswerItem } from './nodes/PartnerAnswer/answer';
import { registry, type TriggerName, type TriggerOf } from './nodes/partners';
import type { DeliveryContract } from './nodes/shared/contract';

/** Each node's output item schema by node name: what the build publishes to n8n's editor. */
export const outputSchemas = {
	...(Object.fromEntries(registry.triggers.map((trigger) => [trigger.nodeName, trigger.item])) as {
		[Name in TriggerName]: TriggerOf<Name>['item'];
	}),
	partnerAnswer: partnerAnswerItem,
};

/**
 * Each trigger's contract by node name, for a program that runs the pipeline for a trigger
 * it knows by name (`processDelivery(deliveryContracts[name], …)`).
 */
export const deliveryContracts = Object.fromEntries(
	registry.triggers.map((trigger) => [trigger.nodeName, trigger.contract]),
) as Readonly<Record<TriggerName, DeliveryContract<unknown, unknown>>>;
