/**
 * Lets the real-n8n suites skip a build that is already current. Each suite used to run
 * `npm run build` in its setup (~25 s, five times in a CI run, after `npm test` had just built).
 *
 *   node build/scripts/build-stamp.js begin    (npm run build, first step after the harness)
 *   node build/scripts/build-stamp.js finish   (npm run build, last step)
 *
 * `begin` records a digest of the repository's files as the build starts reading them; `finish`
 * makes it the build's stamp only once every step has passed. A build that fails, or any file
 * added, removed or edited since, leaves no matching stamp, so the next suite builds again.
 */
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { REPO_DIR } from './paths';

const STAMP = path.join(REPO_DIR, 'build', 'sources.sha256');
const PENDING = `${STAMP}.pending`;

/**
 * SHA-256 over every file git does not ignore (tracked or new), by path and content; undefined
 * outside a git checkout, where nothing is skipped.
 */
export function sourcesDigest(root = REPO_DIR): string | undefined {
	let listed: string;
	try {
		listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
			cwd: root,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
			maxBuffer: 64 * 1024 * 1024,
		});
	} catch {
		return undefined;
	}
	const hash = crypto.createHash('sha256');
	for (const file of [...new Set(listed.split('\0').filter(Boolean))].sort()) {
		const absolute = path.join(root, file);
		// A tracked file deleted in the work tree is listed but gone.
		if (!fs.existsSync(absolute)) continue;
		hash.update(`${file}\0${fs.statSync(absolute).size}\0`);
		hash.update(fs.readFileSync(absolute));
	}
	return hash.digest('hex');
}

/** Runs `npm run build` unless the last one finished on exactly these files; says which. */
export function buildUnlessCurrent(): 'built' | 'current' {
	const digest = sourcesDigest();
	const stamp = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8') : undefined;
	if (digest !== undefined && stamp === digest) return 'current';
	execFileSync('npm', ['run', 'build'], { cwd: REPO_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
	return 'built';
}

if (require.main === module) {
	const [command] = process.argv.slice(2);
	if (command === 'begin') {
		fs.rmSync(STAMP, { force: true });
		const digest = sourcesDigest();
		if (digest === undefined) fs.rmSync(PENDING, { force: true });
		else fs.writeFileSync(PENDING, digest);
	} else if (command === 'finish') {
		if (fs.existsSync(PENDING)) fs.renameSync(PENDING, STAMP);
	} else {
		throw new Error(`usage: build-stamp.js begin|finish, not ${command}`);
	}
}
