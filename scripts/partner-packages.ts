// One package per partner, the form n8n verifies (docs/verification.md, "One third-party service
// per package"). Written by `npm run build` from the same compiled dist/ as the pack, so a
// partner's package runs exactly the pack's code: its nodes and credentials, the nodes that
// belong to no partner (the answer node) and nodes/shared/. It reads the partners from the
// registry and the files from the pack's `n8n` block, so a new partner gets its package with no
// line here. The credential type names are the pack's own: a user moving from the pack keeps
// their stored credentials, and so the pack and a partner's package are never installed together.
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

import { instanceOf } from './compiledClass';
import { PARTNER_PACKAGES_DIR, REPO_DIR } from './paths';

interface N8nBlock {
	n8nNodesApiVersion: number;
	strict: boolean;
	credentials: string[];
	nodes: string[];
}

export interface Manifest {
	name: string;
	version: string;
	description: string;
	keywords: string[];
	license: string;
	homepage: string;
	repository: { type: string; url: string };
	author: { name: string; email: string };
	files: string[];
	engines: Record<string, string>;
	n8n: N8nBlock;
	peerDependencies: Record<string, string>;
}

export interface PartnerPackage {
	/** The partner's `provider` (`qoala`): the package's folder and the middle of its name. */
	provider: string;
	/** The partner's folder under nodes/ (`Qoala`). */
	partnerName: string;
	/** partner-packages/<provider>/ */
	dir: string;
	manifest: Manifest;
	/** What is copied from the pack's build, as paths relative to the repository. */
	copied: string[];
}

const readManifest = (dir: string) =>
	JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;

/** `qoalaApiKeyApi` is compiled to dist/credentials/QoalaApiKeyApi.credentials.js. */
const credentialFileOf = (type: string) =>
	`dist/credentials/${type.charAt(0).toUpperCase()}${type.slice(1)}.credentials.js`;

/** The partners' packages, worked out from the registry and the pack's `n8n` block (needs dist/). */
export function partnerPackages(): PartnerPackage[] {
	const pack = readManifest(REPO_DIR);
	const { PARTNERS } = require(
		path.join(REPO_DIR, 'dist', 'nodes', 'partners.js'),
	) as typeof import('../nodes/partners');
	const folderOf = (name: string) => `dist/nodes/${name}/`;
	const ofNoPartner = pack.n8n.nodes.filter(
		(file) => !PARTNERS.some((partner) => file.startsWith(folderOf(partner.name))),
	);
	return PARTNERS.map((partner): PartnerPackage => {
		const credentials = Object.keys(partner.credentials).map(credentialFileOf);
		const unlisted = credentials.filter((file) => !pack.n8n.credentials.includes(file));
		if (unlisted.length > 0)
			throw new Error(`${partner.name}: not in package.json's n8n block: ${unlisted.join(', ')}`);
		const nodes = pack.n8n.nodes.filter((file) => file.startsWith(folderOf(partner.name)));
		const name = `n8n-nodes-${partner.provider}-webhooks`;
		return {
			provider: partner.provider,
			partnerName: partner.name,
			dir: path.join(PARTNER_PACKAGES_DIR, partner.provider),
			manifest: {
				name,
				version: pack.version,
				description: `Verified, typed n8n trigger nodes for the webhooks of ${partner.name}, the insurance partner (one partner of ${pack.name}).`,
				keywords: ['n8n-community-node-package', 'n8n', 'insurance', 'webhook', partner.provider],
				license: pack.license,
				homepage: `https://www.npmjs.com/package/${name}`,
				repository: pack.repository,
				author: pack.author,
				files: ['dist'],
				engines: pack.engines,
				n8n: { ...pack.n8n, credentials, nodes: [...nodes, ...ofNoPartner] },
				peerDependencies: pack.peerDependencies,
			},
			copied: [
				'dist/nodes/shared',
				folderOf(partner.name).slice(0, -1),
				...new Set(ofNoPartner.map((file) => path.posix.dirname(file))),
				...credentials.flatMap((file) => [file, file.replace(/\.js$/, '.d.ts')]),
			],
		};
	});
}

/** Its README: what it is, how to install it, never together with the pack, and where the docs are. */
function readmeOf(pkg: PartnerPackage, pack: Manifest): string {
	const docs = `${pack.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')}#readme`;
	const nodes = pkg.manifest.n8n.nodes.map(
		(file) => instanceOf<INodeType>(path.join(pkg.dir, file)).description.displayName,
	);
	const credentials = pkg.manifest.n8n.credentials.map((file) =>
		instanceOf<ICredentialType>(path.join(pkg.dir, file)),
	);
	return [
		`# ${pkg.manifest.name}`,
		'',
		`${pkg.partnerName}'s webhooks as verified, typed n8n triggers: each checks who sent the`,
		'delivery, validates and types the payload, filters, drops retried duplicates and starts the',
		'workflow with one item. The same code as',
		`[${pack.name}](https://www.npmjs.com/package/${pack.name}) (all partners in one package),`,
		`with ${pkg.partnerName} only. Every node, parameter, credential and output field is documented`,
		`in that package's README: ${docs}.`,
		'',
		'## Install',
		'',
		`In n8n, **Settings → Community Nodes → Install**, enter \`${pkg.manifest.name}\`, confirm`,
		'and install.',
		'',
		`**Install either this package or ${pack.name}, never both.** They declare the same`,
		"credential types, and n8n's credential type names are global: uninstall one (Settings →",
		'Community Nodes → Uninstall) before installing the other. Your stored credentials keep',
		'working across the switch (same type names); the triggers are placed again (the node types',
		'carry the package name), with the same parameters and output fields. The packages of the',
		'other partners declare other credential types, so they can be installed beside this one.',
		'',
		'## Nodes',
		'',
		...nodes.map((name) => `- ${name}`),
		'',
		'## Credentials',
		'',
		...credentials.map(({ displayName, name }) => `- ${displayName} (\`${name}\`)`),
		'',
	].join('\n');
}

/**
 * A codex file names its node type, `<package>.<node>`, and n8n prefixes node types with the
 * package that holds them: in a partner's package the prefix is that package's name.
 */
function renameCodexNode(pkg: PartnerPackage, nodeFile: string): void {
	const codexFile = path.join(pkg.dir, nodeFile.replace(/\.js$/, '.json'));
	const codex = JSON.parse(fs.readFileSync(codexFile, 'utf8')) as { node: string };
	codex.node = codex.node.replace(/^[^.]+\./, `${pkg.manifest.name}.`);
	fs.writeFileSync(codexFile, `${JSON.stringify(codex, null, '\t')}\n`);
}

/** Writes every partner's package from the pack's build (dist/ must be built). */
export function writePartnerPackages(): PartnerPackage[] {
	fs.rmSync(PARTNER_PACKAGES_DIR, { recursive: true, force: true });
	const pack = readManifest(REPO_DIR);
	const packages = partnerPackages();
	for (const pkg of packages) {
		for (const entry of pkg.copied) {
			fs.cpSync(path.join(REPO_DIR, entry), path.join(pkg.dir, entry), { recursive: true });
		}
		for (const file of pkg.manifest.n8n.nodes) renameCodexNode(pkg, file);
		fs.copyFileSync(path.join(REPO_DIR, 'LICENSE'), path.join(pkg.dir, 'LICENSE'));
		fs.writeFileSync(
			path.join(pkg.dir, 'package.json'),
			`${JSON.stringify(pkg.manifest, null, '\t')}\n`,
		);
		fs.writeFileSync(path.join(pkg.dir, 'README.md'), readmeOf(pkg, pack));
	}
	return packages;
}
