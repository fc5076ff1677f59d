/**
 * The compatibility suite (npm run test:compat): the acceptance checks that must hold on every
 * n8n the package claims, run on the n8n N8N_VERSION names (default 2.40.7). CI runs it on
 * each tested version besides the one the full e2e suite runs on.
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/compat'],
	testMatch: ['**/*.compat.test.ts'],
	globalSetup: '<rootDir>/test/compat/globalSetup.ts',
	globalTeardown: '<rootDir>/test/e2e/globalTeardown.ts',
	maxWorkers: 1,
	testTimeout: 180000,
};
