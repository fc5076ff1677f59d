/**
 * The `n8n-insurance-webhooks` command as shipped: the sender is its own package
 * (sender/package.json, n8n-insurance-webhooks-sender), so this packs it with `npm pack`, installs
 * the tarball with `npm install` into the run's folder outside the repository (so its one
 * dependency, zod, comes from the registry as it would for a user, not from the repository's
 * node_modules) and runs the installed bin with plain Node against the real n8n and a capturing
 * server. The node package's tarball holds no sender (package.e2e.test.ts checks the installed
 * files are the packed ones). Runs last (see sequencer.js): it sends to workflows other files
 * count.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { registry } from '../../nodes/partners';
import { PROVIDER_EVENTS, samplePath } from '../../sender/src/deliveries';
import { TEST_TRIGGERS } from '../helpers/triggers';
import { urlOf } from './deliver';
import { pkg, readState } from './harness';
import { allSpecs, type WorkflowKey, type WorkflowSpec } from './scenario';

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

interface PackedSender {
	/** What `npm pack` put into the tarball. */
	files: string[];
	/** What `npm install` of the tarball added to the folder's node_modules. */
	installedPackages: string[];
	bin: string;
}

/** `npm pack` of sender/, installed with `npm install` into the run's folder (outside the repository). */
function packSender(): PackedSender {
	const out = path.join(readState().runDir, 'sender-tarball');
	mkdirSync(out, { recursive: true });
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', out], {
			cwd: path.join(pkg.REPO_DIR, 'sender'),
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
		}),
	) as Array<{ filename: string; files: Array<{ path: string }> }>;
	const prefix = path.join(out, 'installed');
	mkdirSync(prefix, { recursive: true });
	execFileSync(
		'npm',
		[
			'install',
			'--prefix',
			prefix,
			'--prefer-offline',
			'--no-audit',
			'--no-fund',
			'--no-package-lock',
			path.join(out, packed.filename),
		],
		{ cwd: prefix, stdio: ['ignore', 'ignore', 'inherit'] },
	);
	const dir = path.join(prefix, 'node_modules', 'n8n-insurance-webhooks-sender');
	const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
		bin: Record<string, string>;
	};
	return {
		files: packed.files.map((file) => file.path),
		installedPackages: readdirSync(path.join(prefix, 'node_modules')).filter(
			(name) => !name.startsWith('.'),
		),
		bin: path.join(dir, manifest.bin['n8n-insurance-webhooks']),
	};
}

let packedSender: PackedSender | undefined;
function installed(): PackedSender {
	packedSender ??= packSender();
	return packedSender;
}

/** Runs the packed sender's bin with `args`, from a folder outside the repository. */
function sender(args: string[], stdin?: Buffer): Promise<Run> {
	const { bin } = installed();
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [bin, ...args], {
			cwd: tmpdir(),
			env: { PATH: process.env.PATH ?? '' },
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
		child.stdin.end(stdin);
	});
}

/** The sample sent to each trigger: the one its demo sends. */
const PROVIDER_EVENT_OF: Record<string, string> = Object.fromEntries(
	TEST_TRIGGERS.map((trigger) => [trigger.nodeName, trigger.mainEvent]),
);

/** The flags a user types for this workflow's partner. */
function flagsFor(spec: WorkflowSpec): string[] {
	const { scheme, secret, headerName, encoding, variant, user, password } = spec.partner;
	const flags = ['--scheme', scheme];
	if (secret !== undefined) flags.push('--secret', secret);
	if (headerName !== undefined) flags.push('--header-name', headerName);
	if (encoding !== undefined) flags.push('--encoding', encoding);
	if (variant !== undefined) flags.push('--variant', variant);
	if (user !== undefined) flags.push('--user', user);
	if (password !== undefined) flags.push('--password', password);
	return flags;
}

const status = (run: Run) => run.stdout.split('\n')[0];

describe('n8n-insurance-webhooks (the bin of the packed sender package)', () => {
	it('is a package of its own: its bin, compiled sources, the samples and package.json, nothing else', () => {
		const { files } = installed();
		const { packedFiles } = readState();
		expect(files).toContain('package.json');
		expect(files).toContain('dist/sender/src/bin.js');
		expect(files).toContain('dist/sender/src/signing.js');
		for (const entry of PROVIDER_EVENTS) expect(files).toContain(`dist/samples/${entry.id}.json`);
		expect(files.filter((file) => !file.startsWith('dist/')).sort()).toEqual([
			'README.md',
			'bin.js',
			'package.json',
		]);
		// Its one dependency is zod (the partners' schemas are the single source of their
		// samples' shape); n8n-workflow and the node package are not pulled in.
		expect(installed().installedPackages.sort()).toEqual(['n8n-insurance-webhooks-sender', 'zod']);
		// The node package n8n installed ships no part of the sender.
		expect(packedFiles.filter((file) => /sender|cli|signing|samples/.test(file))).toEqual([]);
	});

	it('--help lists every provider-event and scheme', async () => {
		const run = await sender(['--help']);
		expect(run.code).toBe(0);
		for (const entry of PROVIDER_EVENTS) expect(run.stdout).toContain(entry.id);
		for (const scheme of new Set(
			registry.triggers.flatMap(({ methods }) => Object.keys(methods)),
		)) {
			expect(run.stdout).toContain(scheme);
		}
	});

	const cases = allSpecs()
		.filter((spec) => spec.refusesTheSample === undefined)
		.map((spec) => [spec.key, spec] as const);

	it.each(cases)(
		'%s: the flags of its partner get past authentication, a wrong secret does not',
		async (key, spec) => {
			const url = urlOf(key as WorkflowKey);
			const providerEvent = PROVIDER_EVENT_OF[spec.nodeName];
			const genuine = await sender(['send', providerEvent, '--url', url, ...flagsFor(spec)]);
			expect({ code: genuine.code, status: status(genuine) }).toEqual({
				code: 0,
				status: 'HTTP 200',
			});
			const wrong =
				spec.partner.scheme === 'basicAuth'
					? ['--password', 'wrong-password']
					: ['--secret', 'wrong-secret-0000'];
			const flags = flagsFor(spec);
			const index = flags.indexOf(wrong[0]);
			flags.splice(index, 2, ...wrong);
			const rejected = await sender(['send', providerEvent, '--url', url, ...flags]);
			expect({ code: rejected.code, status: status(rejected) }).toEqual({
				code: 0,
				status: 'HTTP 401',
			});
			expect(JSON.parse(rejected.stdout.split('\n')[1])).toEqual({ error: expect.any(String) });
		},
	);

	it('signs the bytes of --file and of --stdin', async () => {
		const qoala = allSpecs().find((spec) => spec.key === 'qoalaHmacHex') as WorkflowSpec;
		const file = path.join(readState().runDir, 'my-claim.json');
		const body = '{"claim_number":"CLM-FILE-1","status":"CLAIM_INITIATE"}';
		writeFileSync(file, body);
		const fromFile = await sender([
			'send',
			'qoala-claim',
			'--url',
			urlOf('qoalaHmacHex'),
			...flagsFor(qoala),
			'--file',
			file,
		]);
		expect(status(fromFile)).toBe('HTTP 200');
		const curacel = allSpecs().find((spec) => spec.key === 'curacel') as WorkflowSpec;
		const fromStdin = await sender(
			[
				'send',
				'curacel-policy.created',
				'--url',
				urlOf('curacel'),
				...flagsFor(curacel),
				'--stdin',
			],
			Buffer.from(
				readFileSync(samplePath('curacel-policy.created'), 'utf8').replace('343473', '343499'),
			),
		);
		expect(status(fromStdin)).toBe('HTTP 200');
	});

	it('--header replaces a header after signing (a forged key is refused)', async () => {
		const spec = allSpecs().find((entry) => entry.key === 'qoalaClaim') as WorkflowSpec;
		const run = await sender([
			'send',
			'qoala-claim',
			'--url',
			urlOf('qoalaClaim'),
			...flagsFor(spec),
			'--header',
			'x-api-key: forged',
		]);
		expect(status(run)).toBe('HTTP 401');
	});

	it('sends the sample bytes unchanged, with Content-Type and the signature header only', async () => {
		const received: Array<{ headers: http.IncomingHttpHeaders; body: Buffer }> = [];
		const server = http.createServer((request, response) => {
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => {
				received.push({ headers: request.headers, body: Buffer.concat(chunks) });
				response.end('ok');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
		try {
			const run = await sender([
				'send',
				'curacel-discharge_voucher.created',
				'--url',
				url,
				'--secret',
				's3cret',
			]);
			expect(run.code).toBe(0);
			expect(run.stdout).toBe('HTTP 200\nok\n');
		} finally {
			server.close();
		}
		const [request] = received;
		expect(request.body.equals(readFileSync(samplePath('curacel-discharge_voucher.created')))).toBe(
			true,
		);
		expect(request.body.toString('utf8')).toContain('https:\\/\\/');
		expect(Object.keys(request.headers).sort()).toEqual([
			'connection',
			'content-length',
			'content-type',
			'host',
			'x-curacel-signature',
		]);
		expect(request.headers['content-type']).toBe('application/json');
	});

	it('exits 1 when no answer comes back, 2 for a wrong command line', async () => {
		const closed = await sender([
			'send',
			'qoala-claim',
			'--url',
			'http://127.0.0.1:9/webhook',
			'--secret',
			'k',
		]);
		expect(closed.code).toBe(1);
		expect(closed.stderr).toContain('no answer');
		const usage = [
			['send', 'qoala-nothing', '--url', 'http://127.0.0.1:9/'],
			['send', 'qoala-claim', '--secret', 'k'],
			['send', 'qoala-claim', '--url', 'http://127.0.0.1:9/'],
			['send', 'qoala-claim', '--url', 'http://127.0.0.1:9/', '--scheme', 'sha1', '--secret', 'k'],
			['send', 'qoala-claim', '--url', 'http://127.0.0.1:9/', '--bogus'],
		];
		for (const args of usage) {
			const run = await sender(args);
			expect({ args, code: run.code }).toEqual({ args, code: 2 });
		}
	});
});
