import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialType, INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import * as packageExports from '../../index';
import { PARTNERS, registry, type TriggerName } from '../../nodes/partners';
import { registrationNotice, triggerPanelFor } from '../../nodes/shared/description';
import { instanceOf } from '../../scripts/compiledClass';
import { EXPECTED } from '../e2e/expected';
import { manifestNodes } from '../helpers/nodes';

/**
 * The registry (nodes/partners.ts) is the one list of partners. What must stay a literal
 * list — n8n's "n8n" block in package.json, the node files n8n's lint reads — is checked
 * against it here, and what iterates it (index.ts's maps, nodes/shared/) is checked to name no
 * partner, so a partner added or changed in one place and forgotten in another fails this test
 * instead of shipping.
 */
const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
};
const NON_PARTNER_NODES = ['partnerAnswer'];

/** Each node n8n loads (package.json → dist/), by its name. */
const loaded = new Map(
	[...manifestNodes('dist')].map(([name, { file, NodeClass }]) => [
		name,
		{ file, description: new NodeClass().description },
	]),
);

const property = (description: INodeTypeDescription, name: string) =>
	description.properties.find((candidate) => candidate.name === name) as INodeProperties;

describe('the partner registry', () => {
	it("lists exactly the triggers of package.json's n8n.nodes, each in its partner's folder", () => {
		expect([...loaded.keys()].sort()).toEqual(
			[...registry.triggers.map((trigger) => trigger.nodeName), ...NON_PARTNER_NODES].sort(),
		);
		for (const { nodeName, partner } of registry.triggers) {
			expect(loaded.get(nodeName)?.file).toMatch(new RegExp(`^dist/nodes/${partner.name}/`));
		}
	});

	it("lists exactly the credentials of package.json's n8n.credentials", () => {
		const declared = manifest.n8n.credentials.map(
			(file) => instanceOf<ICredentialType>(join(root, file)).name,
		);
		expect(declared.sort()).toEqual(Object.keys(registry.credentialRules).sort());
	});

	it("matches each trigger's literal node description", () => {
		for (const trigger of registry.triggers) {
			const { description } = loaded.get(trigger.nodeName)!;
			expect(description.displayName).toBe(trigger.displayName);
			expect(description.triggerPanel).toEqual(triggerPanelFor(trigger.partner));
			expect(property(description, 'registrationNotice')).toEqual(
				registrationNotice(trigger.partner),
			);
			const authentication = property(description, 'authentication');
			expect(authentication.default).toBe(trigger.defaultScheme);
			expect(
				authentication.options?.map((option) => ('value' in option ? option.value : '')),
			).toEqual(Object.keys(trigger.methods));
			expect(property(description, trigger.filter).type).toBe('multiOptions');
			const slots = (description.credentials ?? []).map((slot) => slot.name);
			expect(slots).toEqual(
				Object.values(trigger.methods).flatMap((method) =>
					method.credentialType ? [method.credentialType] : [],
				),
			);
			for (const slot of description.credentials ?? []) {
				expect(slot.testedBy).toBe(`${slot.name}Test`);
				expect(Object.keys(trigger.partner.credentials)).toContain(slot.name);
			}
		}
	});

	it("publishes each trigger's own item schema, and PartnerAnswer's, in index.ts's outputSchemas", () => {
		expect(Object.keys(packageExports.outputSchemas).sort()).toEqual(
			[...registry.triggers.map((trigger) => trigger.nodeName), ...NON_PARTNER_NODES].sort(),
		);
		for (const trigger of registry.triggers) {
			const schema = packageExports.outputSchemas[trigger.nodeName as TriggerName];
			expect([trigger.nodeName, schema.shape.provider.parse(trigger.partner.provider)]).toEqual([
				trigger.nodeName,
				trigger.partner.provider,
			]);
		}
	});

	it("has each trigger's own contract in index.ts's deliveryContracts", () => {
		expect(Object.keys(packageExports.deliveryContracts).sort()).toEqual(
			registry.triggers.map((trigger) => trigger.nodeName).sort(),
		);
		for (const trigger of registry.triggers) {
			const contract = packageExports.deliveryContracts[trigger.nodeName as TriggerName];
			expect([trigger.nodeName, contract.provider]).toEqual([
				trigger.nodeName,
				trigger.partner.provider,
			]);
			// Its own: the trigger's samples are notifications of this contract.
			for (const { event } of trigger.samples) {
				const rawBody = readFileSync(
					join(root, 'samples', `${trigger.partner.provider}-${event}.json`),
				);
				const decision = packageExports.processDelivery(
					contract,
					{ type: 'none' },
					{ headers: {}, rawBody },
					{ selected: [], ignoreRepeatedDeliveries: false, receivedAt: new Date() },
				);
				expect([trigger.nodeName, event, decision.action]).toEqual([
					trigger.nodeName,
					event,
					'emit',
				]);
			}
		}
	});

	it('keeps every partner out of index.ts and nodes/shared/: they iterate the registry', () => {
		const files = [
			'index.ts',
			...readdirSync(join(root, 'nodes', 'shared')).map((name) => `nodes/shared/${name}`),
		];
		for (const file of files) {
			const source = readFileSync(join(root, file), 'utf8');
			for (const { name, provider } of PARTNERS) {
				expect([file, source.includes(`/${name}/`)]).toEqual([file, false]);
				expect([file, new RegExp(`\\b${provider}[A-Z]`).test(source)]).toEqual([file, false]);
			}
		}
		const exportedClasses = Object.values(packageExports).filter(
			(exported) => typeof exported === 'function' && /Trigger$|Api$/.test(exported.name),
		);
		expect(exportedClasses).toEqual([]);
	});

	it('has a sample in samples/ for every provider-event, and no other sample', () => {
		const files = readdirSync(join(root, 'samples')).filter((name) => name.endsWith('.json'));
		expect(files.sort()).toEqual(registry.providerEvents.map((event) => `${event.id}.json`).sort());
	});

	it('has what the e2e tests expect of every provider-event (samples/expected/)', () => {
		expect(Object.keys(EXPECTED).sort()).toEqual(
			registry.providerEvents.map((event) => event.id).sort(),
		);
		for (const event of registry.providerEvents) {
			expect(EXPECTED[event.id].provider).toBe(event.provider);
		}
	});

	it("names every partner's signed fields as its authentication signs them", () => {
		for (const trigger of registry.triggers) {
			if (!trigger.signedFields) continue;
			const method = trigger.methods[trigger.defaultScheme];
			const scheme = method.scheme(
				Object.fromEntries(
					Object.values(trigger.partner.credentials).flatMap((rules) =>
						Object.keys(rules.required).map((field) => [field, 'secret']),
					),
				),
			);
			expect(scheme).toMatchObject({ signed: { from: 'fields', fields: trigger.signedFields } });
		}
	});

	it("gives every trigger a demo (npm start) with its partner's demo credential", () => {
		for (const { partner, methods, defaultScheme, demo, samples } of registry.triggers) {
			expect(methods[defaultScheme].credentialType).toBe(partner.demoCredential.type);
			expect(Object.keys(partner.credentials)).toContain(partner.demoCredential.type);
			expect(samples.map((sample) => `${partner.provider}-${sample.event}`)).toContain(demo.sample);
		}
		const ids = registry.triggers.flatMap(({ demo }) => [demo.workflowId, demo.webhookId]);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('gives every partner a unique provider id and name', () => {
		expect(new Set(PARTNERS.map((partner) => partner.provider)).size).toBe(PARTNERS.length);
		expect(new Set(PARTNERS.map((partner) => partner.name)).size).toBe(PARTNERS.length);
	});
});
