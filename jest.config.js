/**
 * Unit and n8n-loader tests; the real-n8n suites have their own configs (jest.e2e.config.js, jest.compat.config.js,
 * jest.partners.config.js, jest.queue.config.js, jest.reliability.config.js,
 * jest.editor.config.js).
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: [
		'/test/e2e/',
		'/test/compat/',
		'/test/partners/',
		'/test/queue/',
		'/test/reliability/',
		'/test/editor/',
	],
};
