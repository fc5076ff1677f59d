/**
 * What the compatibility suite imports into each n8n it checks: a subset of the e2e workflows
 * (same credentials, same ids), enough for every trigger's default scheme, a filter, a
 * version-1 node, each Respond mode with a run that succeeds and one that fails, and a late
 * retry at node versions 3 (skipped) and 2 (delivered, marked).
 */
import type { N8nScenario } from '../e2e/globalSetup';
import { TEST_TRIGGERS } from '../helpers/triggers';
import {
	credentialsToImport,
	spec,
	webhookId,
	workflowId,
	workflowOf,
	type WorkflowKey,
} from '../e2e/scenario';

/**
 * Each trigger of the registry with its default authentication and Respond: Immediately, and
 * the sample its demo sends.
 */
export const MAIN: Array<{ key: WorkflowKey; providerEvent: string }> = TEST_TRIGGERS.map(
	(trigger) => ({ key: trigger.key, providerEvent: trigger.mainEvent }),
);

export const COMPAT_KEYS: WorkflowKey[] = [
	...MAIN.map((entry) => entry.key),
	'curacelFiltered',
	'curacelVersion1',
	'onReceivedCrmDown',
	'qoalaClaimLastNode',
	'lastNodeCrmDown',
	'answerNodeCrmDown',
	'answerNodeOneBranch',
	'curacelInstalmentDecline',
	'lateCermatiSkip',
	'lateCermatiKeep',
];

export const COMPAT_SCENARIO: N8nScenario = {
	name: 'compat',
	credentials: credentialsToImport,
	workflows: (crmUrl) =>
		COMPAT_KEYS.map((key) =>
			workflowOf(spec(key), {
				id: workflowId(key),
				name: `compat ${key}`,
				webhookId: webhookId(key),
				crmUrl,
			}),
		),
	workflowIds: () => COMPAT_KEYS.map(workflowId),
	webhookIds: () => COMPAT_KEYS.map(webhookId),
};
