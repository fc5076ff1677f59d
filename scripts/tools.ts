// n8n's own tools the checks run as is (`n8n-node lint`, the verification scanner): each has a
// folder under tools/ with a package.json and a lockfile of its own, because they bring
// hundreds of packages that nothing else uses; they stay out of the package's `npm ci` and
// install once per lockfile into the harness's cache, next to the n8n versions.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { CACHE_DIR, REPO_DIR } from './paths';

export interface InstalledTool {
	/** The node_modules the tool was installed into. */
	modules: string;
	/** The tool's version, as tools/<folder>/package.json pins it. */
	version: string;
}

/**
 * Installs tools/<folder>/ from its lockfile into `<cache>/<cacheName>-<version>/` unless the
 * same lockfile is installed there already.
 */
export function installTool(folder: string, tool: string, cacheName: string): InstalledTool {
	const source = path.join(REPO_DIR, 'tools', folder);
	const manifest = fs.readFileSync(path.join(source, 'package.json'));
	const lock = fs.readFileSync(path.join(source, 'package-lock.json'));
	const { dependencies } = JSON.parse(manifest.toString('utf8')) as {
		dependencies: Record<string, string>;
	};
	const version = dependencies[tool];
	const dir = path.join(CACHE_DIR, `${cacheName}-${version}`);
	const marker = path.join(dir, '.install-complete');
	const digest = createHash('sha256').update(manifest).update(lock).digest('hex');
	const modules = path.join(dir, 'node_modules');
	if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === digest) {
		return { modules, version };
	}
	console.log(`installing ${tool} ${version} into ${dir} (once per lockfile)`);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), manifest);
	fs.writeFileSync(path.join(dir, 'package-lock.json'), lock);
	// Scripts off: eslint-plugin-n8n-nodes-base's preinstall insists on pnpm, and the checks run
	// no installed program's setup.
	const installed = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: dir,
		stdio: 'inherit',
	});
	if (installed.status !== 0) throw new Error(`npm ci of ${tool} failed in ${dir}`);
	fs.writeFileSync(marker, digest);
	return { modules, version };
}
