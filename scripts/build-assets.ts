// After tsc: copies what n8n reads beside the compiled nodes (icons, codex files) and writes
// each trigger's output schema where n8n's editor looks for it: __schema__/v<version>.json, one
// per declared version (v1.0.0.json, v2.0.0.json), in the folder of the node's compiled .node.js
// file. n8n's editor asks for the exact version.
// A trigger with a Rejected output also gets that output's schema, v<version>/rejected.json:
// n8n keeps one schema per node version (and resource/operation), so it is served at
// /schemas/<node type>/<version>/rejected.json for tools that ask for it by name.
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { INodeType } from 'n8n-workflow';

import { instanceOf } from './compiledClass';
import { REPO_DIR as root } from './paths';

const dist = path.join(root, 'dist');

function copyTree(from: string, to: string, keep: (name: string) => boolean): void {
	for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
		const source = path.join(from, entry.name);
		const target = path.join(to, entry.name);
		if (entry.isDirectory()) copyTree(source, target, keep);
		else if (keep(entry.name)) {
			fs.mkdirSync(to, { recursive: true });
			fs.copyFileSync(source, target);
		}
	}
}

const asset = (name: string) => name.endsWith('.svg') || name.endsWith('.node.json');
copyTree(path.join(root, 'nodes'), path.join(dist, 'nodes'), asset);
copyTree(path.join(root, 'credentials'), path.join(dist, 'credentials'), asset);

// What was just compiled into dist/ (not the sources): the schemas describe the built nodes.
const { outputSchemas, outputJsonSchema, rejectedDeliveryItem, triggerOutputs } = require(
	path.join(dist, 'index.js'),
) as typeof import('../index');
const rejected = `${JSON.stringify(outputJsonSchema(rejectedDeliveryItem), null, '\t')}\n`;
const { registry } = require(
	path.join(dist, 'nodes', 'partners.js'),
) as typeof import('../nodes/partners');
const { n8n } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[] };
};
const schemas: Record<string, (typeof outputSchemas)[keyof typeof outputSchemas] | undefined> =
	outputSchemas;
// Every trigger of the registry (nodes/partners.ts) must be a node n8n loads, with a schema.
const unbuilt = new Set<string>(registry.triggers.map((trigger) => trigger.nodeName));
for (const nodeFile of n8n.nodes) {
	const compiled = path.join(root, nodeFile);
	const { name, version, outputs } = instanceOf<INodeType>(compiled).description;
	const item = schemas[name];
	if (!item)
		throw new Error(
			`No output schema for node ${name} (${nodeFile}): it is no trigger of the registry. List its partner in PARTNERS (nodes/partners.ts) and the trigger, with its item, in its partner.ts (docs/adding-a-partner.md)`,
		);
	unbuilt.delete(name);
	const schemaDir = path.join(path.dirname(compiled), '__schema__');
	fs.mkdirSync(schemaDir, { recursive: true });
	const schema = `${JSON.stringify(outputJsonSchema(item), null, '\t')}\n`;
	for (const declared of [version].flat()) {
		// As n8n names them: 1 → v1.0.0, 1.1 → v1.1.0.
		const file = `v${String(declared).split('.').concat('0', '0').slice(0, 3).join('.')}.json`;
		fs.writeFileSync(path.join(schemaDir, file), schema);
		console.log(`schema: ${path.relative(root, schemaDir)}/${file} (${name})`);
		if (outputs === triggerOutputs) {
			const versionDir = path.join(schemaDir, file.replace(/\.json$/, ''));
			fs.mkdirSync(versionDir, { recursive: true });
			fs.writeFileSync(path.join(versionDir, 'rejected.json'), rejected);
		}
	}
}
if (unbuilt.size > 0)
	throw new Error(
		`Triggers of nodes/partners.ts missing from package.json's n8n.nodes: ${[...unbuilt].join(', ')}`,
	);
