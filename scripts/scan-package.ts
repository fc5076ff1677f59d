// `npm run scan`: n8n's verification scanner, @n8n/scan-community-package (installed apart from
// tools/n8n-scan/, scripts/tools.ts), run as is — its own `analyzePackage`, with its own ESLint
// configuration — over both of the legs it lints once a package is published:
//
// 1. the packed tarball of the pack and of each partner's package (scripts/partner-packages.ts):
//    every .js and every .json, package.json included (the scanner's tarball leg is **/*.js and
//    package.json; the codex files and output schemas are added). Anything else in a tarball
//    (.d.ts, .svg, README.md, LICENSE) is counted by type, and any other kind of file fails the
//    scan, so nothing slips in unseen. The sender is a package of its own (sender/), so nothing
//    in these tarballs may read argv, files, the environment or the console;
// 2. the source, with the scanner's own patterns (SOURCE_FILE_PATTERNS), as it lints the GitHub
//    commit the npm provenance names.
//
// A copy of the pack's unpacked tarball with a planted `process.env` must make the scanner
// fail: a scan that linted nothing would otherwise pass too. Not run here: the
// scanner's provenance check, which needs a version published from CI (docs/verification.md).
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

import { partnerPackages } from './partner-packages';
import { REPO_DIR as repo } from './paths';
import { installTool } from './tools';

/** What the scanner's analyzePackage answers. */
interface Analysis {
	passed: boolean;
	message: string | null;
	details: string | null;
}

/** Files the scanner has nothing to lint in: types, icons and the package's documents. */
const NOT_CODE = /(\.d\.ts|\.svg|^README\.md|^LICENSE)$/;
/** The tarball leg: every .js and .json (a superset of the scanner's **\/*.js and package.json). */
const TARBALL_PATTERNS = ['**/*.js', '**/*.json'];
const CANARY = path.join('dist', 'ScanCanary.js');

/** One analyzePackage call: a folder, and its patterns or the scanner's SOURCE_FILE_PATTERNS. */
interface Job {
	dir: string;
	patterns?: string[];
}

/**
 * The scanner is ES modules and this harness CommonJS, so it runs in one child Node, which
 * loads it once and calls its own analyzePackage for each job in turn.
 */
function analyze(scanner: string, jobs: Job[]): Analysis[] {
	const program = `
		const [scanner, jobs] = process.argv.slice(1);
		const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(scanner);
		const answers = [];
		for (const { dir, patterns } of JSON.parse(jobs)) {
			const result = await analyzePackage(dir, patterns ?? SOURCE_FILE_PATTERNS);
			answers.push({ passed: result.passed, message: result.message ?? null, details: result.details ?? null });
		}
		process.stdout.write(JSON.stringify(answers));
	`;
	const run = spawnSync(
		process.execPath,
		['--input-type=module', '-e', program, scanner, JSON.stringify(jobs)],
		{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 },
	);
	if (run.status !== 0) throw new Error('the scanner did not run');
	return JSON.parse(run.stdout) as Analysis[];
}

/** What the tarball leg found in one package. */
interface TarballScan {
	filename: string;
	unpacked: string;
	/** Files in the tarball that are neither scanned nor known documents, icons or types. */
	unexplained: string[];
}

/** Packs the package in `dir` and unpacks it into `work`, for the scanner to lint. */
function unpackTarball(dir: string, work: string): TarballScan {
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
	const files = packed.files.map((file) => file.path);
	const scanned = files.filter((file) => file.endsWith('.js') || file.endsWith('.json'));
	const notScanned = files.filter((file) => !scanned.includes(file));
	const count = (list: string[], pattern: RegExp) =>
		list.filter((file) => pattern.test(file)).length;
	console.log(
		`${packed.filename}: ${files.length} files; ${scanned.length} scanned ` +
			`(${count(scanned, /\.js$/)} .js, ${count(scanned, /\.json$/)} .json including package.json); ` +
			`not code: ${count(notScanned, /\.d\.ts$/)} .d.ts, ${count(notScanned, /\.svg$/)} .svg, ` +
			`${count(notScanned, /^(README\.md|LICENSE)$/)} README/LICENSE`,
	);
	return {
		filename: packed.filename,
		unpacked,
		unexplained: notScanned.filter((file) => !NOT_CODE.test(file)),
	};
}

function main(): void {
	const { modules, version } = installTool('n8n-scan', '@n8n/scan-community-package', 'n8n-scan');
	const scanner = pathToFileURL(
		path.join(modules, '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs'),
	).href;
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-insurance-scan-'));
	try {
		// The pack, then each partner's package (npm run build writes them from the pack's build).
		const tarballs = [repo, ...partnerPackages().map((pkg) => pkg.dir)].map((dir) =>
			unpackTarball(dir, work),
		);
		// The pack's tarball again with a planted process.env: the scanner must refuse it.
		const [pack] = tarballs;
		const planted = path.join(work, 'planted');
		fs.cpSync(pack.unpacked, planted, { recursive: true });
		fs.writeFileSync(path.join(planted, CANARY), 'module.exports = process.env.N8N_SCAN_CANARY;\n');
		const analyses = analyze(scanner, [
			...tarballs.map(({ unpacked }) => ({ dir: unpacked, patterns: TARBALL_PATTERNS })),
			{ dir: repo },
			{ dir: planted, patterns: TARBALL_PATTERNS },
		]);
		const canary = analyses[tarballs.length + 1];
		console.log("source: the scanner's SOURCE_FILE_PATTERNS over the repository");

		const failed = [...tarballs.map(({ filename }) => filename), 'the source']
			.map((name, index) => ({ name, analysis: analyses[index] }))
			.filter(({ analysis }) => !analysis.passed);
		for (const { name, analysis } of failed) {
			console.log(`${name}: ${analysis.message ?? 'failed'}\n${analysis.details ?? ''}`);
			process.exitCode = 1;
		}
		for (const tarball of tarballs.filter(({ unexplained }) => unexplained.length > 0)) {
			console.log(
				`Files in ${tarball.filename} that are neither scanned nor known: ${tarball.unexplained.join(', ')}`,
			);
			process.exitCode = 1;
		}
		if (process.exitCode === 1) {
			console.log(`FAILED: @n8n/scan-community-package ${version} (above)`);
			return;
		}

		if (canary.passed || !(canary.details ?? '').includes('ScanCanary.js')) {
			console.log(
				`FAILED: @n8n/scan-community-package ${version} passed a planted process.env in ${CANARY}, so its clean run proves nothing`,
			);
			process.exitCode = 1;
			return;
		}
		console.log(
			`clean: @n8n/scan-community-package ${version}, as is, over ${tarballs.length} tarballs and the source; ` +
				`a planted process.env in ${CANARY} was refused`,
		);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main();
