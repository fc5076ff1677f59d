import type { ICredentialDataDecryptedObject, INodeCredentialTestResult } from 'n8n-workflow';
import type { z } from 'zod/v4';

import { cermatiPartner } from './Cermati/partner';
import { curacelPartner } from './Curacel/partner';
import { qoalaPartner } from './Qoala/partner';
import type { DeliveryContract } from './shared/contract';
import { checkCredentialWith } from './shared/credentialTests';
import { registryOf } from './shared/partner';

/**
 * The partners of this package: the one list. Each entry is its partner's `partner.ts`;
 * adding a partner is one line here (see docs/adding-a-partner.md).
 */
export const PARTNERS = [qoalaPartner, cermatiPartner, curacelPartner] as const;

/** The `provider` of an item: one of the registered partners. */
export type Provider = (typeof PARTNERS)[number]['provider'];

/** A trigger's node name (`description.name`): one of the registered partners' triggers. */
export type TriggerName = (typeof PARTNERS)[number]['triggers'][number]['nodeName'];

/** A trigger's entry in its partner's `partner.ts`, by node name, with its own types. */
export type TriggerOf<Name extends TriggerName> = Extract<
	(typeof PARTNERS)[number]['triggers'][number],
	{ nodeName: Name }
>;

/** The type of the item a trigger emits (`ItemOf<'qoalaClaimTrigger'>`). */
export type ItemOf<Name extends TriggerName> = z.infer<TriggerOf<Name>['item']>;

/** The type of the payload a trigger accepts, as its contract validates it. */
export type PayloadOf<Name extends TriggerName> =
	TriggerOf<Name>['contract'] extends DeliveryContract<infer Payload, unknown> ? Payload : never;

export const registry = registryOf<(typeof PARTNERS)[number]>(PARTNERS);

/** Every credential type of the package, with what its Test button checks. */
export const credentialRules = registry.credentialRules;

/**
 * Checks one credential as its form holds it. Pure: the same data always gives the same
 * answer, and nothing leaves the process.
 */
export function checkCredential(
	type: string,
	data: ICredentialDataDecryptedObject | undefined,
): INodeCredentialTestResult {
	return checkCredentialWith(credentialRules, type, data);
}
