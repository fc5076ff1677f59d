// `npm run bench`: prints the benchmark tables (see BENCHMARKS.md for the latest figures).
//
//   npm run bench                   the pipeline alone, the record, and the trigger in a real n8n
//   npm run bench -- --quick        the same with fewer requests in n8n (about 2 minutes)
//   npm run bench -- --without-n8n  only the pure measurements (seconds, no n8n)
//   npm run bench -- --n8n-env N8N_EXPRESSION_ENGINE=legacy   start n8n with this setting
//   npm run bench -- --n8n-env N8N_METRICS=true   adds the V8 isolates n8n creates per request
//
//   npm run bench -- --n8n-experiment webhook-isolate-skip   n8n with a change proposed upstream
//                                   (scripts/bench/experiments.ts, docs/upstream-n8n.md)
//
// Starting n8n and loading it takes the machine's CPU for several minutes: on a shared machine,
// run it alone (e.g. `flock /tmp/insurance-webhooks-heavy.lock npm run bench`).
// --n8n-experiment: read first, before anything loads ../n8n/runtime (./options says why).
import './options';

import { paths } from '../n8n/runtime';
import { prepareExperiment } from './experiments';
import { formatN8nBench, n8nEnvFrom, runN8nBench } from './n8n';
import { formatOrderTable, runOrderBench } from './order';
import { formatPipelineTable, runPipelineBench } from './pipeline';
import { formatRecordTable, runRecordBench } from './record';

async function main(): Promise<void> {
	const quick = process.argv.includes('--quick');
	const withN8n = !process.argv.includes('--without-n8n');

	console.log(
		'## The pipeline alone, per delivery (Curacel claim.vetted, HMAC-SHA256 over the raw body)\n',
	);
	console.log(formatPipelineTable(runPipelineBench()));

	console.log('\n## The record of accepted deliveries after 100,000 distinct deliveries\n');
	console.log(formatRecordTable(runRecordBench()));

	console.log(
		"\n## The order of a subject's notifications: its cost beside the same trigger without it\n",
	);
	console.log(formatOrderTable(runOrderBench()));

	if (!withN8n) return;
	prepareExperiment(paths());
	const bench = await runN8nBench({ quick, env: n8nEnvFrom(process.argv) });
	console.log(
		`\n## Inside n8n: this trigger next to n8n's own nodes, same load, same n8n${quick ? ' (--quick)' : ''}\n`,
	);
	console.log(formatN8nBench(bench));
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
