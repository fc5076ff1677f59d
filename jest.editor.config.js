/**
 * The editor journey (npm run test:editor): a person's steps in n8n 2.40.7's editor, driven in
 * headless Chromium, with the package installed from its packed tarball. One n8n and one
 * browser for the file (its beforeAll starts them); the steps run in order and build on each
 * other.
 */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/editor'],
	testMatch: ['**/*.editor.test.ts'],
	maxWorkers: 1,
	testTimeout: 120000,
};
