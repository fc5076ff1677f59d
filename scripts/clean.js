// Removes the previous build so a deleted source file never ships from a stale dist/.
require('node:fs').rmSync(require('node:path').join(__dirname, '..', 'dist'), {
	recursive: true,
	force: true,
});
