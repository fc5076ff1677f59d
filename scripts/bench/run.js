// `npm run bench`: prints the benchmark tables (see BENCHMARKS.md for the latest figures).
const { runPipelineBench, formatPipelineTable } = require('./pipeline');
const { runRecordBench, formatRecordTable } = require('./record');

console.log(
	'## The pipeline alone, per delivery (Curacel claim.vetted, HMAC-SHA256 over the raw body)\n',
);
console.log(formatPipelineTable(runPipelineBench()));

console.log('\n## The record of accepted deliveries after 100,000 distinct deliveries\n');
console.log(formatRecordTable(runRecordBench()));
