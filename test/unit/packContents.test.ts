/**
 * What `npm pack` puts into the node package's tarball: only what n8n loads (the compiled
 * index, nodes and credentials, their icons, codex files and output schemas) plus package.json,
 * README and LICENSE. The sender and the signing code are their own package (sender/); the
 * sample payloads travel with the sender. Runs against dist/ (`npm test` builds first).
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const REPO = path.join(__dirname, '..', '..');

const packedFiles = (): string[] => {
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json'], {
			cwd: REPO,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}),
	) as Array<{ files: Array<{ path: string }> }>;
	return packed.files.map((file) => file.path);
};

const LOADED_BY_N8N =
	/^dist\/(index\.(js|d\.ts)|(nodes|credentials)\/.+\.(js|d\.ts|svg|node\.json)|nodes\/.+\/__schema__\/v\d+\.\d+\.\d+(\/rejected)?\.json)$/;

describe('the node package tarball', () => {
	const files = packedFiles();

	it('holds only what n8n loads, package.json, README.md and LICENSE', () => {
		const documents = ['LICENSE', 'README.md', 'package.json'];
		expect(files.filter((file) => !documents.includes(file) && !LOADED_BY_N8N.test(file))).toEqual(
			[],
		);
		for (const document of documents) expect(files).toContain(document);
	});

	it('holds no part of the sender, its signing code or the samples', () => {
		expect(files.filter((file) => /cli|sender|signing|samples|bin\.js/.test(file))).toEqual([]);
		const manifest = require(path.join(REPO, 'package.json')) as Record<string, unknown>;
		expect(manifest).not.toHaveProperty('bin');
	});

	it('exports no signing: the triggers only verify', () => {
		const exported = require(path.join(REPO, 'dist', 'index.js')) as Record<string, unknown>;
		expect(exported).not.toHaveProperty('signDelivery');
		expect(exported).not.toHaveProperty('authenticate');
		expect(typeof exported.verifyPresented).toBe('function');
	});
});
