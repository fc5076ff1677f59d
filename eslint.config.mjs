// n8n's lint for community node packages, in strict mode (with n8n Cloud support).
//
// This is the configuration `n8n-node lint` runs in strict mode — `config` from
// `@n8n/node-cli/eslint` (@n8n/node-cli 0.48.3, dist/configs/eslint.js) — rebuilt from the same
// packages at the versions that CLI pins, except typescript-eslint: 8.73.0 instead of 8.35.0,
// which refuses the TypeScript 5.9 we build with. We do not install @n8n/node-cli itself: it
// brings @n8n/ai-node-sdk and LangChain (about 600 packages, 700 MB) for its other commands.
// When upgrading, compare with that file and keep the two in step; change nothing here to make
// a rule pass.
//
// What is linted: what n8n loads (nodes/, credentials/, index.ts) and package.json. Tests and
// developer tools run in Node outside n8n, so n8n's import and global restrictions do not apply
// to them; nor to the sender (sender/), a terminal program of its own package.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importPlugin from 'eslint-plugin-import-x';
import n8nNodesBasePlugin from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const communityNodesRecommended = n8nCommunityNodesPlugin.configs.recommended;

export default tseslint.config(
	globalIgnores(['dist', 'test', 'sender', 'scripts', 'coverage', '.n8n-local']),
	{
		files: ['**/*.ts'],
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
		files: ['./credentials/**/*.ts'],
		rules: {
			...n8nNodesBasePlugin.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['./nodes/**/*.ts'],
		rules: {
			...n8nNodesBasePlugin.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
);
