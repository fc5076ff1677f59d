/**
 * Changes to n8n itself, measured by the bench as experiment rows (`npm run bench --
 * --n8n-experiment <name>`), never shipped: what n8n would gain from a change proposed upstream
 * (docs/upstream-n8n.md). Each is applied to a copy of the cached n8n (hard links, so it costs
 * no disk but the patched file); the cached n8n itself is never touched.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { RuntimePaths } from '../n8n/runtime';

/** One change to one file of n8n: `before` is replaced by `after`. */
interface Experiment {
	file: string;
	before: string;
	after: string;
}

export const EXPERIMENTS: Record<string, Experiment | undefined> = {
	/**
	 * n8n 2.40 skips the webhook phase's V8 isolate only for its own Webhook node. The one-line
	 * change: drop that type check, so any node whose webhook description and parameters n8n
	 * can resolve without an expression engine skips it too (the other checks stay).
	 */
	'webhook-isolate-skip': {
		file: 'node_modules/n8n/dist/webhooks/live-webhooks.js',
		before:
			'        if (startNode.type !== n8n_workflow_1.WEBHOOK_NODE_TYPE)\n            return true;\n',
		after: '        // bench experiment webhook-isolate-skip: no node-type check here\n',
	},
	/**
	 * Outside an execution, n8n 2.40 reads a credential through a stand-in workflow and acquires
	 * a V8 isolate for it before looking at the data, although only a value starting with `=`
	 * (an expression) needs one. The change: acquire it only when the credential holds one.
	 * `releaseIsolate` in the `finally` after it is already a no-op for a caller holding none.
	 */
	'credential-isolate-skip': {
		file: 'node_modules/n8n/dist/credentials-helper.js',
		before: '            await workflow.expression.acquireIsolate();\n',
		after: [
			'            // bench experiment credential-isolate-skip: an isolate only for an expression',
			"            const holdsExpression = (value) => typeof value === 'string' ? value.charAt(0) === '=' : typeof value === 'object' && value !== null && Object.values(value).some(holdsExpression);",
			'            if (holdsExpression(decryptedData)) await workflow.expression.acquireIsolate();',
			'',
		].join('\n'),
	},
};

/** Makes the copy for `paths().experiment` if needed; a no-op without an experiment. */
export function prepareExperiment({
	runtimeDir,
	baseRuntimeDir,
	experiment,
}: Pick<RuntimePaths, 'runtimeDir' | 'baseRuntimeDir' | 'experiment'>): void {
	if (!experiment) return;
	const change = EXPERIMENTS[experiment];
	if (!change) {
		throw new Error(
			`unknown experiment ${experiment}; known: ${Object.keys(EXPERIMENTS).join(', ')}`,
		);
	}
	const marker = '.install-complete.json';
	if (!fs.existsSync(path.join(runtimeDir, marker))) {
		if (!fs.existsSync(path.join(baseRuntimeDir, marker))) {
			throw new Error(`no n8n in ${baseRuntimeDir}: run the bench once without the experiment`);
		}
		const partial = `${runtimeDir}.partial`;
		fs.rmSync(partial, { recursive: true, force: true });
		execFileSync('cp', ['-al', baseRuntimeDir, partial]);
		fs.rmSync(runtimeDir, { recursive: true, force: true });
		fs.renameSync(partial, runtimeDir);
	}
	const file = path.join(runtimeDir, change.file);
	const source = fs.readFileSync(file, 'utf8');
	if (!source.includes(change.before)) {
		if (source.includes(change.after)) return; // applied before
		throw new Error(`${change.file} of this n8n does not contain the code ${experiment} changes`);
	}
	// A new file, not a write through the hard link into the cached n8n.
	fs.unlinkSync(file);
	fs.writeFileSync(file, source.replace(change.before, change.after));
}
