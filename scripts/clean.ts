// Removes the previous builds (the node package's dist/, the partners' packages and the sender's
// sender/dist/) so a deleted source file never ships from a stale build. Runs right after the harness is compiled
// into build/ (it is part of it): there, it removes what was compiled from a source that is gone.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { REPO_DIR } from './paths';

for (const dir of ['dist', 'partner-packages', path.join('sender', 'dist')]) {
	fs.rmSync(path.join(REPO_DIR, dir), { recursive: true, force: true });
}

const build = path.join(REPO_DIR, 'build');
for (const entry of fs.readdirSync(build, { recursive: true, encoding: 'utf8' })) {
	if (!entry.endsWith('.js')) continue;
	if (!fs.existsSync(path.join(REPO_DIR, entry.replace(/\.js$/, '.ts'))))
		fs.rmSync(path.join(build, entry));
}
