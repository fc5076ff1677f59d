import { join } from 'node:path';

import type { INodeType } from 'n8n-workflow';

import { registry, type TriggerName } from '../../nodes/partners';

/**
 * The node classes of what n8n loads (package.json's n8n.nodes), from their sources, by node
 * name: the tests that run every trigger take them from here instead of listing the classes.
 * Each is required by its full file name: outside Jest's resolver (a suite's globalSetup),
 * Node resolves `./X.node` to the codex `X.node.json` before it tries `.ts`, so going through
 * index.ts there yields no classes.
 */
const REPO = join(__dirname, '..', '..');
let classes: Map<string, new () => INodeType> | undefined;

function nodeClasses(): Map<string, new () => INodeType> {
	if (classes) return classes;
	const manifest = require(join(REPO, 'package.json')) as { n8n: { nodes: string[] } };
	classes = new Map();
	for (const built of manifest.n8n.nodes) {
		const source = join(REPO, built.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		for (const exported of Object.values(require(source) as Record<string, unknown>)) {
			if (typeof exported !== 'function') continue;
			const NodeClass = exported as new () => INodeType;
			classes.set(new NodeClass().description.name, NodeClass);
		}
	}
	return classes;
}

/** A new instance of the trigger `nodeName`; throws for one package.json's n8n block lacks. */
export function triggerNode(nodeName: TriggerName | string): INodeType {
	const NodeClass = nodeClasses().get(nodeName);
	if (!NodeClass) {
		throw new Error(`package.json's n8n.nodes has no node "${nodeName}"`);
	}
	return new NodeClass();
}

/** Every trigger of the registry, as a node instance. */
export const registryTriggerNodes = (): INodeType[] =>
	registry.triggers.map((trigger) => triggerNode(trigger.nodeName));
