/**
 * The real-n8n suites skip `npm run build` when the build's stamp is the digest of the files as
 * they are now (scripts/build-stamp.ts). A digest that missed an edit would have a suite test a
 * stale package, so: every kind of change a developer makes changes it, and nothing else does.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { sourcesDigest } from '../../scripts/build-stamp';

let root: string;
const write = (file: string, text: string) => {
	fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
	fs.writeFileSync(path.join(root, file), text);
};
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });

beforeEach(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'build-stamp-'));
	git('init', '-q');
	write('.gitignore', 'dist/\nbuild/\n');
	write('nodes/Qoala/claim.ts', 'export const claimNumber = 1;\n');
	write('package.json', '{}\n');
	git('add', '.');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

it('is the same for the same files, also after a commit', () => {
	const before = sourcesDigest(root);
	expect(before).toMatch(/^[0-9a-f]{64}$/);
	git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'x');
	expect(sourcesDigest(root)).toBe(before);
});

it.each([
	[
		'an edit to a tracked file',
		() => write('nodes/Qoala/claim.ts', 'export const claimNumber = 2;\n'),
	],
	['a new file not yet added', () => write('nodes/Acme/claim.ts', 'export {};\n')],
	['a deleted file', () => fs.rmSync(path.join(root, 'package.json'))],
	[
		'a renamed file',
		() => fs.renameSync(path.join(root, 'package.json'), path.join(root, 'p.json')),
	],
	[
		'bytes moved from one file to the next',
		() => {
			write('nodes/Qoala/claim.ts', 'export const claimNumber = 1;\n{');
			write('package.json', '}\n');
		},
	],
])('changes with %s', (_, change) => {
	const before = sourcesDigest(root);
	change();
	expect(sourcesDigest(root)).not.toBe(before);
});

it('ignores what git ignores: the build output itself', () => {
	const before = sourcesDigest(root);
	write('dist/index.js', 'built');
	write('build/sources.sha256', 'stamp');
	expect(sourcesDigest(root)).toBe(before);
});

it('is undefined outside a git checkout, so nothing is skipped there', () => {
	fs.rmSync(path.join(root, '.git'), { recursive: true });
	expect(sourcesDigest(root)).toBeUndefined();
});
