// n8n's lint for community node packages, in strict mode (with n8n Cloud support), for
// `npm run lint` and editors.
//
// This is the configuration `n8n-node lint` runs in strict mode — `config` from
// `@n8n/node-cli/eslint` (@n8n/node-cli 0.48.3, dist/configs/eslint.js) — rebuilt from the same
// packages at the versions that CLI pins, except typescript-eslint: 8.73.0 instead of 8.35.0,
// which refuses the TypeScript 5.9 we build with. The tool itself, with its own template as its
// whole configuration, runs over the package's source in `npm run lint:n8n-node` (CI runs both;
// npm gives that install TypeScript 5.8 as typescript-eslint's peer): it is installed apart (tools/n8n-node-cli/) because it brings @n8n/ai-node-sdk and LangChain
// (about 600 packages, 700 MB) for its other commands, and because it lints every .ts of the
// folder it runs in with n8n's rules, which the tests and the harness here are not written for.
// When upgrading, bump both and compare with that file; change nothing here to make a rule pass.
//
// What is linted with n8n's rules: what n8n loads (nodes/, credentials/, index.ts) and
// package.json. Tests, the harness (scripts/) and the sender (sender/, a terminal program of its
// own package) run in Node outside n8n, so n8n's import and global restrictions do not apply to
// them: they get ESLint's and typescript-eslint's recommended rules instead (the last two
// blocks).
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importPlugin from 'eslint-plugin-import-x';
import n8nNodesBasePlugin from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const communityNodesRecommended = n8nCommunityNodesPlugin.configs.recommended;

/**
 * The fictional partner's files (test/fixtures/Acme), laid out as in the package: a contributor
 * copies them, so they meet n8n's rules as the package's own do (not its stand-ins for
 * nodes/shared/).
 */
const ACME_NODES = './test/fixtures/Acme/nodes/Acme/**/*.ts';
const ACME_CREDENTIALS = './test/fixtures/Acme/credentials/**/*.ts';
const ACME_PACKAGE_FILES = [ACME_NODES, ACME_CREDENTIALS];

/** What the plain JavaScript (test sequencers, jest configs) may use without importing it. */
const NODE_GLOBALS = Object.fromEntries(
	[
		'require',
		'module',
		'exports',
		'__dirname',
		'__filename',
		'process',
		'console',
		'Buffer',
		'URL',
		'URLSearchParams',
		'TextDecoder',
		'TextEncoder',
		'AbortController',
		'fetch',
		'setTimeout',
		'clearTimeout',
		'setInterval',
		'clearInterval',
		'setImmediate',
		'queueMicrotask',
		'structuredClone',
		'performance',
		'global',
	].map((name) => [name, 'readonly']),
);

export default tseslint.config(
	globalIgnores(['dist', 'build', 'sender/dist', 'partner-packages', 'coverage', '.n8n-local']),
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'index.ts', ...ACME_PACKAGE_FILES],
		extends: [
			js.configs.recommended,
			tseslint.configs.recommended,
			communityNodesRecommended,
			importPlugin.configs['flat/recommended'],
		],
		rules: {
			'prefer-spread': 'off',
			'no-console': 'error',
		},
	},
	{
		plugins: { 'n8n-nodes-base': n8nNodesBasePlugin },
		settings: {
			'import-x/resolver-next': [createTypeScriptImportResolver()],
		},
	},
	{
		files: ['package.json'],
		extends: [communityNodesRecommended],
		rules: {
			...n8nNodesBasePlugin.configs.community.rules,
		},
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: {
				extraFileExtensions: ['.json'],
			},
		},
	},
	{
		files: ['./credentials/**/*.ts', ACME_CREDENTIALS],
		rules: {
			...n8nNodesBasePlugin.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['./nodes/**/*.ts', ACME_NODES],
		rules: {
			...n8nNodesBasePlugin.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	// The fixture's nodes and credential are listed in package.json only in the copy the test
	// builds; there, n8n's loader finds the credential and its Test button through testedBy.
	{
		files: ACME_PACKAGE_FILES,
		rules: {
			'@n8n/community-nodes/credential-test-required': 'off',
			'@n8n/community-nodes/no-credential-reuse': 'off',
			'@n8n/community-nodes/valid-credential-references': 'off',
		},
	},
	// The harness, the tests and the sender: Node programs, linted as such.
	{
		files: ['test/**/*.ts', 'sender/**/*.ts', 'scripts/**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		rules: {
			// The loader and package tests, the build steps and the bench load the built package
			// the way n8n does, by require() of a path in dist/ (and the harness loads what n8n
			// brings, pg and n8n-core, from n8n's own node_modules).
			'@typescript-eslint/no-require-imports': 'off',
		},
	},
	{
		files: ['test/**/*.js', '*.config.js'],
		extends: [js.configs.recommended],
		languageOptions: { sourceType: 'commonjs', globals: NODE_GLOBALS },
	},
);
