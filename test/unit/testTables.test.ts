import { PARTNERS, registry } from '../../nodes/partners';
import { registryOf } from '../../nodes/shared/partner';
import { acmePartner } from '../fixtures/Acme/partner';
import { perPartner, perTrigger, TEST_TRIGGERS } from '../helpers/triggers';

/**
 * The test tables with hand-written rows per trigger or per partner (a forged body, a filter,
 * a credential) are read through `perTrigger` / `perPartner`: a partner added to the registry
 * (nodes/partners.ts) without its rows fails, naming the table and what it lacks, instead of
 * being skipped. The suites that need a real n8n build their tables when loaded; loading them
 * here fails `npm test` already, not only the slow runs.
 */
const withAcme = registryOf([...PARTNERS, acmePartner]);
const oneRowPerTrigger = Object.fromEntries(TEST_TRIGGERS.map((trigger) => [trigger.key, 1]));
const oneRowPerPartner = Object.fromEntries(PARTNERS.map((partner) => [partner.provider, 1]));

describe('a table with a row per trigger', () => {
	it('gives each trigger of the registry its row, in registry order', () => {
		const rows = perTrigger('the table', oneRowPerTrigger as never);
		expect(rows.map((row) => row.nodeName)).toEqual(
			registry.triggers.map((trigger) => trigger.nodeName),
		);
		expect(rows.every((row) => (row.row as unknown) === 1)).toBe(true);
	});

	it('refuses a registry with a trigger the table lacks, naming both', () => {
		expect(() => perTrigger('the table', oneRowPerTrigger as never, withAcme.triggers)).toThrow(
			'the table does not match the registry (nodes/partners.ts): it lacks acmeClaim;',
		);
	});

	it('refuses a row for a trigger the registry does not have', () => {
		expect(() => perTrigger('the table', { ...oneRowPerTrigger, acmeClaim: 1 } as never)).toThrow(
			'it has acmeClaim, which the registry does not',
		);
	});
});

describe('a table with a row per partner', () => {
	it('refuses a registry with a partner the table lacks', () => {
		expect(perPartner('the table', oneRowPerPartner as never)).toEqual(oneRowPerPartner);
		expect(() => perPartner('the table', oneRowPerPartner as never, withAcme.partners)).toThrow(
			'it lacks acme;',
		);
	});
});

describe("the suites' tables", () => {
	it.each([
		'../e2e/scenario',
		'../e2e/badInput/cases',
		'../compat/scenario',
		'../queue/load',
		'../reliability/scenario',
	])('%s covers every trigger of the registry', (module) => {
		expect(() => jest.requireActual(module)).not.toThrow();
	});

	it('derive one workflow per trigger from the registry', () => {
		const { allSpecs } = require('../e2e/scenario') as typeof import('../e2e/scenario');
		const defaults = allSpecs().filter((spec) =>
			TEST_TRIGGERS.some((trigger) => trigger.key === spec.key),
		);
		expect(defaults.map((spec) => spec.nodeName)).toEqual(
			registry.triggers.map((trigger) => trigger.nodeName),
		);
	});
});
