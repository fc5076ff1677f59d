// `npm run bench -- --n8n-experiment <name>`: set before anything loads ../n8n/runtime, which
// reads it to pick the n8n it runs. Its own module so that ./run.ts can import it first
// (imports run in their order, before that file's code).
const experimentAt = process.argv.indexOf('--n8n-experiment');
if (experimentAt > 0) process.env.N8N_EXPERIMENT = process.argv[experimentAt + 1];

export {};
