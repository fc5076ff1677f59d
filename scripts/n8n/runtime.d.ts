/** Types of runtime.js for the TypeScript tests (the scripts run as plain JS). */

export interface RuntimePaths {
	runtimeDir: string;
	/** The cached n8n itself; differs from runtimeDir only under N8N_EXPERIMENT. */
	baseRuntimeDir: string;
	/** N8N_EXPERIMENT, or '' (see scripts/bench/experiments.js). */
	experiment: string;
	nodeBin: string;
	n8nBin: string;
	n8nModules: string;
	cacheRoot: string;
}

export const DEFAULT_N8N_VERSION: string;
export const N8N_VERSION: string;
export const TESTED_N8N_VERSIONS: string[];
export function ensureN8n(): Promise<RuntimePaths>;
export function paths(): RuntimePaths;
export function node24Env(extra?: Record<string, string>): NodeJS.ProcessEnv;
