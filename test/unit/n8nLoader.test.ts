import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { PackageDirectoryLoader, resolveOutputSchemaPath } from 'n8n-core';
import {
	Expression,
	fromFunction,
	NodeHelpers,
	resolveWebhookDescriptionField,
	webhookDescriptionIsNativelyResolvable,
} from 'n8n-workflow';
import type {
	CodexData,
	ICredentialDataDecryptedObject,
	ICredentialTestFunctions,
	ICredentialType,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWorkflowDataProxyData,
	TriggerPanelDefinition,
} from 'n8n-workflow';

import { registry } from '../../nodes/partners';
import { templateOf } from '../../nodes/shared/description';
import { skipsOutOfDateByDefault } from '../../nodes/shared/decide';
import { COMMON_ITEM_FIELDS } from '../e2e/expected';
import { REJECTED_FIELDS } from '../helpers/rejectedFields';

/**
 * Loads the build output with n8n's own loader, as n8n does at start, and checks what it
 * registers. Runs against dist/ (`npm test` builds first).
 */
const root = join(__dirname, '..', '..');
let loader: PackageDirectoryLoader;

beforeAll(async () => {
	loader = new PackageDirectoryLoader(root);
	await loader.loadAll();
});

/**
 * What n8n must load for each trigger, from the registry (nodes/partners.ts): node name,
 * display name, filter parameter, its authentication choices in order, and the default one.
 */
const nodes: Array<[string, string, string, string[], string]> = registry.triggers.map(
	(trigger) => [
		trigger.nodeName,
		trigger.displayName,
		trigger.filter,
		Object.keys(trigger.methods),
		trigger.defaultScheme,
	],
);

/** "Qoala Claim Trigger" → "qoala-claim-trigger", as npm anchors a README heading. */
const anchorOf = (heading: string) => heading.toLowerCase().replace(/ /g, '-');

/**
 * Node name, partner, README anchors of the node and its credentials, a subject its codex
 * names (what its first sample is about: `claim` of `claim.vetted`).
 */
const codexTable: Array<[string, string, string, string, string]> = registry.triggers.map(
	(trigger) => [
		trigger.nodeName,
		trigger.partner.name,
		anchorOf(trigger.displayName),
		`${trigger.partner.provider}-credentials`,
		trigger.samples[0].event.split('.')[0],
	],
);

/**
 * Each credential type: its fields in the form's order (required, optional secrets, header,
 * settings), which of them are password fields, and the authentication choice that uses it,
 * all from its partner.ts.
 */
const credentials: Record<string, { fields: string[]; secrets: string[]; method: string }> =
	Object.fromEntries(
		Object.entries(registry.credentialRules).map(([type, rules]) => {
			const optional = Object.keys(rules.optionalSecrets ?? {});
			const methods = registry.triggers.flatMap((trigger) =>
				Object.entries(trigger.methods)
					.filter(([, method]) => method.credentialType === type)
					.map(([key]) => key),
			);
			return [
				type,
				{
					fields: [
						...Object.keys(rules.required),
						...optional,
						...(rules.header ? [rules.header.field] : []),
						...(rules.choices ?? []).map((choice) => choice.field),
					],
					secrets: [...rules.secrets, ...optional],
					method: [...new Set(methods)].join(' or '),
				},
			];
		}),
	);

/** The partner's name, from the registry entry whose trigger this is (never a guess). */
function partnerOf(nodeName: string): string {
	const trigger = registry.triggers.find((candidate) => candidate.nodeName === nodeName);
	if (!trigger) throw new Error(`${nodeName} is no trigger of the registry (nodes/partners.ts)`);
	return trigger.partner.name;
}

/** n8n serves `icons/<package>/<path>` from the package folder: both files must be there, and differ. */
function expectThemedIcons(iconUrl: unknown) {
	const { light, dark } = iconUrl as { light: string; dark: string };
	expect(light).toMatch(/^icons\/n8n-nodes-insurance-webhooks\/dist\/nodes\/\w+\/\w+\.svg$/);
	expect(dark).toBe(light.replace(/\.svg$/, '.dark.svg'));
	for (const url of [light, dark]) {
		const file = join(root, url.replace('icons/n8n-nodes-insurance-webhooks/', ''));
		expect(readFileSync(file, 'utf8')).toMatch(/^<svg [^>]*viewBox="0 0 60 60"/);
	}
	expect(
		readFileSync(join(root, dark.replace('icons/n8n-nodes-insurance-webhooks/', ''))),
	).not.toEqual(readFileSync(join(root, light.replace('icons/n8n-nodes-insurance-webhooks/', ''))));
}

it('has triggers and credentials to load, each credential used by one authentication choice', () => {
	expect(nodes.length).toBeGreaterThan(0);
	expect(Object.keys(credentials).length).toBeGreaterThan(0);
	for (const [type, { method }] of Object.entries(credentials)) {
		expect([type, method]).toEqual([type, expect.stringMatching(/^\w+$/)]);
	}
});

describe.each(nodes)('n8n loads %s', (name, displayName, filter, methods, defaultMethod) => {
	let description: INodeTypeDescription;
	beforeAll(() => {
		description = loader.getNode(name).type.description as INodeTypeDescription;
	});
	const property = (parameter: string) =>
		description.properties.find((candidate) => candidate.name === parameter) as INodeProperties;

	it('as a version 3 trigger (1 and 2 kept for saved workflows) with one POST webhook at path "webhook"', () => {
		expect(description.displayName).toBe(displayName);
		expect(description.version).toEqual([1, 2, 3]);
		expect(description.defaultVersion).toBe(3);
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.webhooks).toEqual([
			expect.objectContaining({ name: 'default', httpMethod: 'POST', path: 'webhook' }),
		]);
	});

	it.each([
		[{}, ['main']],
		[{ rejectedOutput: false }, ['main']],
		[
			{ rejectedOutput: true },
			[
				{ type: 'main', displayName: 'Accepted' },
				{ type: 'main', displayName: 'Rejected' },
			],
		],
	])('with options %j, has the outputs %j', (options, outputs) => {
		Expression.setExpressionEngine('legacy');
		const data = { $parameter: { options } } as unknown as IWorkflowDataProxyData;
		const template = description.outputs as string;
		expect(new Expression('UTC').resolveSimpleParameterValue(template, data, false)).toEqual(
			outputs,
		);
	});

	it('with an authentication choice that shows only its own credential', () => {
		const authentication = property('authentication');
		expect(
			(authentication.options as Array<{ value: string }>).map((option) => option.value),
		).toEqual(methods);
		expect(authentication.default).toBe(defaultMethod);
		for (const slot of description.credentials ?? []) {
			const shownFor = slot.displayOptions?.show?.authentication as string[];
			expect(shownFor).toEqual([credentials[slot.name].method]);
			expect(slot.required).toBe(true);
			expect(slot.testedBy).toBe(`${slot.name}Test`);
		}
		expect(description.credentials?.length).toBe(methods.length - 1);
	});

	it('with the filter, response mode, IP allowlist, Maximum Age (Cermati), repeated-delivery and Rejected output options', () => {
		expect(property(filter)).toMatchObject({ type: 'multiOptions', default: [] });
		expect(
			(property('responseMode').options as Array<{ value: string }>).map((o) => o.value),
		).toEqual(['onReceived', 'lastNode', 'responseNode']);
		expect(property('responseMode').default).toBe('onReceived');
		const options = property('options');
		expect(options.type).toBe('collection');
		// New options are off by default (docs/version-policy.md).
		expect(options.options).toEqual([
			expect.objectContaining({ name: 'allowedIps', type: 'string', default: '' }),
			...(partnerOf(name) === 'Cermati'
				? [expect.objectContaining({ name: 'maxAge', type: 'number', default: 0 })]
				: []),
			expect.objectContaining({ name: 'ignoreRepeatedDeliveries', type: 'boolean', default: true }),
			// On by default from version 3 only, which introduced it (versions 1 and 2 keep today's).
			expect.objectContaining({
				name: 'skipOutOfDate',
				type: 'boolean',
				default: true,
				displayOptions: { show: { '@version': [{ _cnd: { gte: 3 } }] } },
			}),
			expect.objectContaining({
				name: 'skipOutOfDate',
				type: 'boolean',
				default: false,
				displayOptions: { show: { '@version': [1, 2] } },
			}),
			expect.objectContaining({ name: 'rejectedOutput', type: 'boolean', default: false }),
			expect.objectContaining({ name: 'rejectedAlertInterval', type: 'number', default: 1 }),
		]);
	});

	it.each([
		[1, false],
		[2, false],
		[3, true],
	])(
		'offers Skip Out-of-Date Notifications at version %i once, defaulting to %s as it runs when left out',
		(typeVersion, on) => {
			const shown = (property('options').options as INodeProperties[]).filter(
				(option) =>
					option.name === 'skipOutOfDate' &&
					NodeHelpers.displayParameter({}, option, { typeVersion }, description),
			);
			expect(shown.map((option) => option.default)).toEqual([on]);
			expect(skipsOutOfDateByDefault(typeVersion)).toBe(on);
		},
	);

	it('with a notice on where to register its URL with the partner, first of all', () => {
		const notice = description.properties[0];
		expect(notice).toMatchObject({ name: 'registrationNotice', type: 'notice' });
		expect(notice.displayName).toContain(partnerOf(name));
		expect(notice.displayName).toContain('Production URL');
	});

	it('with a warning that anyone can start the workflow, shown only with Authentication None', () => {
		const warning = property('noAuthenticationNotice');
		expect(warning.type).toBe('notice');
		expect(warning.displayName).toContain('Anyone who knows this URL can start this workflow');
		const shown = (authentication: string) =>
			NodeHelpers.displayParameter({ authentication }, warning, { typeVersion: 1 }, description);
		expect(shown('none')).toBe(true);
		for (const method of methods.filter((m) => m !== 'none')) expect(shown(method)).toBe(false);
	});

	it('with a trigger panel that says how to register the URL and what deactivating does', () => {
		const panel = description.triggerPanel as TriggerPanelDefinition;
		const help = panel.executionsHelp as { active: string; inactive: string };
		for (const text of [help.inactive, help.active]) {
			expect(text).toContain(`Register the URL with ${partnerOf(name)}`);
			expect(text).toContain('Production URL');
			expect(text).toContain(
				'after reactivation a retry of a delivery it accepted before starts nothing',
			);
		}
		expect(help.inactive).toContain('Listen for test event');
		expect(panel.activationHint).toMatchObject({
			inactive: expect.stringContaining(`give ${partnerOf(name)} the Production URL`),
		});
	});

	it('with light and dark icon files and an output schema beside the compiled node', () => {
		const sourcePath = loader.known.nodes[name].sourcePath;
		const folder = dirname(join(root, sourcePath));
		expectThemedIcons(description.iconUrl);
		// Found the way n8n's editor asks for it: the exact version, no fallback.
		for (const version of [1, 2, 3]) {
			const schemaFile = resolveOutputSchemaPath({ nodeDir: folder, version }) as string;
			expect(existsSync(schemaFile)).toBe(true);
			const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as {
				type: string;
				properties: object;
			};
			expect(schema.type).toBe('object');
			expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(COMMON_ITEM_FIELDS));
			// The Rejected output's, where /schemas/<type>/<version>/rejected.json asks for it.
			const rejectedFile = resolveOutputSchemaPath({
				nodeDir: folder,
				version,
				resource: 'rejected',
			}) as string;
			const rejected = JSON.parse(readFileSync(rejectedFile, 'utf8')) as { properties: object };
			expect(Object.keys(rejected.properties)).toEqual(REJECTED_FIELDS);
		}
	});

	it.each(['onReceived', 'lastNode', 'responseNode'])(
		'knows how to answer in Respond mode %s without the expression engine, as its template says',
		(responseMode) => {
			const [webhook] = description.webhooks ?? [];
			const node = { parameters: { responseMode } };
			expect(webhookDescriptionIsNativelyResolvable(webhook)).toBe(true);
			Expression.setExpressionEngine('legacy');
			const expression = new Expression('UTC');
			const expected = {
				responseMode,
				responseData: responseMode === 'lastNode' ? 'firstEntryJson' : '',
			};
			for (const [field, value] of Object.entries(expected)) {
				expect(resolveWebhookDescriptionField(node, webhook, field)).toEqual({
					resolved: true,
					value,
				});
				const template = webhook[field] as string;
				const data = { $parameter: node.parameters } as unknown as IWorkflowDataProxyData;
				expect(expression.resolveSimpleParameterValue(template, data, false)).toBe(value);
			}
		},
	);
});

describe.each(Object.entries(credentials))('n8n loads credential %s', (name, expected) => {
	let credential: ICredentialType;
	beforeAll(() => {
		credential = loader.getCredential(name).type;
	});

	it('with exactly its fixed fields, secrets as password fields', () => {
		expect(credential.properties.map((property) => property.name)).toEqual(expected.fields);
		for (const property of credential.properties) {
			const isSecret = expected.secrets.includes(property.name);
			expect(Boolean(property.typeOptions?.password)).toBe(isSecret);
		}
	});

	it("with a Test button: n8n finds the check through a node's testedBy and runs it", async () => {
		// As n8n's CredentialsTester does: the first node that supports the credential and names
		// a testedBy supplies methods.credentialTest[testedBy], called with the decrypted credential.
		const supported = loader.types.credentials.find((type) => type.name === name)?.supportedNodes;
		const test = (supported ?? [])
			.map((nodeName) => loader.getNode(nodeName).type as INodeType)
			.map((node) => {
				const slot = node.description.credentials?.find((c) => c.name === name);
				return typeof slot?.testedBy === 'string'
					? node.methods?.credentialTest?.[slot.testedBy]
					: undefined;
			})
			.find((candidate) => candidate !== undefined);
		expect(typeof test).toBe('function');
		const context = {} as ICredentialTestFunctions;
		const empty = Object.fromEntries(credential.properties.map((p) => [p.name, p.default]));
		const filled = Object.fromEntries(
			credential.properties.map((p) => [
				p.name,
				p.type === 'string' && !p.default ? 'value-1' : p.default,
			]),
		);
		const run = (data: ICredentialDataDecryptedObject) =>
			test!.call(context, { id: '1', name: 'test', type: name, data });
		await expect(run(empty as ICredentialDataDecryptedObject)).resolves.toMatchObject({
			status: 'Error',
		});
		await expect(run(filled as ICredentialDataDecryptedObject)).resolves.toMatchObject({
			status: 'OK',
		});
	});

	it('with the light and dark icons of its partner', () => {
		expectThemedIcons(credential.iconUrl);
	});

	it('with documentation and the nodes that use it', () => {
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
		const supported = loader.types.credentials.find((type) => type.name === name)?.supportedNodes;
		expect(supported?.length).toBeGreaterThan(0);
	});
});

it('gives an n8n without native webhook resolvers the same templates to evaluate', () => {
	const responseData = (parameters: INodeParameters) =>
		parameters.responseMode === 'lastNode' ? 'firstEntryJson' : '';
	expect(templateOf(responseData)).toBe(fromFunction(responseData).template);
});

const PACKAGE_PAGE = 'https://www.npmjs.com/package/n8n-nodes-insurance-webhooks';

/** The anchors npm gives README headings: lower case, punctuation dropped, spaces to hyphens. */
function readmeAnchors(): string[] {
	return readFileSync(join(root, 'README.md'), 'utf8')
		.split('\n')
		.filter((line) => /^#{1,6} /.test(line))
		.map((line) =>
			line
				.replace(/^#+ /, '')
				.trim()
				.toLowerCase()
				.replace(/[^\w\- ]/g, '')
				.replace(/ /g, '-'),
		);
}

describe.each(codexTable)(
	'n8n reads the codex of %s',
	(name, partner, nodeAnchor, credentialAnchor, subject) => {
		let codex: CodexData;
		beforeAll(() => {
			codex = (loader.getNode(name).type.description as INodeTypeDescription).codex as CodexData;
		});

		it('so the node panel lists it under Finance & Accounting', () => {
			expect(codex.categories).toEqual(['Finance & Accounting']);
			expect(codex.subcategories).toEqual({ 'Finance & Accounting': ['Insurance'] });
		});

		it('so searching the partner, "insurance", "webhook" or what it reports finds it', () => {
			expect(codex.alias).toEqual(
				expect.arrayContaining([partner, 'insurance', 'webhook', subject]),
			);
		});

		it("so its Docs link opens the node's and the credential's README sections", () => {
			expect(codex.resources?.primaryDocumentation?.[0].url).toBe(`${PACKAGE_PAGE}#${nodeAnchor}`);
			expect(codex.resources?.credentialDocumentation?.[0].url).toBe(
				`${PACKAGE_PAGE}#${credentialAnchor}`,
			);
			expect(readmeAnchors()).toEqual(expect.arrayContaining([nodeAnchor, credentialAnchor]));
		});
	},
);

describe('n8n loads partnerAnswer, the node that answers the partner from the workflow', () => {
	let description: INodeTypeDescription;
	beforeAll(() => {
		description = loader.getNode('partnerAnswer').type.description as INodeTypeDescription;
	});

	it('as an action node with one input and one output, offering the three answers', () => {
		expect(description.displayName).toBe('Answer Insurance Partner');
		expect(description.inputs).toEqual(['main']);
		expect(description.outputs).toEqual(['main']);
		const answer = description.properties.find((property) => property.name === 'answer');
		expect((answer?.options as Array<{ value: string }>).map((option) => option.value)).toEqual([
			'acknowledge',
			'decline',
			'retryLater',
		]);
	});

	it('with light and dark icons, its output schema, and a Docs link to its README section', () => {
		expectThemedIcons(description.iconUrl);
		const folder = dirname(join(root, loader.known.nodes.partnerAnswer.sourcePath));
		const schemaFile = resolveOutputSchemaPath({ nodeDir: folder, version: 1 }) as string;
		const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as { properties: object };
		expect(Object.keys(schema.properties)).toEqual(['answer', 'statusCode', 'body', 'answeredAt']);
		const codex = description.codex as CodexData;
		expect(codex.categories).toEqual(['Finance & Accounting']);
		expect(codex.resources?.primaryDocumentation?.[0].url).toBe(
			`${PACKAGE_PAGE}#answer-the-partner`,
		);
		expect(readmeAnchors()).toContain('answer-the-partner');
	});
});

it("registers the registry's triggers, the answer node and the registry's credentials", () => {
	expect(Object.keys(loader.nodeTypes).sort()).toEqual(
		[...nodes.map(([name]) => name), 'partnerAnswer'].sort(),
	);
	expect(Object.keys(loader.credentialTypes).sort()).toEqual(Object.keys(credentials).sort());
});
