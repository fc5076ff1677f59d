// `npm run bench`: prints the benchmark tables (see BENCHMARKS.md for the latest figures).
const { runPipelineBench, formatPipelineTable } = require('./pipeline');

console.log(
	'## The pipeline alone, per delivery (Curacel claim.vetted, HMAC-SHA256 over the raw body)\n',
);
console.log(formatPipelineTable(runPipelineBench()));
