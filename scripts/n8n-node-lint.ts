// `npm run lint:n8n-node`: n8n's own tool, `n8n-node lint` of @n8n/node-cli, run as is over the
// package's source, as n8n's verification guidelines ask authors to check their package.
//
// The tool lints every .ts under the folder it runs in with n8n's node rules, and in strict mode
// it refuses an eslint.config.mjs other than its own template. This repository also holds the
// tests, the harness and the sender, which run in Node outside n8n and may use `process` and
// `fs`. So the package's source (package.json, tsconfig.json, index.ts, nodes/, credentials/)
// is copied into a folder of its own with the template the tool ships, beside the tool
// installed from tools/n8n-node-cli/ (scripts/tools.ts: about 600 packages, kept out of the
// package's `npm ci`).
//
// After a clean run the same folder gets one planted `process.env` in nodes/ and the tool must
// refuse it: a lint that looked at nothing would otherwise pass too.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_DIR } from './paths';
import { installTool } from './tools';

const PACKAGE_SOURCE = ['package.json', 'tsconfig.json', 'index.ts', 'nodes', 'credentials'];
const CANARY = path.join('nodes', 'LintCanary.ts');

function stagePackageSource(modules: string): string {
	const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-node-lint-'));
	for (const entry of PACKAGE_SOURCE) {
		fs.cpSync(path.join(REPO_DIR, entry), path.join(stage, entry), { recursive: true });
	}
	const template = path.join(
		modules,
		'@n8n',
		'node-cli',
		'dist',
		'template',
		'templates',
		'shared',
		'default',
		'eslint.config.mjs',
	);
	fs.copyFileSync(template, path.join(stage, 'eslint.config.mjs'));
	fs.symlinkSync(modules, path.join(stage, 'node_modules'), 'dir');
	return stage;
}

function lint(modules: string, stage: string, quiet: boolean) {
	return spawnSync(path.join(modules, '.bin', 'n8n-node'), ['lint'], {
		cwd: stage,
		encoding: 'utf8',
		stdio: quiet ? 'pipe' : 'inherit',
	});
}

/** How many .ts files of the package's source were staged: what the tool had to lint. */
function stagedTypeScriptFiles(stage: string): number {
	return PACKAGE_SOURCE.flatMap((entry) => {
		const staged = path.join(stage, entry);
		return fs.statSync(staged).isDirectory()
			? fs.readdirSync(staged, { recursive: true, encoding: 'utf8' })
			: [entry];
	}).filter((file) => file.endsWith('.ts')).length;
}

function main(): void {
	const { modules, version } = installTool('n8n-node-cli', '@n8n/node-cli', 'node-cli');
	const stage = stagePackageSource(modules);
	try {
		const files = stagedTypeScriptFiles(stage);
		const clean = lint(modules, stage, false);
		if (clean.status !== 0) {
			console.log(`FAILED: n8n-node lint ${version} found problems (above)`);
			process.exitCode = 1;
			return;
		}
		fs.writeFileSync(
			path.join(stage, CANARY),
			'export const planted = process.env.N8N_NODE_LINT_CANARY;\n',
		);
		const planted = lint(modules, stage, true);
		if (planted.status === 0 || !`${planted.stdout}${planted.stderr}`.includes(CANARY)) {
			console.log(
				`FAILED: n8n-node lint ${version} passed a planted process.env in ${CANARY}, so its clean run proves nothing`,
			);
			process.exitCode = 1;
			return;
		}
		console.log(
			`clean: n8n-node lint ${version}, as is, over ${files} .ts files of ` +
				`${PACKAGE_SOURCE.join(', ')}; a planted process.env in ${CANARY} was refused`,
		);
	} finally {
		fs.rmSync(stage, { recursive: true, force: true });
	}
}

main();
