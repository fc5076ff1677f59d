/**
 * Reliability under load in a real n8n (npm run test:reliability): 1,000 deliveries, copies at
 * the same moment, restarts in the middle of a stream. Its own n8n, started by globalSetup the
 * way the e2e suite starts its own (test/e2e/globalSetup.ts); files run one after another.
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/reliability'],
	testMatch: ['**/*.reliability.test.ts'],
	globalSetup: '<rootDir>/test/reliability/globalSetup.ts',
	globalTeardown: '<rootDir>/test/e2e/globalTeardown.ts',
	maxWorkers: 1,
	testTimeout: 900000,
};
