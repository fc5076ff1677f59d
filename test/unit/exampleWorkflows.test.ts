/**
 * The example workflows users import (docs/workflows), checked without n8n: one per trigger,
 * placeholder credentials only, a sticky note, filters the node offers, and expressions that read
 * only fields the trigger outputs, and a delivery its filter lets through.
 * test/e2e/examples.e2e.test.ts runs them in a real n8n.
 */
import type { INodeProperties, INodeType } from 'n8n-workflow';

import { outputSchemas } from '../../index';
import { exampleFiles, exampleRun, readExample, type ExampleWorkflow } from '../e2e/examples';
import { registryTriggerNodes, triggerNode } from '../helpers/nodes';
import { deliver } from '../helpers/webhookContext';

const PREFIX = 'n8n-nodes-insurance-webhooks.';
/** Every trigger of the registry (nodes/partners.ts). */
const TRIGGERS: INodeType[] = registryTriggerNodes();

const examples = exampleFiles().map((file) => ({ file, workflow: readExample(file) }));

function triggerOf(workflow: ExampleWorkflow) {
	const triggers = workflow.nodes.filter(
		(node) => node.type.startsWith(PREFIX) && node.type !== `${PREFIX}partnerAnswer`,
	);
	expect(triggers).toHaveLength(1);
	return triggers[0];
}

/** The names of the nodes the trigger's first (Accepted) output feeds. */
function fedByTrigger(workflow: ExampleWorkflow, triggerName: string): string[] {
	const outputs = (workflow.connections[triggerName] as { main: Array<Array<{ node: string }>> })
		.main;
	return outputs[0].map((connection) => connection.node);
}

function expressionsOf(value: unknown): string[] {
	if (typeof value === 'string') return value.startsWith('=') ? [value] : [];
	if (Array.isArray(value)) return value.flatMap(expressionsOf);
	if (value && typeof value === 'object') return Object.values(value).flatMap(expressionsOf);
	return [];
}

test('every trigger of the package has an example workflow', () => {
	const used = new Set(examples.map(({ workflow }) => triggerOf(workflow).type));
	expect([...used].sort()).toEqual(TRIGGERS.map((node) => PREFIX + node.description.name).sort());
});

describe.each(examples)('$file', ({ file, workflow }) => {
	const trigger = triggerOf(workflow);
	const nodeName = trigger.type.slice(PREFIX.length) as keyof typeof outputSchemas;
	const fields = Object.keys(outputSchemas[nodeName].shape);

	test('has a name, a sticky note saying what to set, and connections between its own nodes', () => {
		expect(workflow.name).toMatch(/\S/);
		const notes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
		expect(notes).toHaveLength(1);
		expect(String(notes[0].parameters.content)).toMatch(/Set before you activate/);
		const names = new Set(workflow.nodes.map((node) => node.name));
		expect(names.size).toBe(workflow.nodes.length);
		for (const [from, { main }] of Object.entries(
			workflow.connections as Record<string, { main: Array<Array<{ node: string }>> }>,
		)) {
			expect(names.has(from)).toBe(true);
			for (const connection of main.flat()) expect(names.has(connection.node)).toBe(true);
		}
	});

	test('credentials are placeholders: a name, no id', () => {
		for (const node of workflow.nodes) {
			for (const credential of Object.values(node.credentials ?? {})) {
				expect(credential).toEqual({ name: expect.stringMatching(/\S/) });
			}
		}
		expect(trigger.credentials).toBeDefined();
	});

	test("the trigger's filter lists only values the node offers", () => {
		const type = TRIGGERS.find((node) => PREFIX + node.description.name === trigger.type);
		for (const parameter of ['statuses', 'events']) {
			const chosen = trigger.parameters[parameter] as string[] | undefined;
			if (!chosen) continue;
			const property = type?.description.properties.find(
				(candidate: INodeProperties) => candidate.name === parameter,
			);
			const offered = (property?.options ?? []).map(
				(option) => (option as { value: string }).value,
			);
			for (const value of chosen) expect(offered).toContain(value);
		}
	});

	test('expressions read only fields the trigger outputs', () => {
		const fed = fedByTrigger(workflow, trigger.name);
		const read: string[] = [];
		for (const node of workflow.nodes) {
			for (const expression of expressionsOf(node.parameters)) {
				if (fed.includes(node.name)) {
					for (const match of expression.matchAll(/\$json\.(\w+)/g)) read.push(match[1]);
				}
				const byName = new RegExp(`\\$\\('${trigger.name}'\\)\\.item\\.json\\.(\\w+)`, 'g');
				for (const match of expression.matchAll(byName)) read.push(match[1]);
			}
		}
		expect(read.length).toBeGreaterThan(0);
		for (const field of read) expect(fields).toContain(field);
	});

	test('a CRM upsert is keyed by deliveryKey at the placeholder CRM', () => {
		for (const node of workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.httpRequest')) {
			expect(node.parameters.url).toMatch(
				/^=https:\/\/crm\.example\.com\/.*\{\{ encodeURIComponent\(\$json\.deliveryKey\) \}\}$/,
			);
		}
	});

	test("has the delivery the e2e suite runs it with, one its trigger's filter lets through", async () => {
		const { trigger: runBy, delivery } = exampleRun(file);
		expect(PREFIX + runBy.nodeName).toBe(trigger.type);
		const answer = await deliver(triggerNode(runBy.nodeName), {
			parameters: {
				authentication: 'none',
				[runBy.filter]: trigger.parameters[runBy.filter] ?? [],
			},
			body: delivery.body,
		});
		expect(answer.items).toHaveLength(1);
	});
});
