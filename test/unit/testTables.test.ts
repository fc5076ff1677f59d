import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { registry } from '../../nodes/partners';
import { acmePartner } from '../fixtures/Acme/partner';
import { TEST_TRIGGERS } from '../helpers/triggers';

/**
 * The suites keep no table of rows per trigger or per partner: they iterate the registry, and
 * what they send besides the samples is worked out from each trigger's contract and samples
 * (test/helpers/variants.ts, checked in variants.test.ts). The suites that need a real n8n
 * build their deliveries and workflows when loaded; loading them here fails `npm test`
 * already, not only the slow runs, should a trigger's samples not allow one.
 */
describe("the suites' tables", () => {
	it('name every trigger of the registry, in registry order', () => {
		expect(TEST_TRIGGERS.map((trigger) => trigger.nodeName)).toEqual(
			registry.triggers.map((trigger) => trigger.nodeName),
		);
	});

	it.each([
		'../e2e/scenario',
		'../e2e/badInput/cases',
		'../compat/scenario',
		'../queue/load',
		'../reliability/scenario',
	])('%s loads, with what it needs of every trigger', (module) => {
		expect(() => jest.requireActual(module)).not.toThrow();
	});

	// A globalSetup is required with Node's own resolution, where `./X.node` finds the codex
	// `X.node.json` before `X.node.ts`: a module that works in a test can fail there.
	it("load in each real-n8n suite's globalSetup as Jest loads one", () => {
		const root = join(__dirname, '..', '..');
		const config = {
			preset: 'ts-jest',
			testEnvironment: 'node',
			rootDir: root,
			roots: ['<rootDir>/test/fixtures/suiteSetups'],
			testMatch: ['**/loaded.probe.ts'],
			globalSetup: '<rootDir>/test/fixtures/suiteSetups/setups.ts',
		};
		const output = execFileSync(
			process.execPath,
			[join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', JSON.stringify(config)],
			{ cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
		);
		expect(output).toContain('every suite setup loaded');
	}, 120_000);

	it('derive one workflow per trigger from the registry', () => {
		const { allSpecs } = require('../e2e/scenario') as typeof import('../e2e/scenario');
		const defaults = allSpecs().filter((spec) =>
			TEST_TRIGGERS.some((trigger) => trigger.key === spec.key),
		);
		expect(defaults.map((spec) => spec.nodeName)).toEqual(
			registry.triggers.map((trigger) => trigger.nodeName),
		);
	});

	it("run a partner without an e2e credential of its own with its partner.ts's demo credential", () => {
		const { defaultCredentialOf } = require('../e2e/scenario') as typeof import('../e2e/scenario');
		const { demoCredential } = acmePartner;
		expect(defaultCredentialOf(acmePartner)).toEqual({
			credential: {
				id: demoCredential.id,
				name: demoCredential.name,
				type: demoCredential.type,
				data: demoCredential.data,
			},
			secrets: { secret: demoCredential.secret },
		});
		expect(defaultCredentialOf(registry.partner('qoala')).credential.id).toBe('e2eQoalaApiKey01');
	});
});
