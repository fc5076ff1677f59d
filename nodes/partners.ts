import type { ICredentialDataDecryptedObject, INodeCredentialTestResult } from 'n8n-workflow';

import { cermatiPartner } from './Cermati/partner';
import { curacelPartner } from './Curacel/partner';
import { qoalaPartner } from './Qoala/partner';
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
