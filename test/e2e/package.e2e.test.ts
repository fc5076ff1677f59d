/**
 * The package as n8n's community-package installer leaves it: from the packed tarball, without
 * dev/peer/optional dependencies, recorded as installed, resolving zod and n8n-workflow to
 * n8n's own copies. Plus what n8n serves from it: the output schemas, and a workflow's own
 * answer (responseNode) reaching the partner.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

import { REJECTED_FIELDS } from '../helpers/rejectedFields';
import { TEST_TRIGGERS } from '../helpers/triggers';
import { deliver, expectOneSuccessfulRun, expectQuiet } from './deliver';
import { COMMON_ITEM_FIELDS, EXPECTED } from './expected';
import { instance, pkg, readState, runtime, workflows } from './harness';

const PACKAGE = workflows.PACKAGE_NAME;
/**
 * Each trigger's identifier fields, besides COMMON_ITEM_FIELDS: those the facts about its
 * samples name (test/e2e/expected.ts, read off the partners' documentation).
 */
const NODES: Array<[string, string[]]> = TEST_TRIGGERS.map((trigger) => [
	trigger.nodeName,
	[
		...new Set(
			trigger.providerEvents.flatMap((providerEvent) =>
				Object.keys(EXPECTED[providerEvent].identifiers),
			),
		),
	],
]);
/** Every file below `dir`, relative to it. */
function filesBelow(dir: string, prefix = ''): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		return statSync(full).isDirectory()
			? filesBelow(full, `${prefix}${name}/`)
			: [`${prefix}${name}`];
	});
}

/** Where Node 24 resolves `request` from the package's folder, with or without n8n's NODE_PATH. */
function resolveFromPackage(request: string, withN8nNodePath: boolean): string {
	const { packageDir } = readState();
	const env = { ...process.env, NODE_PATH: withN8nNodePath ? pkg.n8nNodePath() : '' };
	try {
		return execFileSync(
			runtime.paths().nodeBin,
			[
				'-e',
				`process.stdout.write(require.resolve(${JSON.stringify(request)}, { paths: [${JSON.stringify(packageDir)}] }))`,
			],
			{ cwd: packageDir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
		);
	} catch {
		return 'not resolvable';
	}
}

describe('the package inside n8n', () => {
	it('is installed from the packed tarball: exactly the packed files, nothing from the repository', () => {
		const { packageDir, packedFiles } = readState();
		const installed = filesBelow(packageDir).filter((file) => !file.startsWith('node_modules/'));
		expect(installed.sort()).toEqual([...packedFiles].sort());
		expect(installed.some((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toBe(false);
	});

	it('has no devDependencies, peerDependencies or optionalDependencies left, and no dependencies installed', () => {
		const { packageDir } = readState();
		const manifest = JSON.parse(
			readFileSync(path.join(packageDir, 'package.json'), 'utf8'),
		) as Record<string, unknown>;
		expect(manifest).not.toHaveProperty('devDependencies');
		expect(manifest).not.toHaveProperty('peerDependencies');
		expect(manifest).not.toHaveProperty('optionalDependencies');
		for (const dependency of ['zod', 'n8n-workflow', 'n8n-core']) {
			expect(existsSync(path.join(packageDir, 'node_modules', dependency))).toBe(false);
			expect(existsSync(path.join(path.dirname(packageDir), dependency))).toBe(false);
		}
	});

	it('lives outside the repository, so the repository node_modules cannot stand in for n8n', () => {
		const { userFolder } = readState();
		expect(path.relative(pkg.REPO_DIR, userFolder).startsWith('..')).toBe(true);
	});

	it.each(['zod', 'n8n-workflow'])(
		'finds %s only through NODE_PATH, in n8n’s own node_modules',
		(dependency) => {
			expect(resolveFromPackage(dependency, false)).toBe('not resolvable');
			const resolved = resolveFromPackage(dependency, true);
			expect(resolved.startsWith(runtime.paths().runtimeDir + path.sep)).toBe(true);
		},
	);

	it('is recorded as installed, as the community-package installer records it', () => {
		const { userFolder } = readState();
		const ledger = JSON.parse(
			readFileSync(path.join(userFolder, '.n8n', 'nodes', 'package.json'), 'utf8'),
		) as {
			dependencies: Record<string, string>;
		};
		const { version } = JSON.parse(
			readFileSync(path.join(pkg.REPO_DIR, 'package.json'), 'utf8'),
		) as { version: string };
		expect(ledger.dependencies).toEqual({ [PACKAGE]: version });
		expect(
			pkg.queryDatabase(userFolder, 'SELECT packageName, installedVersion FROM installed_packages'),
		).toEqual([{ packageName: PACKAGE, installedVersion: version }]);
		const nodes = pkg.queryDatabase<{ type: string; latestVersion: number }>(
			userFolder,
			'SELECT type, latestVersion FROM installed_nodes WHERE package = ? ORDER BY type',
			[PACKAGE],
		);
		expect(nodes).toEqual(
			[
				...TEST_TRIGGERS.map(({ nodeName }) => ({
					type: `${PACKAGE}.${nodeName}`,
					latestVersion: 3,
				})),
				{ type: `${PACKAGE}.partnerAnswer`, latestVersion: 1 },
			].sort((a, b) => a.type.localeCompare(b.type)),
		);
	});
});

describe('output schemas served to the editor', () => {
	it('partnerAnswer: GET /schemas/…/1.0.0.json lists the answer the partner received', async () => {
		const answer = await instance.request(
			'GET',
			`http://127.0.0.1:${readState().port}/schemas/${PACKAGE}.partnerAnswer/1.0.0.json`,
		);
		expect(answer.status).toBe(200);
		const schema = JSON.parse(answer.body) as { properties: Record<string, unknown> };
		expect(Object.keys(schema.properties)).toEqual(['answer', 'statusCode', 'body', 'answeredAt']);
	});

	it.each(NODES)(
		'%s: GET /schemas/…/3.0.0.json, …/2.0.0.json and …/1.0.0.json list the item fields',
		async (nodeName, identifiers) => {
			const { port, packageDir } = readState();
			for (const version of ['3.0.0', '2.0.0', '1.0.0']) {
				const answer = await instance.request(
					'GET',
					`http://127.0.0.1:${port}/schemas/${PACKAGE}.${nodeName}/${version}.json`,
				);
				expect({ version, status: answer.status }).toEqual({ version, status: 200 });
				const schema = JSON.parse(answer.body) as {
					type: string;
					properties: Record<string, unknown>;
				};
				expect(schema.type).toBe('object');
				expect(Object.keys(schema.properties)).toEqual(
					expect.arrayContaining([...COMMON_ITEM_FIELDS, ...identifiers]),
				);
				// Served from the installed package (the node n8n loaded), not from anywhere else.
				const onDisk = filesBelow(path.join(packageDir, 'dist', 'nodes')).filter((file) =>
					file.endsWith(`__schema__/v${version}.json`),
				);
				const contents = onDisk.map(
					(file) =>
						JSON.parse(
							readFileSync(path.join(packageDir, 'dist', 'nodes', file), 'utf8'),
						) as unknown,
				);
				expect(contents).toContainEqual(schema);
			}
		},
	);

	it.each(NODES.map(([nodeName]) => nodeName))(
		'%s: GET /schemas/…/2.0.0/rejected.json lists the Rejected output’s fields',
		async (nodeName) => {
			const answer = await instance.request(
				'GET',
				`http://127.0.0.1:${readState().port}/schemas/${PACKAGE}.${nodeName}/2.0.0/rejected.json`,
			);
			expect(answer.status).toBe(200);
			const schema = JSON.parse(answer.body) as { properties: Record<string, unknown> };
			expect(Object.keys(schema.properties)).toEqual(REJECTED_FIELDS);
		},
	);
});

describe('a workflow answering the partner itself (Curacel instalment.due, responseNode)', () => {
	it('passes the Answer Insurance Partner node’s 402 decline to the sender, after one execution', async () => {
		const answer = await deliver('curacelInstalmentDecline', 'curacel-instalment.due');
		expect(answer.status).toBe(402);
		expect(answer.json).toEqual({
			received: true,
			declined: true,
			message: 'Charge declined by the workflow',
		});
		await expectOneSuccessfulRun('curacelInstalmentDecline', 'curacel-instalment.due', answer);
	});

	it('answers an event outside its filter 200 without running', async () => {
		const answer = await deliver('curacelInstalmentDecline', 'curacel-order.cancelled');
		expect(answer.status).toBe(200);
		await expectQuiet('curacelInstalmentDecline', 1, 1);
	});
});

describe('Respond "When Last Node Finishes" (lastNode)', () => {
	it('answers the partner with what the last node returned, after one execution', async () => {
		const answer = await deliver('qoalaClaimLastNode', 'qoala-claim');
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({
			stored: true,
			deliveryKey: expect.stringContaining('CLM-2024-000123') as unknown,
		});
		await expectOneSuccessfulRun('qoalaClaimLastNode', 'qoala-claim', answer);
	});

	it('answers a retry of it 200 "repeated" without running', async () => {
		const answer = await deliver('qoalaClaimLastNode', 'qoala-claim');
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({ received: true, ignored: 'repeated' });
		await expectQuiet('qoalaClaimLastNode', 1, 1);
	});
});

describe('a workflow saved with version 1 of a trigger (before 2)', () => {
	it('still accepts a genuine delivery and starts one execution', async () => {
		const answer = await deliver('curacelVersion1', 'curacel-claim.vetted');
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({ received: true });
		await expectOneSuccessfulRun('curacelVersion1', 'curacel-claim.vetted', answer);
	});

	it('still answers a retry 200 "repeated" without running, and a forged one 401', async () => {
		const again = await deliver('curacelVersion1', 'curacel-claim.vetted');
		expect(again.json).toMatchObject({ ignored: 'repeated' });
		const forged = await deliver('curacelVersion1', 'curacel-claim.vetted', {
			secret: 'not-the-secret',
		});
		expect(forged.status).toBe(401);
		await expectQuiet('curacelVersion1', 1, 1);
	});
});
