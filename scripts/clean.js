// Removes the previous builds (the node package's dist/ and the sender's sender/dist/) so a
// deleted source file never ships from a stale build.
const fs = require('node:fs');
const path = require('node:path');

for (const dir of ['dist', path.join('sender', 'dist')]) {
	fs.rmSync(path.join(__dirname, '..', dir), { recursive: true, force: true });
}
