#!/usr/bin/env node
/** The `n8n-insurance-webhooks` command (package.json "bin"). */
import { main } from './main';

main(process.argv.slice(2)).then(
	(status) => {
		process.exitCode = status;
	},
	(error: unknown) => {
		process.stderr.write(`${String(error)}\n`);
		process.exitCode = 1;
	},
);
