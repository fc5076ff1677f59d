import { join } from 'node:path';

import type { INodeType } from 'n8n-workflow';

import { registry, type TriggerName } from '../../nodes/partners';

const REPO = join(__dirname, '..', '..');

/** A node n8n loads: package.json's n8n.nodes entry, and its class. */
export interface ManifestNode {
	file: string;
	NodeClass: new () => INodeType;
}

/**
 * The node classes package.json's n8n.nodes names, by node name: from `dist/` as n8n loads them,
 * or from the sources each entry was built from (the tests that run every trigger take them
 * from here instead of listing the classes). Each is required by its full file name: outside
 * Jest's resolver (a suite's globalSetup), Node resolves `./X.node` to the codex `X.node.json`
 * before it tries `.ts`, so going through index.ts there yields no classes.
 */
export function manifestNodes(from: 'dist' | 'sources'): Map<string, ManifestNode> {
	const manifest = require(join(REPO, 'package.json')) as { n8n: { nodes: string[] } };
	const nodes = new Map<string, ManifestNode>();
	for (const file of manifest.n8n.nodes) {
		const path = from === 'dist' ? file : file.replace(/^dist\//, '').replace(/\.js$/, '.ts');
		for (const exported of Object.values(require(join(REPO, path)) as Record<string, unknown>)) {
			if (typeof exported !== 'function') continue;
			const NodeClass = exported as new () => INodeType;
			nodes.set(new NodeClass().description.name, { file, NodeClass });
		}
	}
	return nodes;
}

let sources: Map<string, ManifestNode> | undefined;

/** A new instance of the trigger `nodeName`; throws for one package.json's n8n block lacks. */
export function triggerNode(nodeName: TriggerName | string): INodeType {
	sources ??= manifestNodes('sources');
	const node = sources.get(nodeName);
	if (!node) {
		throw new Error(`package.json's n8n.nodes has no node "${nodeName}"`);
	}
	return new node.NodeClass();
}

/** Every trigger of the registry, as a node instance. */
export const registryTriggerNodes = (): INodeType[] =>
	registry.triggers.map((trigger) => triggerNode(trigger.nodeName));
