/**
 * What the e2e run imports into n8n: one credential per scheme and the test workflows, each
 * trigger → HTTP Request posting the item to the CRM stand-in at /crm/<workflow key>
 * (→ the package's Answer Insurance Partner node). One n8n start serves all of them.
 */
import type { PartnerSecrets } from '../../sender/src/deliveries';
import { registry, type Provider } from '../../nodes/partners';
import type { PartnerDefinition } from '../../nodes/shared/partner';
import { TEST_TRIGGERS, type TestTrigger, type TriggerKey } from '../helpers/triggers';
import { variantsOfTrigger } from '../helpers/variants';
import { workflows, type ChainedWorkflow } from './harness';

/** Secrets of this run's credentials (test values, never real ones). */
export const SECRETS = {
	qoalaApiKey: '5f0c1e8a9b7d4c3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e',
	qoalaHmac: 'qoala-hmac-sha256-secret',
	qoalaHmacBase64: 'qoala-hmac-sha256-base64-secret',
	qoalaMd5: 'qoala-md5-hmac-secret',
	qoalaMd5BodyAndSecret: 'qoala-md5-body-and-secret',
	qoalaBearer: 'qoala-bearer-token-7d1f',
	qoalaUser: 'qoala-partner',
	qoalaPassword: 'pa55:word with spaces',
	cermati: 'cermati-secret-key-91c2',
	curacel: 'curacel-webhook-secret-44ab',
	cermatiRotated: 'cermati-new-secret-key-07d3',
} as const;

interface CredentialSpec {
	id: string;
	name: string;
	type: string;
	data: Record<string, string>;
}

export const CREDENTIALS = {
	qoalaApiKey: {
		id: 'e2eQoalaApiKey01',
		name: 'Qoala API key (e2e)',
		type: 'qoalaApiKeyApi',
		data: { apiKey: SECRETS.qoalaApiKey, headerName: 'x-api-key' },
	},
	qoalaHmac: {
		id: 'e2eQoalaHmac0001',
		name: 'Qoala HMAC-SHA256 hex (e2e)',
		type: 'qoalaHmacSha256Api',
		data: { secret: SECRETS.qoalaHmac, headerName: 'x-api-key', encoding: 'hex' },
	},
	qoalaHmacBase64: {
		id: 'e2eQoalaHmacB641',
		name: 'Qoala HMAC-SHA256 base64, own header (e2e)',
		type: 'qoalaHmacSha256Api',
		data: { secret: SECRETS.qoalaHmacBase64, headerName: 'X-Qoala-Signature', encoding: 'base64' },
	},
	qoalaMd5: {
		id: 'e2eQoalaMd5Hmac1',
		name: 'Qoala MD5 HMAC (e2e)',
		type: 'qoalaMd5Api',
		data: { secret: SECRETS.qoalaMd5, headerName: 'x-api-key', variant: 'hmac' },
	},
	qoalaMd5BodyAndSecret: {
		id: 'e2eQoalaMd5Cat01',
		name: 'Qoala MD5 body+secret (e2e)',
		type: 'qoalaMd5Api',
		data: {
			secret: SECRETS.qoalaMd5BodyAndSecret,
			headerName: 'x-api-key',
			variant: 'bodyAndSecret',
		},
	},
	qoalaBearer: {
		id: 'e2eQoalaBearer01',
		name: 'Qoala bearer (e2e)',
		type: 'qoalaBearerApi',
		data: { token: SECRETS.qoalaBearer },
	},
	qoalaBasic: {
		id: 'e2eQoalaBasic001',
		name: 'Qoala basic auth (e2e)',
		type: 'qoalaBasicAuthApi',
		data: { user: SECRETS.qoalaUser, password: SECRETS.qoalaPassword },
	},
	cermati: {
		id: 'e2eCermatiSig001',
		name: 'Cermati secret key (e2e)',
		type: 'cermatiSignatureApi',
		data: { secretKey: SECRETS.cermati },
	},
	cermatiRotating: {
		id: 'e2eCermatiRot001',
		name: 'Cermati secret key being changed (e2e)',
		type: 'cermatiSignatureApi',
		data: { secretKey: SECRETS.cermatiRotated, previousSecret: SECRETS.cermati },
	},
	qoalaHmacUnknownEncoding: {
		id: 'e2eQoalaHmacBad1',
		name: 'Qoala HMAC-SHA256 with an unknown encoding (e2e)',
		type: 'qoalaHmacSha256Api',
		data: { secret: SECRETS.qoalaHmac, headerName: 'x-api-key', encoding: 'base32' },
	},
	curacel: {
		id: 'e2eCuracelSig001',
		name: 'Curacel webhook secret (e2e)',
		type: 'curacelSignatureApi',
		data: { webhookSecret: SECRETS.curacel },
	},
	// Spaces alone: refused like an empty secret, never a key a sender can guess. After
	// `curacel`: a partner's triggers take the first credential of their type.
	curacelBlankSecret: {
		id: 'e2eCuracelBlank1',
		name: 'Curacel webhook secret of spaces (e2e)',
		type: 'curacelSignatureApi',
		data: { webhookSecret: '   ' },
	},
} satisfies Record<string, CredentialSpec>;

export interface WorkflowSpec {
	/** Also the CRM path: the workflow posts its items to /crm/<key>. */
	key: string;
	nodeName: string;
	authentication: string;
	credential?: CredentialSpec;
	/** Node parameters besides `authentication` (filters, responseMode, options). */
	parameters?: Record<string, unknown>;
	/** What a genuine partner holds for this trigger: the sender's scheme and secrets. */
	partner: PartnerSecrets & { scheme: string };
	/**
	 * The package's Answer Insurance Partner node after the CRM post (responseMode:
	 * responseNode): its parameters. The partner is answered once the CRM has the item.
	 */
	answer?: Record<string, unknown>;
	/**
	 * With `answer`: the Answer node sits on one branch only, an IF after the CRM post taking it
	 * when the item's `event` is this; on the other branch the run ends with nobody answering.
	 */
	answerOnlyForEvent?: string;
	/** The trigger's version in the saved workflow; the editor's default (2) if not given. */
	typeVersion?: number;
	/** Why this workflow refuses the partner's plain sample by design (an option set), if it does. */
	refusesTheSample?: string;
	/**
	 * Options → Output Rejected Deliveries on, its Rejected output posting the alert to
	 * /crm/<key>-rejected.
	 */
	alertOnRejected?: true;
}

/**
 * A partner's credential for its triggers' default authentication: the one of that type above
 * (its partner's demo credential's type), else the demo credential itself
 * (nodes/<Partner>/partner.ts) — so a partner new to the registry runs with no row here — and
 * what the partner then holds (the sender's secrets).
 */
export function defaultCredentialOf(partner: PartnerDefinition): {
	credential: CredentialSpec;
	secrets: PartnerSecrets;
} {
	const { demoCredential } = partner;
	const credential: CredentialSpec = Object.values<CredentialSpec>(CREDENTIALS).find(
		(candidate) => candidate.type === demoCredential.type,
	) ?? {
		id: demoCredential.id,
		name: demoCredential.name,
		type: demoCredential.type,
		data: { ...demoCredential.data },
	};
	const [secretField] = partner.credentials[demoCredential.type].secrets;
	const secrets: PartnerSecrets =
		'user' in credential.data && 'password' in credential.data
			? { user: credential.data.user, password: credential.data.password }
			: { secret: credential.data[secretField] };
	return { credential, secrets };
}

const DEFAULT_OF = Object.fromEntries(
	registry.partners.map((partner) => [partner.provider, defaultCredentialOf(partner)]),
) as Record<Provider, ReturnType<typeof defaultCredentialOf>>;

/** Each partner's credential for its triggers' default authentication. */
export const DEFAULT_CREDENTIALS: CredentialSpec[] = Object.values(DEFAULT_OF).map(
	(entry) => entry.credential,
);

const partnerOf = {
	qoalaApiKey: { scheme: 'apiKey', ...DEFAULT_OF.qoala.secrets },
	cermati: { scheme: 'signature', ...DEFAULT_OF.cermati.secrets },
	curacel: { scheme: 'signature', ...DEFAULT_OF.curacel.secrets },
};

/** The trigger with its default authentication and its partner's default credential. */
function defaultSpec(
	trigger: TestTrigger,
	key: string,
	parameters?: Record<string, unknown>,
): WorkflowSpec {
	const { credential, secrets } = DEFAULT_OF[trigger.provider];
	return {
		key,
		nodeName: trigger.nodeName,
		authentication: trigger.defaultScheme,
		credential,
		partner: { scheme: trigger.defaultScheme, ...secrets },
		...(parameters ? { parameters } : {}),
	};
}

/** The trigger's workflow in the bad-input table (bad-input.e2e.test.ts). */
export const badInputKey = (key: TriggerKey) =>
	`bad${key.charAt(0).toUpperCase()}${key.slice(1)}` as `bad${Capitalize<TriggerKey>}`;

const SPECS: WorkflowSpec[] = [
	// One per trigger with its default authentication: the main path, rejections, repeats, restart.
	...TEST_TRIGGERS.map((trigger) => defaultSpec(trigger, trigger.key)),

	// One per trigger with a filter the samples fall outside of.
	...TEST_TRIGGERS.map((trigger) =>
		defaultSpec(trigger, `${trigger.key}Filtered`, {
			[trigger.filter]: variantsOfTrigger(trigger).filter.selected,
		}),
	),

	// Every other Qoala scheme (apiKey is covered above).
	{
		key: 'qoalaHmacHex',
		nodeName: 'qoalaClaimTrigger',
		authentication: 'hmacSha256',
		credential: CREDENTIALS.qoalaHmac,
		partner: { scheme: 'hmacSha256', secret: SECRETS.qoalaHmac },
	},
	{
		key: 'qoalaHmacBase64',
		nodeName: 'qoalaClaimTrigger',
		authentication: 'hmacSha256',
		credential: CREDENTIALS.qoalaHmacBase64,
		partner: {
			scheme: 'hmacSha256',
			secret: SECRETS.qoalaHmacBase64,
			encoding: 'base64',
			headerName: 'X-Qoala-Signature',
		},
	},
	{
		key: 'qoalaMd5Hmac',
		nodeName: 'qoalaClaimTrigger',
		authentication: 'md5',
		credential: CREDENTIALS.qoalaMd5,
		partner: { scheme: 'md5', secret: SECRETS.qoalaMd5, variant: 'hmac' },
	},
	{
		key: 'qoalaMd5BodyAndSecret',
		nodeName: 'qoalaClaimTrigger',
		authentication: 'md5',
		credential: CREDENTIALS.qoalaMd5BodyAndSecret,
		partner: { scheme: 'md5', secret: SECRETS.qoalaMd5BodyAndSecret, variant: 'bodyAndSecret' },
	},
	{
		key: 'qoalaBearer',
		nodeName: 'qoalaClaimTrigger',
		authentication: 'bearer',
		credential: CREDENTIALS.qoalaBearer,
		partner: { scheme: 'bearer', secret: SECRETS.qoalaBearer },
	},
	{
		key: 'qoalaBasicAuth',
		nodeName: 'qoalaClaimTrigger',
		authentication: 'basicAuth',
		credential: CREDENTIALS.qoalaBasic,
		partner: { scheme: 'basicAuth', user: SECRETS.qoalaUser, password: SECRETS.qoalaPassword },
	},

	// Curacel instalment.due answered by the workflow: 402 declines the charge.
	{
		key: 'curacelInstalmentDecline',
		nodeName: 'curacelTrigger',
		authentication: 'signature',
		credential: CREDENTIALS.curacel,
		partner: partnerOf.curacel,
		parameters: { responseMode: 'responseNode', events: ['instalment.due'] },
		answer: { answer: 'decline', statusCode: 402, message: 'Charge declined by the workflow' },
	},

	// Respond "When Last Node Finishes": the partner gets the CRM's answer.
	{
		key: 'qoalaClaimLastNode',
		nodeName: 'qoalaClaimTrigger',
		authentication: 'apiKey',
		credential: CREDENTIALS.qoalaApiKey,
		partner: partnerOf.qoalaApiKey,
		parameters: { responseMode: 'lastNode' },
	},
	// A workflow saved before version 1.1, which n8n keeps running at version 1.
	{
		key: 'curacelVersion1',
		nodeName: 'curacelTrigger',
		authentication: 'signature',
		credential: CREDENTIALS.curacel,
		partner: partnerOf.curacel,
		typeVersion: 1,
	},

	// The bad-input table (bad-input.e2e.test.ts): one per trigger with its default
	// authentication, plus the Qoala schemes whose header has a format of its own.
	...TEST_TRIGGERS.map((trigger) => defaultSpec(trigger, badInputKey(trigger.key))),
	{
		key: 'badQoalaHmac',
		nodeName: 'qoalaClaimTrigger',
		authentication: 'hmacSha256',
		credential: CREDENTIALS.qoalaHmac,
		partner: { scheme: 'hmacSha256', secret: SECRETS.qoalaHmac },
	},
	{
		key: 'badQoalaBearer',
		nodeName: 'qoalaClaimTrigger',
		authentication: 'bearer',
		credential: CREDENTIALS.qoalaBearer,
		partner: { scheme: 'bearer', secret: SECRETS.qoalaBearer },
	},

	// Delivered means answered 2XX (acknowledgement.e2e.test.ts): a CRM that fails the first
	// attempt of each notification behind each waiting Respond mode, and a slow one.
	{
		key: 'lastNodeCrmDown',
		nodeName: 'qoalaClaimTrigger',
		authentication: 'apiKey',
		credential: CREDENTIALS.qoalaApiKey,
		partner: partnerOf.qoalaApiKey,
		parameters: { responseMode: 'lastNode' },
	},
	{
		key: 'answerNodeCrmDown',
		nodeName: 'qoalaClaimTrigger',
		authentication: 'apiKey',
		credential: CREDENTIALS.qoalaApiKey,
		partner: partnerOf.qoalaApiKey,
		parameters: { responseMode: 'responseNode' },
		answer: { answer: 'acknowledge' },
	},
	{
		key: 'lastNodeSlowCrm',
		nodeName: 'cermatiClaimTrigger',
		authentication: 'signature',
		credential: CREDENTIALS.cermati,
		partner: partnerOf.cermati,
		parameters: { responseMode: 'lastNode' },
	},
	// The options of the security review (bad-input.e2e.test.ts): an IP allowlist, Cermati's
	// Maximum Age, a secret being changed, a credential setting the trigger does not know.
	{
		key: 'badAllowlisted',
		nodeName: 'qoalaClaimTrigger',
		authentication: 'apiKey',
		credential: CREDENTIALS.qoalaApiKey,
		partner: partnerOf.qoalaApiKey,
		parameters: { options: { allowedIps: '127.0.0.2, 2001:db8::/32' } },
		refusesTheSample: 'the tests send from 127.0.0.1, which its IP allowlist does not list',
	},
	{
		key: 'badCermatiMaxAge',
		nodeName: 'cermatiApplicationTrigger',
		authentication: 'signature',
		credential: CREDENTIALS.cermati,
		partner: partnerOf.cermati,
		parameters: { options: { maxAge: 60 } },
		refusesTheSample: "the sample's updatedAt is older than its Maximum Age",
	},
	{
		key: 'badCermatiRotation',
		nodeName: 'cermatiClaimTrigger',
		authentication: 'signature',
		credential: CREDENTIALS.cermatiRotating,
		partner: { scheme: 'signature', secret: SECRETS.cermatiRotated },
	},
	{
		key: 'badQoalaMisconfigured',
		nodeName: 'qoalaClaimTrigger',
		authentication: 'hmacSha256',
		credential: CREDENTIALS.qoalaHmacUnknownEncoding,
		partner: { scheme: 'hmacSha256', secret: SECRETS.qoalaHmac },
		refusesTheSample: 'its credential names an encoding the trigger does not know',
	},
	{
		key: 'badCuracelBlankSecret',
		nodeName: 'curacelTrigger',
		authentication: 'signature',
		credential: CREDENTIALS.curacelBlankSecret,
		partner: { scheme: 'signature', secret: '   ' },
		refusesTheSample: 'its credential holds a secret of spaces only',
	},
	// Options → Output Rejected Deliveries: alerts on the Rejected output, in the bad-input table
	// and in each Respond mode (rejected.e2e.test.ts).
	{
		key: 'badCuracelAlerting',
		nodeName: 'curacelTrigger',
		authentication: 'signature',
		credential: CREDENTIALS.curacel,
		partner: partnerOf.curacel,
		alertOnRejected: true,
	},
	{
		key: 'alertsOnReceived',
		nodeName: 'curacelTrigger',
		authentication: 'signature',
		credential: CREDENTIALS.curacel,
		partner: partnerOf.curacel,
		alertOnRejected: true,
	},
	{
		key: 'alertsLastNode',
		nodeName: 'qoalaClaimTrigger',
		authentication: 'apiKey',
		credential: CREDENTIALS.qoalaApiKey,
		partner: partnerOf.qoalaApiKey,
		parameters: { responseMode: 'lastNode' },
		alertOnRejected: true,
	},
	{
		key: 'alertsAnswerNode',
		nodeName: 'cermatiClaimTrigger',
		authentication: 'signature',
		credential: CREDENTIALS.cermati,
		partner: partnerOf.cermati,
		parameters: { responseMode: 'responseNode' },
		answer: { answer: 'acknowledge' },
		alertOnRejected: true,
	},
	// Using a Response Node with the Answer node on one branch (unansweredEnd.ts): a run down the
	// other branch ends unanswered, which must never reach the partner as 2XX.
	{
		key: 'answerNodeOneBranch',
		nodeName: 'curacelTrigger',
		authentication: 'signature',
		credential: CREDENTIALS.curacel,
		partner: partnerOf.curacel,
		parameters: { responseMode: 'responseNode' },
		answer: { answer: 'acknowledge' },
		answerOnlyForEvent: 'claim.settled',
		refusesTheSample: "the sample's run (claim.vetted) ends without an answer, by design: 500",
	},
	// A run that fails with Respond: Immediately (the compatibility suite, test/compat).
	{
		key: 'onReceivedCrmDown',
		nodeName: 'qoalaPolicyTrigger',
		authentication: 'apiKey',
		credential: CREDENTIALS.qoalaApiKey,
		partner: partnerOf.qoalaApiKey,
	},
	// The same notification to the test URL, then to the production URL.
	{
		key: 'testUrlThenLive',
		nodeName: 'qoalaClaimTrigger',
		authentication: 'apiKey',
		credential: CREDENTIALS.qoalaApiKey,
		partner: partnerOf.qoalaApiKey,
	},
	// Late retries (late-retries.e2e.test.ts): each partner's trigger at version 3, which skips
	// out-of-date notifications, and at version 2, which delivers them with isLatest false.
	...(['Skip', 'Keep'] as const).flatMap((mode): WorkflowSpec[] => {
		const typeVersion = mode === 'Skip' ? 3 : 2;
		return [
			{
				key: `lateQoala${mode}`,
				nodeName: 'qoalaClaimTrigger',
				authentication: 'apiKey',
				credential: CREDENTIALS.qoalaApiKey,
				partner: partnerOf.qoalaApiKey,
				parameters: { responseMode: 'lastNode' },
				typeVersion,
			},
			{
				key: `lateCermati${mode}`,
				nodeName: 'cermatiApplicationTrigger',
				authentication: 'signature',
				credential: CREDENTIALS.cermati,
				partner: partnerOf.cermati,
				typeVersion,
			},
			{
				key: `lateCuracel${mode}`,
				nodeName: 'curacelTrigger',
				authentication: 'signature',
				credential: CREDENTIALS.curacel,
				partner: partnerOf.curacel,
				typeVersion,
			},
		];
	}),
	// Qoala's policy statuses from its status table, chosen in the filter.
	{
		key: 'policyRejectedByInsurer',
		nodeName: 'qoalaPolicyTrigger',
		authentication: 'apiKey',
		credential: CREDENTIALS.qoalaApiKey,
		partner: partnerOf.qoalaApiKey,
		parameters: { statuses: ['POLICY_REJECTED_INSURANCE'] },
		typeVersion: 3,
	},
];

/** Every workflow of the scenario: three per trigger of the registry, and the others by name. */
export type WorkflowKey =
	| TriggerKey
	| `${TriggerKey}Filtered`
	| `bad${Capitalize<TriggerKey>}`
	| 'qoalaHmacHex'
	| 'qoalaHmacBase64'
	| 'qoalaMd5Hmac'
	| 'qoalaMd5BodyAndSecret'
	| 'qoalaBearer'
	| 'qoalaBasicAuth'
	| 'curacelInstalmentDecline'
	| 'qoalaClaimLastNode'
	| 'curacelVersion1'
	| 'badQoalaHmac'
	| 'badQoalaBearer'
	| 'lastNodeCrmDown'
	| 'answerNodeCrmDown'
	| 'answerNodeOneBranch'
	| 'lastNodeSlowCrm'
	| 'testUrlThenLive'
	| 'badAllowlisted'
	| 'badCermatiMaxAge'
	| 'badCermatiRotation'
	| 'badQoalaMisconfigured'
	| 'badCuracelBlankSecret'
	| 'badCuracelAlerting'
	| 'alertsOnReceived'
	| 'alertsLastNode'
	| 'alertsAnswerNode'
	| 'onReceivedCrmDown'
	| `late${'Qoala' | 'Cermati' | 'Curacel'}${'Skip' | 'Keep'}`
	| 'policyRejectedByInsurer';

export function spec(key: WorkflowKey): WorkflowSpec {
	const found = SPECS.find((candidate) => candidate.key === key);
	if (!found) throw new Error(`no workflow ${key}`);
	return found;
}

export const allSpecs = (): readonly WorkflowSpec[] => SPECS;

/**
 * The workflow's id in n8n. At most 21 characters: n8n 2.40 silently skips saving the static
 * data (where triggers keep state) of workflows with longer ids (isWorkflowIdValid).
 */
export function workflowId(key: string): string {
	const index = SPECS.findIndex((candidate) => candidate.key === key);
	if (index < 0) throw new Error(`no workflow ${key}`);
	return `e2e${String(index + 1).padStart(2, '0')}${key}`.slice(0, 16);
}

/** A fixed UUID per workflow: the webhook id in its production URL. */
export function webhookId(key: string): string {
	const index = SPECS.findIndex((candidate) => candidate.key === key);
	if (index < 0) throw new Error(`no workflow ${key}`);
	return `00000000-e2e0-4000-8000-${String(index + 1).padStart(12, '0')}`;
}

/** Every credential above, and the demo credential of a partner none of them is for. */
export function credentialsToImport(): unknown[] {
	const all = new Map<string, CredentialSpec>();
	for (const credential of [...Object.values(CREDENTIALS), ...DEFAULT_CREDENTIALS])
		all.set(credential.id, credential);
	return [...all.values()].map((credential) => workflows.credential(credential));
}

export function workflowsToImport(crmUrl: string): Array<{ id: string }> {
	return SPECS.map((entry) =>
		workflowOf(entry, {
			id: workflowId(entry.key),
			name: `e2e ${entry.key}`,
			webhookId: webhookId(entry.key),
			crmUrl,
		}),
	);
}

/** A spec as an n8n workflow: trigger → HTTP Request to /crm/<key> (→ Answer Insurance Partner). */
export function workflowOf(
	entry: WorkflowSpec,
	ids: { id: string; name: string; webhookId: string; crmUrl: string },
): { id: string } {
	const parameters = entry.alertOnRejected
		? {
				...entry.parameters,
				options: { ...(entry.parameters?.options as object), rejectedOutput: true },
			}
		: entry.parameters;
	const trigger = workflows.triggerNode({
		nodeName: entry.nodeName,
		webhookId: ids.webhookId,
		authentication: entry.authentication,
		credential: entry.credential,
		parameters,
		name: 'Partner Trigger',
		typeVersion: entry.typeVersion,
	});
	const crm = workflows.postItemNode({
		id: `${entry.key}-crm`,
		name: 'Post To CRM',
		url: `${ids.crmUrl}/crm/${entry.key}`,
	});
	const answer = entry.answer
		? [
				workflows.answerNode({
					id: `${entry.key}-answer`,
					name: 'Answer Partner',
					parameters: entry.answer,
					position: entry.answerOnlyForEvent ? [720, 0] : undefined,
				}),
			]
		: [];
	const branch = entry.answerOnlyForEvent
		? [
				workflows.ifNode({
					id: `${entry.key}-if`,
					name: 'Only This Event',
					position: [480, 0],
					condition: {
						leftValue: "={{ $('Partner Trigger').item.json.event }}",
						rightValue: entry.answerOnlyForEvent,
						operator: { type: 'string', operation: 'equals' },
					},
				}),
			]
		: [];
	// The IF's first output (true) leads to the answer; its second (false) leads nowhere.
	const workflow = workflows.chainWorkflow({
		id: ids.id,
		name: ids.name,
		nodes: [trigger, crm, ...branch, ...answer],
	});
	return entry.alertOnRejected ? withAlert(workflow, entry.key, ids.crmUrl) : workflow;
}

/** Adds the alert: the trigger's second output (Rejected) → HTTP Request to /crm/<key>-rejected. */
function withAlert(workflow: ChainedWorkflow, key: string, crmUrl: string): ChainedWorkflow {
	const alert = workflows.postItemNode({
		id: `${key}-alert`,
		name: 'Post Alert',
		url: `${crmUrl}/crm/${key}-rejected`,
		position: [240, 200],
	});
	const triggerOutputs = workflow.connections['Partner Trigger'].main;
	return {
		...workflow,
		nodes: [...workflow.nodes, alert],
		connections: {
			...workflow.connections,
			'Partner Trigger': {
				main: [triggerOutputs[0], [{ node: 'Post Alert', type: 'main', index: 0 }]],
			},
		},
	};
}
