/**
 * Everything a program outside n8n may use: the node and credential classes, the pure
 * pipeline steps, the signature checks and each trigger's schema and status table.
 */
export { QoalaClaimTrigger } from './nodes/Qoala/ClaimTrigger/QoalaClaimTrigger.node';
export { QoalaPolicyTrigger } from './nodes/Qoala/PolicyTrigger/QoalaPolicyTrigger.node';
export { CermatiApplicationTrigger } from './nodes/Cermati/ApplicationTrigger/CermatiApplicationTrigger.node';
export { CermatiClaimTrigger } from './nodes/Cermati/ClaimTrigger/CermatiClaimTrigger.node';
export { CuracelTrigger } from './nodes/Curacel/CuracelTrigger/CuracelTrigger.node';
export { PartnerAnswer } from './nodes/PartnerAnswer/PartnerAnswer.node';

export { QoalaApiKeyApi } from './credentials/QoalaApiKeyApi.credentials';
export { QoalaHmacSha256Api } from './credentials/QoalaHmacSha256Api.credentials';
export { QoalaMd5Api } from './credentials/QoalaMd5Api.credentials';
export { QoalaBearerApi } from './credentials/QoalaBearerApi.credentials';
export { QoalaBasicAuthApi } from './credentials/QoalaBasicAuthApi.credentials';
export { CermatiSignatureApi } from './credentials/CermatiSignatureApi.credentials';
export { CuracelSignatureApi } from './credentials/CuracelSignatureApi.credentials';

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
export { PARTNERS, registry, type Provider, type TriggerName } from './nodes/partners';
export type { AuthenticationMethod, AuthenticationMethods } from './nodes/shared/authentication';

export { qoalaAuthentication } from './nodes/Qoala/authentication';
export { cermatiAuthentication } from './nodes/Cermati/authentication';
export { curacelAuthentication } from './nodes/Curacel/authentication';
export * from './nodes/Qoala/ClaimTrigger/claim';
export * from './nodes/Qoala/PolicyTrigger/policy';
export * from './nodes/Cermati/ApplicationTrigger/application';
export * from './nodes/Cermati/ClaimTrigger/claim';
export * from './nodes/Curacel/CuracelTrigger/events';

import {
	cermatiApplication,
	cermatiApplicationItem,
} from './nodes/Cermati/ApplicationTrigger/application';
import { cermatiClaim, cermatiClaimItem } from './nodes/Cermati/ClaimTrigger/claim';
import { curacel, curacelItem } from './nodes/Curacel/CuracelTrigger/events';
import { qoalaClaim, qoalaClaimItem } from './nodes/Qoala/ClaimTrigger/claim';
import { qoalaPolicy, qoalaPolicyItem } from './nodes/Qoala/PolicyTrigger/policy';
import { partnerAnswerItem } from './nodes/PartnerAnswer/answer';
import type { DeliveryContract } from './nodes/shared/contract';
import type { TriggerName } from './nodes/partners';

export { outputJsonSchema } from './nodes/shared/outputSchema';
export {
	describeRejection,
	rejectedDeliveryItem,
	RejectionAlerts,
	triggerOutputs,
	type RejectedDelivery,
} from './nodes/shared/rejection';

export { httpAnswerOf, partnerAnswerItem, type AnswerSettings } from './nodes/PartnerAnswer/answer';

/**
 * Each node's output item schema by node name: what the build publishes to n8n's editor. A
 * literal: the schemas are zod, and the registry (nodes/partners.ts) stays data only so the
 * sender can import it without zod; the type below makes a trigger of the registry without its
 * schema fail to compile, and test/unit/registry.test.ts checks the keys.
 */
export const outputSchemas = {
	qoalaClaimTrigger: qoalaClaimItem,
	qoalaPolicyTrigger: qoalaPolicyItem,
	cermatiApplicationTrigger: cermatiApplicationItem,
	cermatiClaimTrigger: cermatiClaimItem,
	curacelTrigger: curacelItem,
	partnerAnswer: partnerAnswerItem,
} satisfies Record<TriggerName | 'partnerAnswer', unknown>;

/**
 * Each trigger's contract by node name, for a program that runs the pipeline for a trigger
 * it knows by name (`processDelivery(deliveryContracts[name], …)`). A literal for the reason
 * `outputSchemas` is one.
 */
export const deliveryContracts: Readonly<Record<TriggerName, DeliveryContract<unknown, unknown>>> =
	{
		qoalaClaimTrigger: qoalaClaim as DeliveryContract<unknown, unknown>,
		qoalaPolicyTrigger: qoalaPolicy as DeliveryContract<unknown, unknown>,
		cermatiApplicationTrigger: cermatiApplication as DeliveryContract<unknown, unknown>,
		cermatiClaimTrigger: cermatiClaim as DeliveryContract<unknown, unknown>,
		curacelTrigger: curacel as DeliveryContract<unknown, unknown>,
	};
