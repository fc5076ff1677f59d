// After `tsc -p sender/tsconfig.json` (which compiles sender/src and the node sources it imports
// into sender/dist/): copies the partners' sample payloads next to them, where the sender reads
// them (sender/dist/samples/), and makes the bin executable. The node package's tarball holds
// none of this: the sender is its own package (sender/package.json).
import * as fs from 'node:fs';
import * as path from 'node:path';

import { REPO_DIR as root } from './paths';

const dist = path.join(root, 'sender', 'dist');
const samples = path.join(dist, 'samples');

fs.mkdirSync(samples, { recursive: true });
for (const name of fs.readdirSync(path.join(root, 'samples'))) {
	if (name.endsWith('.json'))
		fs.copyFileSync(path.join(root, 'samples', name), path.join(samples, name));
}
const { bin } = JSON.parse(fs.readFileSync(path.join(root, 'sender', 'package.json'), 'utf8')) as {
	bin: Record<string, string>;
};
for (const file of Object.values(bin)) fs.chmodSync(path.join(root, 'sender', file), 0o755);
