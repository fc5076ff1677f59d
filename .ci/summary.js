// Adds up the jest result files of a CI run into one closing line, "N passed, N failed",
// so the run's outcome reads the same whatever runners it used. A suite that wrote no result
// file (it crashed, or its setup failed) is named, and makes the exit code non-zero.
const fs = require('node:fs');
const path = require('node:path');

const [folder, ...suites] = process.argv.slice(2);
let passed = 0;
let failed = 0;
const missing = [];
for (const suite of suites) {
	const file = path.join(folder, `${suite}.json`);
	if (!fs.existsSync(file)) {
		missing.push(suite);
		continue;
	}
	const result = JSON.parse(fs.readFileSync(file, 'utf8'));
	passed += result.numPassedTests;
	failed += result.numFailedTests;
	if (!result.success) console.log(`${suite}: jest reported a failure`);
}
if (missing.length) console.log(`no results from: ${missing.join(', ')} (see that step above)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
