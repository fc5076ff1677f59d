/**
 * The partners' suite (npm run test:partners): one partner's package, the one
 * N8N_INSURANCE_PACKAGE names (qoala, cermati, curacel), installed alone in a real n8n 2.40.7.
 * CI runs it once per partner.
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/partners'],
	testMatch: ['**/*.partners.test.ts'],
	globalSetup: '<rootDir>/test/partners/globalSetup.ts',
	globalTeardown: '<rootDir>/test/e2e/globalTeardown.ts',
	maxWorkers: 1,
	testTimeout: 180000,
};
