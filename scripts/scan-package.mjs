// `npm run scan`: lints the packed package the way n8n's verification scanner
// (@n8n/scan-community-package) lints a published one — every .js file in the tarball and its
// package.json, with the community-nodes rules in their n8n Cloud configuration and no-console,
// inline eslint-disable comments ignored.
//
// Everything n8n loads must come out clean. The sender CLI (dist/cli, the package's `bin`) is
// a Node program for the user's terminal: it reads argv, files and the network, which those
// rules forbid to code running inside n8n, so its findings are listed but expected; to be
// verified for n8n Cloud, the sender would be published as a package of its own (README,
// "Compatibility").
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import tsParser from '@typescript-eslint/parser';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { ESLint } from 'eslint';

const EXPECTED_ONLY_IN = 'dist/cli/';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-insurance-scan-'));
try {
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
			cwd: repo,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
		}),
	)[0];
	const unpacked = path.join(work, 'package');
	execFileSync('tar', ['-xzf', path.join(work, packed.filename), '-C', work]);

	const eslint = new ESLint({
		cwd: unpacked,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: [
			n8nCommunityNodesPlugin.configs.recommended,
			{ rules: { 'no-console': 'error' } },
			{ files: ['**/*.json'], languageOptions: { parser: tsParser } },
		],
	});
	const results = await eslint.lintFiles(['**/*.js', 'package.json']);

	const rows = results.map((result) => ({
		file: path.relative(unpacked, result.filePath),
		errors: result.errorCount,
		rules: [...new Set(result.messages.map((message) => message.ruleId))].join(', '),
	}));
	const flagged = rows.filter((row) => row.errors > 0);
	const unexpected = flagged.filter((row) => !row.file.startsWith(EXPECTED_ONLY_IN));

	console.log(`${packed.filename}: ${rows.length} files scanned (every .js and package.json)`);
	for (const row of flagged) {
		const verdict = row.file.startsWith(EXPECTED_ONLY_IN) ? 'expected (sender CLI)' : 'NOT ALLOWED';
		console.log(`  ${row.file}: ${row.errors} findings, ${verdict} — ${row.rules}`);
	}
	const loadedByN8n = rows.filter((row) => !row.file.startsWith(EXPECTED_ONLY_IN));
	console.log(
		`${loadedByN8n.length - unexpected.length} of ${loadedByN8n.length} files outside ${EXPECTED_ONLY_IN} clean`,
	);
	if (unexpected.length > 0) {
		const formatter = await eslint.loadFormatter('stylish');
		console.log(
			await formatter.format(
				results.filter((result) => unexpected.some((row) => result.filePath.endsWith(row.file))),
			),
		);
		process.exitCode = 1;
	}
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
