import type { INodeType } from 'n8n-workflow';

import * as packageExports from '../../index';
import { registry, type TriggerName } from '../../nodes/partners';

/**
 * The node class index.ts exports for each trigger of the registry, by node name: the tests
 * that run every trigger take them from here instead of listing the classes.
 */
const TRIGGER_CLASSES = new Map<string, new () => INodeType>();
for (const exported of Object.values(packageExports)) {
	if (typeof exported !== 'function' || !/Trigger$/.test(exported.name)) continue;
	const NodeClass = exported as new () => INodeType;
	const name = new NodeClass().description?.name;
	if (typeof name === 'string') TRIGGER_CLASSES.set(name, NodeClass);
}

/** A new instance of the trigger `nodeName`; throws for one index.ts does not export. */
export function triggerNode(nodeName: TriggerName | string): INodeType {
	const NodeClass = TRIGGER_CLASSES.get(nodeName);
	if (!NodeClass) {
		throw new Error(`index.ts exports no node class for the trigger "${nodeName}"`);
	}
	return new NodeClass();
}

/** The node names of the trigger classes index.ts exports. */
export const exportedTriggerNames = (): string[] => [...TRIGGER_CLASSES.keys()];

/** Every trigger of the registry, as a node instance. */
export const registryTriggerNodes = (): INodeType[] =>
	registry.triggers.map((trigger) => triggerNode(trigger.nodeName));
