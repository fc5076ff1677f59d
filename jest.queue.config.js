/**
 * The queue-mode suite (npm run test:queue): n8n 2.40.7 in queue mode — PostgreSQL, Redis, main,
 * one worker, two webhook processes behind nginx — started once by globalSetup from the packed
 * package. Files run one after another (they share that cluster).
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.queue.test.ts'],
	globalSetup: '<rootDir>/test/queue/globalSetup.ts',
	globalTeardown: '<rootDir>/test/queue/globalTeardown.ts',
	testSequencer: '<rootDir>/test/queue/sequencer.js',
	maxWorkers: 1,
	testTimeout: 1800000,
};
