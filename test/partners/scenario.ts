/**
 * What the partners' suite imports into n8n with one partner's package installed
 * (`N8N_INSURANCE_PACKAGE=<provider>`): that partner's triggers with their default
 * authentication, as the compatibility suite has them, and only the credentials of that
 * partner (the package declares no other credential type).
 */
import { PARTNERS } from '../../nodes/partners';
import { INSTALLED_PARTNER } from '../../scripts/paths';
import { MAIN } from '../compat/scenario';
import type { N8nScenario } from '../e2e/globalSetup';
import { credentialsToImport, spec, webhookId, workflowId, workflowOf } from '../e2e/scenario';
import { TEST_TRIGGERS } from '../helpers/triggers';

function selectedPartner(): (typeof PARTNERS)[number] {
	const provider = INSTALLED_PARTNER;
	const partner = PARTNERS.find((entry) => entry.provider === provider);
	if (!partner)
		throw new Error(
			`npm run test:partners runs in one partner's package: set N8N_INSURANCE_PACKAGE to one of ${PARTNERS.map((entry) => entry.provider).join(', ')} (got ${provider ?? 'nothing'})`,
		);
	return partner;
}

export const PARTNER = selectedPartner();

/** Each of the partner's triggers and the sample its demo sends. */
export const PARTNER_MAIN = MAIN.filter(
	({ key }) => TEST_TRIGGERS.find((trigger) => trigger.key === key)?.provider === PARTNER.provider,
);

export const PARTNER_SCENARIO: N8nScenario = {
	name: `partner-${PARTNER.provider}`,
	credentials: () =>
		credentialsToImport().filter(
			(credential) => (credential as { type: string }).type in PARTNER.credentials,
		),
	workflows: (crmUrl) =>
		PARTNER_MAIN.map(({ key }) =>
			workflowOf(spec(key), {
				id: workflowId(key),
				name: `${PARTNER.provider} package ${key}`,
				webhookId: webhookId(key),
				crmUrl,
			}),
		),
	workflowIds: () => PARTNER_MAIN.map(({ key }) => workflowId(key)),
	webhookIds: () => PARTNER_MAIN.map(({ key }) => webhookId(key)),
};
