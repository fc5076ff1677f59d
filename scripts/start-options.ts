// `npm start -- --n8n <version>` picks the n8n (any the harness installs). Its own module so
// that scripts/start.ts can import it before ./n8n/runtime, which reads N8N_VERSION when it loads.
const n8nFlag = process.argv.findIndex((arg) => arg === '--n8n' || arg.startsWith('--n8n='));
if (n8nFlag !== -1) {
	const arg = process.argv[n8nFlag];
	process.env.N8N_VERSION = arg.includes('=') ? arg.split('=')[1] : process.argv[n8nFlag + 1];
}

export {};
