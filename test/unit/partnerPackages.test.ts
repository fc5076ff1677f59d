import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

import { PackageDirectoryLoader, resolveOutputSchemaPath } from 'n8n-core';

import { PARTNERS } from '../../nodes/partners';
import { partnerPackages, type PartnerPackage } from '../../scripts/partner-packages';

/**
 * The package per partner (scripts/partner-packages.ts, written by `npm run build` from the
 * pack's build): loaded with n8n's own loader, as n8n loads an installed package, and read file
 * by file. Runs against partner-packages/ (`npm test` builds first).
 */
const packages = partnerPackages();

/** What n8n provides to a community package's code at run time. */
const PROVIDED_BY_N8N = ['n8n-workflow', 'zod/v4'];

const filesOf = (dir: string): string[] =>
	readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((entry) =>
		statSync(join(dir, entry)).isFile(),
	);

/** The module a relative require() names, as Node resolves it, or undefined. */
function resolvedFile(from: string, request: string): string | undefined {
	const base = resolve(dirname(from), request);
	return [base, `${base}.js`, join(base, 'index.js')].find(
		(candidate) => existsSync(candidate) && statSync(candidate).isFile(),
	);
}

it('makes one package per registered partner', () => {
	expect(packages.map((pkg) => pkg.provider)).toEqual(PARTNERS.map((partner) => partner.provider));
	// n8n's verification asks for one package per service, named n8n-nodes-<service>-….
	expect(packages.map((pkg) => pkg.manifest.name)).toEqual(
		PARTNERS.map((partner) => `n8n-nodes-${partner.provider}-webhooks`),
	);
});

describe.each(packages.map((pkg): [string, PartnerPackage] => [pkg.manifest.name, pkg]))(
	'%s',
	(_, pkg) => {
		const partner = PARTNERS.find(({ provider }) => provider === pkg.provider);
		if (!partner) throw new Error(`no partner ${pkg.provider}`);
		const others = PARTNERS.filter((other) => other !== partner);
		let loader: PackageDirectoryLoader;

		beforeAll(async () => {
			loader = new PackageDirectoryLoader(pkg.dir);
			await loader.loadAll();
		});

		it("loads in n8n's loader with its partner's triggers, the answer node and its credentials, nothing else", () => {
			expect(loader.packageName).toBe(pkg.manifest.name);
			expect(Object.keys(loader.nodeTypes).sort()).toEqual(
				[...partner.triggers.map((trigger) => trigger.nodeName), 'partnerAnswer'].sort(),
			);
			// The pack's own credential type names: a user moving from the pack keeps them.
			expect(Object.keys(loader.credentialTypes).sort()).toEqual(
				Object.keys(partner.credentials).sort(),
			);
		});

		it("has each node's codex named for its own package and its output schemas where n8n's editor looks", () => {
			for (const [name, { sourcePath }] of Object.entries(loader.known.nodes)) {
				const nodeFile = join(pkg.dir, sourcePath);
				const codex = JSON.parse(readFileSync(nodeFile.replace(/\.js$/, '.json'), 'utf8')) as {
					node: string;
				};
				expect(codex.node).toBe(`${pkg.manifest.name}.${name}`);
				const schemaFile = resolveOutputSchemaPath({ nodeDir: dirname(nodeFile), version: 1 });
				expect(schemaFile !== undefined && existsSync(schemaFile)).toBe(true);
			}
		});

		it('is whole: every require() of its code is a file inside it or what n8n provides', () => {
			const outside: string[] = [];
			for (const file of filesOf(pkg.dir).filter((entry) => entry.endsWith('.js'))) {
				const path = join(pkg.dir, file);
				for (const [, request] of readFileSync(path, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
					if (request.startsWith('.')) {
						const target = resolvedFile(path, request);
						if (!target || relative(pkg.dir, target).startsWith('..'))
							outside.push(`${file}: ${request}`);
					} else if (
						!PROVIDED_BY_N8N.includes(request) &&
						!builtinModules.includes(request.replace(/^node:/, ''))
					) {
						outside.push(`${file}: ${request}`);
					}
				}
			}
			expect(outside).toEqual([]);
		});

		it('holds no other partner and no registry of partners', () => {
			const files = filesOf(pkg.dir);
			for (const other of others) {
				expect(files.filter((file) => file.includes(`nodes/${other.name}/`))).toEqual([]);
				expect(files.filter((file) => file.startsWith(`dist/credentials/${other.name}`))).toEqual(
					[],
				);
			}
			expect(files).not.toContain('dist/nodes/partners.js');
			expect(files).not.toContain('dist/index.js');
		});

		it('packs only its build, package.json, README.md and LICENSE; the README says never both', () => {
			const [packed] = JSON.parse(
				execFileSync('npm', ['pack', '--dry-run', '--json'], {
					cwd: pkg.dir,
					encoding: 'utf8',
					stdio: ['ignore', 'pipe', 'ignore'],
				}),
			) as Array<{ files: Array<{ path: string }> }>;
			const documents = ['LICENSE', 'README.md', 'package.json'];
			const files = packed.files.map((file) => file.path);
			expect(
				files.filter((file) => !documents.includes(file) && !file.startsWith('dist/')),
			).toEqual([]);
			expect(pkg.manifest).not.toHaveProperty('dependencies');
			expect(Object.keys(pkg.manifest.peerDependencies)).toEqual(['n8n-workflow']);
			const readme = readFileSync(join(pkg.dir, 'README.md'), 'utf8');
			expect(readme).toContain('never both');
			for (const type of Object.keys(partner.credentials)) expect(readme).toContain(type);
		});
	},
);
