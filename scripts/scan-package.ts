// `npm run scan`: lints this package the way n8n's verification scanner
// (@n8n/scan-community-package, scanner/scanner.mjs) lints a published one, with its ESLint
// configuration (buildScanConfig there): the community-nodes rules in their n8n Cloud form
// (`recommended`), no-console, eslint-plugin-n8n-nodes-base's community, credentials and nodes
// rule sets with the scanner's same rules turned off, the TypeScript parser for JSON and .ts,
// inline eslint-disable comments ignored. Both of the scanner's legs:
//
// 1. the packed tarball of the pack and of each partner's package (scripts/partner-packages.ts)
//    — every file, with no exception list: every .js, package.json and every
//    other .json (the codex files and output schemas), a superset of the scanner's tarball leg
//    (**/*.js and package.json). Anything else in the tarball (.d.ts, .svg, README.md,
//    LICENSE) is counted by type, and any other kind of file fails the scan, so nothing slips
//    in unseen. The sender is a package of its own (sender/), so nothing in this tarball may
//    read argv, files, the environment or the console;
// 2. the source, as the scanner lints the GitHub commit the npm provenance names: package.json
//    and {nodes,credentials}/**/*.{js,ts,json}.
//
// Not reproduced here (docs/verification.md): the provenance check itself (it needs a release
// published from CI) and the scanner's YARA rules.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { ESLint, type Linter } from 'eslint';

import { partnerPackages } from './partner-packages';
import { REPO_DIR as repo } from './paths';

/**
 * @typescript-eslint/parser, the scanner's parser. Its types are reachable only through its
 * package.json `exports`, which this repository's module resolution (node10) does not read.
 */
const tsParser = require('@typescript-eslint/parser') as Linter.Parser;

/** The part of eslint-plugin-n8n-nodes-base used here: it ships no types. */
interface RuleSets {
	configs: Record<'community' | 'credentials' | 'nodes', { rules: Linter.RulesRecord }>;
}
const n8nNodesBasePlugin = require('eslint-plugin-n8n-nodes-base') as RuleSets &
	NonNullable<Linter.Config['plugins']>[string];

const SCAN_CONFIG: Linter.Config[] = [
	n8nCommunityNodesPlugin.configs.recommended,
	{ rules: { 'no-console': 'error' } },
	{ plugins: { 'n8n-nodes-base': n8nNodesBasePlugin } },
	{ files: ['package.json'], rules: { ...n8nNodesBasePlugin.configs.community.rules } },
	{
		files: ['**/credentials/**/*.ts'],
		rules: {
			...n8nNodesBasePlugin.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['**/nodes/**/*.ts'],
		rules: {
			...n8nNodesBasePlugin.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{ files: ['**/*.json'], languageOptions: { parser: tsParser } },
	{ files: ['**/*.ts'], languageOptions: { parser: tsParser } },
];

/** Files ESLint has nothing to check in: types, icons and the package's documents. */
const NOT_CODE = /(\.d\.ts|\.svg|^README\.md|^LICENSE)$/;

const eslintIn = (cwd: string) =>
	new ESLint({
		cwd,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: SCAN_CONFIG,
	});

/** What the tarball leg found in one package. */
interface TarballScan {
	filename: string;
	results: ESLint.LintResult[];
	/** Files in the tarball that are neither scanned nor known documents, icons or types. */
	unexplained: string[];
	packageJsonScanned: boolean;
}

/** Packs the package in `dir`, unpacks it into `work` and lints every file of the tarball. */
async function scanTarball(dir: string, work: string): Promise<TarballScan> {
	const destination = fs.mkdtempSync(path.join(work, 'pack-'));
	const packed = (
		JSON.parse(
			execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
				cwd: dir,
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'inherit'],
			}),
		) as Array<{ filename: string; files: Array<{ path: string }> }>
	)[0];
	const unpacked = path.join(destination, 'package');
	execFileSync('tar', ['-xzf', path.join(destination, packed.filename), '-C', destination]);
	const tarballFiles = packed.files.map((file) => file.path);

	const results = await eslintIn(unpacked).lintFiles(['**/*.js', '**/*.json']);
	const scanned = new Set(results.map((result) => path.relative(unpacked, result.filePath)));
	const notScanned = tarballFiles.filter((file) => !scanned.has(file));
	const kinds = (files: string[], pattern: RegExp) =>
		files.filter((file) => pattern.test(file)).length;
	console.log(
		`${packed.filename}: ${tarballFiles.length} files; ${scanned.size} scanned ` +
			`(${kinds([...scanned], /\.js$/)} .js, ${kinds([...scanned], /\.json$/)} .json including package.json); ` +
			`not code: ${kinds(notScanned, /\.d\.ts$/)} .d.ts, ${kinds(notScanned, /\.svg$/)} .svg, ` +
			`${kinds(notScanned, /^(README\.md|LICENSE)$/)} README/LICENSE`,
	);
	return {
		filename: packed.filename,
		results,
		unexplained: notScanned.filter((file) => !NOT_CODE.test(file)),
		packageJsonScanned: scanned.has('package.json'),
	};
}

async function main(): Promise<void> {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-insurance-scan-'));
	try {
		// The pack, then each partner's package (npm run build writes them from the pack's build).
		const tarballs: TarballScan[] = [];
		for (const dir of [repo, ...partnerPackages().map((pkg) => pkg.dir)]) {
			tarballs.push(await scanTarball(dir, work));
		}

		const sourceResults = await eslintIn(repo).lintFiles([
			'package.json',
			'{nodes,credentials}/**/*.{js,ts,json}',
		]);
		console.log(
			`source: ${sourceResults.length} files scanned (package.json, {nodes,credentials}/**/*.{js,ts,json})`,
		);

		const flagged = [...tarballs.flatMap((tarball) => tarball.results), ...sourceResults].filter(
			(result) => result.errorCount > 0 || result.warningCount > 0,
		);
		if (flagged.length > 0) {
			const formatter = await eslintIn(repo).loadFormatter('stylish');
			console.log(await formatter.format(flagged));
			process.exitCode = 1;
		}
		for (const tarball of tarballs) {
			if (tarball.unexplained.length > 0) {
				console.log(
					`Files in ${tarball.filename} that are neither scanned nor known: ${tarball.unexplained.join(', ')}`,
				);
				process.exitCode = 1;
			}
			if (!tarball.packageJsonScanned) {
				console.log(`package.json of ${tarball.filename} was not scanned`);
				process.exitCode = 1;
			}
		}
		const findings = flagged.reduce(
			(sum, result) => sum + result.errorCount + result.warningCount,
			0,
		);
		const total =
			tarballs.reduce((sum, tarball) => sum + tarball.results.length, 0) + sourceResults.length;
		console.log(
			process.exitCode === 1
				? `FAILED: ${findings} findings in ${flagged.length} files`
				: `clean: 0 findings in ${total} files of ${tarballs.length} tarballs and the source`,
		);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
