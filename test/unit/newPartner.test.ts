import { execSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { PackageDirectoryLoader, resolveOutputSchemaPath } from 'n8n-core';
import type {
	CodexData,
	ICredentialTestFunctions,
	ICredentialType,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { PARTNERS, registry } from '../../nodes/partners';
import { registryOf } from '../../nodes/shared/partner';
import type { PartnerPackage } from '../../scripts/partner-packages';
import { COMMON_ITEM_FIELDS, type ExpectedItem } from '../e2e/expected';
import { acmePartner } from '../fixtures/Acme/partner';
import { hmacHex } from '../helpers/partners';
import { deliver } from '../helpers/webhookContext';

/**
 * A new partner as a contributor meets it (docs/adding-a-partner.md). Acme, a fictional
 * partner, is a contributor's files laid out as in the package (test/fixtures/Acme: nodes/,
 * credentials/, samples/, docs/). This test copies the package's sources to a temporary folder,
 * drops Acme's files into their places, makes the edits a contributor makes (the registry line,
 * package.json's `n8n` block, the README's sections), runs the package's build there, and
 * checks what n8n gets: the trigger and credential loaded by n8n's own loader, a signed sample
 * accepted with its expected facts and a forged one refused 401, the credential's Test button,
 * and Acme's own package from the partner-package build. Then it runs the copy's own unit
 * suites that read the registry, unchanged, with Acme registered: they must pass with no row
 * added to any of them. It also counts the files the contributor added and edited: the count
 * docs/adding-a-partner.md gives.
 */

const REPO = path.join(__dirname, '..', '..');
const FIXTURE = path.join(REPO, 'test', 'fixtures', 'Acme');
/** What in the fixture is not the contributor's: its re-exports for in-place tests, its stand-ins for nodes/shared/. */
const NOT_COPIED = ['partner.ts', 'nodes/shared/'];
/** What the build reads (the README and LICENSE go into the partners' packages; the sender's sources into its bin). */
const SOURCES = [
	'package.json',
	'tsconfig.json',
	'tsconfig.build.json',
	'tsconfig.scripts.json',
	'index.ts',
	'nodes',
	'credentials',
	'scripts',
	'samples',
	'docs/workflows',
	'README.md',
	'LICENSE',
	'sender/src',
	'sender/package.json',
	'sender/tsconfig.json',
	'sender/bin.js',
	// The unit suites and their config, to run in the copy as they are (never edited there).
	'test',
	'jest.config.js',
];
/**
 * The one step of package.json's `build` this test does not run in the copy: compiling the
 * harness (scripts/). The contributor changes no script, and `npm test` has just compiled the
 * repository's into build/, which the copy gets; compiling it again would double the test's time.
 */
const NOT_RUN = [/tsconfig\.scripts\.json/];

const SECRET = 'acme-signing-secret-1';
const NODE = 'acmeClaimTrigger';
const CREDENTIAL = 'acmeSignatureApi';

const filesUnder = (dir: string): string[] =>
	fs
		.readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((entry) => fs.statSync(path.join(dir, entry)).isFile())
		.map((entry) => entry.split(path.sep).join('/'))
		.sort();

/** The contributor's files: the fixture's, at the same place in the package. */
const contributorFiles = filesUnder(FIXTURE).filter(
	(file) => !NOT_COPIED.some((excluded) => file.startsWith(excluded)),
);

let copy: string;
const inCopy = (...segments: string[]) => path.join(copy, ...segments);
const read = (file: string) => fs.readFileSync(inCopy(file), 'utf8');

/** A contributor's edit of one file; fails, naming it, when the file no longer has that shape. */
function edit(file: string, what: string, change: (text: string) => string): void {
	const before = read(file);
	const after = change(before);
	if (after === before) throw new Error(`Could not ${what}: ${file} has changed shape`);
	fs.writeFileSync(inCopy(file), after);
}

function insertBefore(text: string, marker: string, inserted: string): string {
	const at = text.indexOf(marker);
	return at < 0 ? text : text.slice(0, at) + inserted + text.slice(at);
}

/** What the contributor does: add Acme's files and make the three edits. */
function contribute(): void {
	for (const file of contributorFiles) {
		fs.mkdirSync(path.dirname(inCopy(file)), { recursive: true });
		fs.copyFileSync(path.join(FIXTURE, file), inCopy(file));
	}
	edit('nodes/partners.ts', 'add the registry line', (text) =>
		text
			.replace(
				/^import \{ \w+Partner \} from '\.\/\w+\/partner';$/m,
				(first) => `import { acmePartner } from './Acme/partner';\n${first}`,
			)
			.replace(/(export const PARTNERS = \[[^\]]*?),?(\s*\] as const;)/, '$1, acmePartner$2'),
	);
	edit('package.json', "list Acme's node and credential in the n8n block", (text) => {
		const manifest = JSON.parse(text) as {
			keywords: string[];
			n8n: { credentials: string[]; nodes: string[] };
		};
		manifest.keywords.push('acme');
		manifest.n8n.credentials.push('dist/credentials/AcmeSignatureApi.credentials.js');
		manifest.n8n.nodes.push('dist/nodes/Acme/ClaimTrigger/AcmeClaimTrigger.node.js');
		return `${JSON.stringify(manifest, null, '\t')}\n`;
	});
	edit('README.md', "add the node's and the credential's sections", (text) =>
		insertBefore(
			insertBefore(
				text,
				'## Credentials\n',
				'### Acme Claim Trigger\n\nAcme claim statuses: `OPEN`, `PAID` (final).\n\n',
			),
			'**Changing a signing secret**',
			'### Acme credentials\n\n**Acme Signature Webhook API** (`acmeSignatureApi`): `signingSecret`.\n\n',
		),
	);
}

/** The package's build as package.json says, less the steps in NOT_RUN; a failing step throws its output. */
function build(): string[] {
	const { scripts } = JSON.parse(read('package.json')) as { scripts: { build: string } };
	const steps = scripts.build
		.split('&&')
		.map((step) => step.trim())
		.filter((step) => !NOT_RUN.some((skipped) => skipped.test(step)));
	const env = {
		...process.env,
		PATH: `${inCopy('node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
	};
	for (const step of steps) {
		try {
			execSync(step, { cwd: copy, env, encoding: 'utf8', stdio: 'pipe' });
		} catch (error) {
			const { stdout, stderr } = error as { stdout?: string; stderr?: string };
			throw new Error(
				`The build of the package with Acme failed at \`${step}\`:\n${stderr?.trim() || stdout}`,
			);
		}
	}
	return steps;
}

/** Files of the copy that are new or differ from the repository's, outside what the build makes. */
function changedFiles(): { added: string[]; edited: string[] } {
	const files = filesUnder(copy).filter(
		(file) => !/^(node_modules|build|dist|partner-packages)\//.test(file),
	);
	const added = files.filter((file) => !fs.existsSync(path.join(REPO, file)));
	const edited = files.filter(
		(file) =>
			!added.includes(file) &&
			!fs.readFileSync(inCopy(file)).equals(fs.readFileSync(path.join(REPO, file))),
	);
	return { added, edited };
}

let steps: string[];
let changed: { added: string[]; edited: string[] };
let loader: PackageDirectoryLoader;

beforeAll(async () => {
	if (!fs.existsSync(path.join(REPO, 'build', 'scripts', 'partner-packages.js')))
		throw new Error('build/ is missing: run npm run build first (npm test does)');
	copy = fs.mkdtempSync(path.join(os.tmpdir(), 'acme-partner-'));
	for (const source of [...SOURCES, 'build']) {
		fs.cpSync(path.join(REPO, source), inCopy(source), { recursive: true });
	}
	fs.symlinkSync(path.join(REPO, 'node_modules'), inCopy('node_modules'), 'dir');
	contribute();
	changed = changedFiles();
	steps = build();
	loader = new PackageDirectoryLoader(copy);
	await loader.loadAll();
}, 120_000);

afterAll(() => {
	if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

it('takes a contributor 11 new files and 3 edited ones, and no test file', () => {
	expect(changed.added).toEqual(contributorFiles);
	expect(changed.added).toHaveLength(11);
	expect(changed.edited).toEqual(['README.md', 'nodes/partners.ts', 'package.json']);
	expect([...changed.added, ...changed.edited].filter((file) => file.startsWith('test/'))).toEqual(
		[],
	);
	console.log(
		`Adding Acme: ${changed.added.length} files added, ${changed.edited.length} edited (${changed.edited.join(', ')}); built with: ${steps.join(' && ')}`,
	);
});

it("runs the package's build: clean, compile, assets and output schemas, partners' packages, sender", () => {
	expect(steps).toEqual(
		expect.arrayContaining([
			'node build/scripts/clean.js',
			'tsc -p tsconfig.build.json',
			'node build/scripts/build-assets.js',
			'node build/scripts/build-partner-packages.js',
			'tsc -p sender/tsconfig.json',
			'node build/scripts/build-sender.js',
		]),
	);
});

describe("n8n's loader, on the package with Acme", () => {
	let description: INodeTypeDescription;
	let credential: ICredentialType;
	beforeAll(() => {
		description = loader.getNode(NODE).type.description as INodeTypeDescription;
		credential = loader.getCredential(CREDENTIAL).type;
	});

	/** The file an icon URL names (`icons/<package>/<path>`), in the package n8n serves it from. */
	const iconFile = (url: string) => inCopy(url.replace(/^icons\/[^/]+\//, ''));

	const expectThemedIcons = (iconUrl: unknown) => {
		const { light, dark } = iconUrl as { light: string; dark: string };
		expect([light, dark]).toEqual([
			'icons/n8n-nodes-insurance-webhooks/dist/nodes/Acme/acme.svg',
			'icons/n8n-nodes-insurance-webhooks/dist/nodes/Acme/acme.dark.svg',
		]);
		for (const url of [light, dark]) {
			expect(fs.readFileSync(iconFile(url), 'utf8')).toMatch(/^<svg [^>]*viewBox="0 0 60 60"/);
		}
		expect(fs.readFileSync(iconFile(dark))).not.toEqual(fs.readFileSync(iconFile(light)));
	};

	it('loads every node and credential of the package, Acme among them', () => {
		expect(Object.keys(loader.nodeTypes).sort()).toEqual(
			[...registry.triggers.map((trigger) => trigger.nodeName), NODE, 'partnerAnswer'].sort(),
		);
		expect(Object.keys(loader.credentialTypes).sort()).toEqual(
			[...Object.keys(registry.credentialRules), CREDENTIAL].sort(),
		);
	});

	it('loads the Acme trigger with its description, icons, codex and Docs links', () => {
		expect(description).toMatchObject({
			displayName: 'Acme Claim Trigger',
			group: ['trigger'],
			version: [1, 2, 3],
			defaultVersion: 3,
			credentials: [expect.objectContaining({ name: CREDENTIAL, testedBy: `${CREDENTIAL}Test` })],
		});
		expect(description.properties[0].displayName).toContain('Acme portal');
		expectThemedIcons(description.iconUrl);
		const codex = description.codex as CodexData;
		expect(codex.categories).toEqual(['Finance & Accounting']);
		const readme = read('README.md');
		for (const { url } of [
			...(codex.resources?.primaryDocumentation ?? []),
			...(codex.resources?.credentialDocumentation ?? []),
		]) {
			const anchor = url.split('#')[1].replace(/-/g, ' ');
			expect(readme.toLowerCase()).toContain(`### ${anchor}\n`);
		}
	});

	it('finds its output schemas where the editor asks: the item for each version, and Rejected', () => {
		const folder = path.dirname(inCopy(loader.known.nodes[NODE].sourcePath));
		for (const version of [1, 2, 3]) {
			const schema = JSON.parse(
				fs.readFileSync(resolveOutputSchemaPath({ nodeDir: folder, version }) as string, 'utf8'),
			) as { properties: object };
			expect(Object.keys(schema.properties)).toEqual(
				expect.arrayContaining([...COMMON_ITEM_FIELDS, 'claimId']),
			);
			const rejected = resolveOutputSchemaPath({ nodeDir: folder, version, resource: 'rejected' });
			expect(fs.existsSync(rejected as string)).toBe(true);
		}
	});

	it('loads the Acme credential with its secrets as password fields, its icons and its node', () => {
		expect(credential.displayName).toBe('Acme Signature Webhook API');
		expect(
			credential.properties.map(({ name, typeOptions }) => [name, typeOptions?.password]),
		).toEqual([
			['signingSecret', true],
			['previousSecret', true],
		]);
		expectThemedIcons(credential.iconUrl);
		expect(loader.types.credentials.find((type) => type.name === CREDENTIAL)).toMatchObject({
			supportedNodes: [NODE],
		});
	});

	it("runs the credential's Test button as n8n does, through the node's testedBy", async () => {
		const node = loader.getNode(NODE).type as INodeType;
		const test = node.methods?.credentialTest?.[`${CREDENTIAL}Test`];
		expect(typeof test).toBe('function');
		const run = (signingSecret: string) =>
			test!.call({} as ICredentialTestFunctions, {
				id: '1',
				name: 'Acme account',
				type: CREDENTIAL,
				data: { signingSecret },
			});
		await expect(run(SECRET)).resolves.toEqual({
			status: 'OK',
			message: expect.stringContaining('deliveries must carry x-acme-signature'),
		});
		await expect(run('')).resolves.toEqual({
			status: 'Error',
			message: expect.stringContaining('Signing Secret is empty'),
		});
		const pasted = await run(` ${SECRET}`);
		expect(pasted.status).toBe('Error');
		expect(pasted.message).not.toContain(SECRET);
	});
});

/** A delivery of Acme's sample to a loaded Acme trigger, signed with `secret`. */
function deliverSample(node: INodeType, secret: string) {
	const body = fs.readFileSync(inCopy('samples', 'acme-claim.json'));
	return deliver(node, {
		credentials: { [CREDENTIAL]: { signingSecret: SECRET } },
		headers: { 'x-acme-signature': hmacHex('sha256', secret, body) },
		body,
	});
}

describe('a delivery to the Acme trigger n8n loaded', () => {
	it('signed with the secret: accepted, 200, one item with the facts of samples/expected/', async () => {
		const expected = JSON.parse(read('samples/expected/acme-claim.json')) as ExpectedItem;
		const { identifiers, otherFields, provider, event, status, outcome, isFinal } = expected;
		const answer = await deliverSample(loader.getNode(NODE).type as INodeType, SECRET);
		expect(answer.status).toBe(200);
		expect(answer.items).toEqual([
			expect.objectContaining({
				provider,
				event,
				status,
				outcome,
				isFinal,
				...identifiers,
				...otherFields,
			}),
		]);
	});

	it('forged (signed with another secret): refused 401, starts nothing', async () => {
		const answer = await deliverSample(loader.getNode(NODE).type as INodeType, 'not-the-secret');
		expect(answer.status).toBe(401);
		expect(answer.executionStarted).toBe(false);
	});
});

describe('the sender built in the copy', () => {
	it('lists the Acme sample, and signs it as the Acme trigger verifies', async () => {
		const help = execSync('node sender/bin.js --help', { cwd: copy, encoding: 'utf8' });
		expect(help).toMatch(/^ {2}acme-claim +Acme claim status$/m);
		const sender = require(
			inCopy('sender', 'dist', 'sender', 'src', 'deliveries.js'),
		) as typeof import('../../sender/src/deliveries');
		const body = sender.readSample('acme-claim');
		const answer = await deliver(loader.getNode(NODE).type as INodeType, {
			credentials: { [CREDENTIAL]: { signingSecret: SECRET } },
			headers: sender.signedHeaders({ providerEvent: 'acme-claim', secret: SECRET }, body),
			body,
		});
		expect(answer.status).toBe(200);
	});
});

describe("Acme's own package, from the partner-package build", () => {
	let pkg: PartnerPackage;
	let acmeLoader: PackageDirectoryLoader;
	beforeAll(async () => {
		// The copy's compiled script: it reads the copy's registry and package.json.
		const { partnerPackages } = require(
			inCopy('build', 'scripts', 'partner-packages.js'),
		) as typeof import('../../scripts/partner-packages');
		const packages = partnerPackages();
		expect(packages.map((candidate) => candidate.provider)).toEqual([
			...PARTNERS.map((partner) => partner.provider),
			'acme',
		]);
		pkg = packages.find((candidate) => candidate.provider === 'acme') as PartnerPackage;
		acmeLoader = new PackageDirectoryLoader(pkg.dir);
		await acmeLoader.loadAll();
	});

	it('is n8n-nodes-acme-webhooks, with the Acme trigger, the answer node and the Acme credential only', () => {
		expect(acmeLoader.packageName).toBe('n8n-nodes-acme-webhooks');
		expect(Object.keys(acmeLoader.nodeTypes).sort()).toEqual([NODE, 'partnerAnswer']);
		expect(Object.keys(acmeLoader.credentialTypes)).toEqual([CREDENTIAL]);
		const files = filesUnder(pkg.dir);
		for (const { name } of PARTNERS) {
			expect(files.filter((file) => file.includes(`/${name}`))).toEqual([]);
		}
		const codex = JSON.parse(
			fs.readFileSync(
				path.join(pkg.dir, 'dist/nodes/Acme/ClaimTrigger/AcmeClaimTrigger.node.json'),
				'utf8',
			),
		) as { node: string };
		expect(codex.node).toBe(`n8n-nodes-acme-webhooks.${NODE}`);
		expect(fs.readFileSync(path.join(pkg.dir, 'README.md'), 'utf8')).toContain(CREDENTIAL);
	});

	it('accepts the signed sample and refuses the forged one, as the pack does', async () => {
		const node = acmeLoader.getNode(NODE).type as INodeType;
		expect((await deliverSample(node, SECRET)).status).toBe(200);
		expect((await deliverSample(node, 'not-the-secret')).status).toBe(401);
	});
});

/**
 * The copy's unit suites that read the registry (nodes/partners.ts) or a helper that iterates
 * it: every suite with something per partner or per trigger. The others test shared code or
 * one partner's behaviour and are the repository's own, unchanged by Acme.
 */
const READS_REGISTRY =
	/from '\.\.\/(\.\.\/nodes\/partners|helpers\/(triggers|variants|nodes)|e2e\/(expected|examples))'/;

function registrySuites(): string[] {
	return fs
		.readdirSync(inCopy('test', 'unit'))
		.filter((file) => file.endsWith('.test.ts') && file !== path.basename(__filename))
		.filter((file) => READS_REGISTRY.test(read(`test/unit/${file}`)))
		.map((file) => `test/unit/${file}`)
		.sort();
}

interface JestResults {
	success: boolean;
	numPassedTests: number;
	testResults: Array<{ name: string; status: string; message: string }>;
}

describe("the copy's own suites, with Acme registered", () => {
	it('pass as they are: every one that reads the registry, Acme included', () => {
		const suites = registrySuites();
		expect(suites).toEqual(
			expect.arrayContaining(
				[
					'n8nLoader',
					'triggers',
					'credentialTests',
					'outcomes',
					'partnerPackages',
					'registry',
					'variants',
					'exampleWorkflows',
					'testTables',
				].map((name) => `test/unit/${name}.test.ts`),
			),
		);
		// The copy's Jest config, compiling without type checks (the copy's build has checked
		// Acme's files; the suites are the repository's, checked by npm run lint), in one process.
		const config = {
			...(require(inCopy('jest.config.js')) as object),
			rootDir: copy,
			transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
			cacheDirectory: inCopy('.jest-cache'),
		};
		const results = inCopy('jest-results.json');
		const started = Date.now();
		const run = spawnSync(
			process.execPath,
			[
				inCopy('node_modules', 'jest', 'bin', 'jest.js'),
				'--config',
				JSON.stringify(config),
				'--runInBand',
				'--ci',
				'--json',
				`--outputFile=${results}`,
				'--runTestsByPath',
				...suites.map((suite) => inCopy(suite)),
			],
			{ cwd: copy, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
		);
		if (!fs.existsSync(results)) throw new Error(`Jest did not run in the copy:\n${run.stderr}`);
		const outcome = JSON.parse(fs.readFileSync(results, 'utf8')) as JestResults;
		const failed = outcome.testResults.filter((suite) => suite.status !== 'passed');
		expect(failed.map(({ name, message }) => `${path.relative(copy, name)}\n${message}`)).toEqual(
			[],
		);
		expect(outcome.testResults.map(({ name }) => path.relative(copy, name)).sort()).toEqual(suites);
		expect(outcome.success).toBe(true);
		console.log(
			`In the copy with Acme: ${outcome.numPassedTests} tests of ${suites.length} suites passed in ${Math.round((Date.now() - started) / 1000)} s (${suites.map((suite) => path.basename(suite, '.test.ts')).join(', ')})`,
		);
	}, 180_000);
});

describe('the registry', () => {
	it('refuses a partner listed twice', () => {
		expect(() => registryOf([...PARTNERS, acmePartner, acmePartner])).toThrow('listed twice');
	});

	it('of the repository itself has no Acme: only the copy lists it', () => {
		expect(() => registry.partner('acme')).toThrow('Unknown partner "acme"');
	});
});
