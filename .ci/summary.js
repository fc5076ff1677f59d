// Adds up the jest result files of a CI run into one closing line, "N passed, N failed",
// so the run's outcome reads the same whatever runners it used.
const fs = require('node:fs');

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
	const result = JSON.parse(fs.readFileSync(file, 'utf8'));
	passed += result.numPassedTests;
	failed += result.numFailedTests;
}
console.log(`${passed} passed, ${failed} failed`);
