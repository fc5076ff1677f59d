/** Types of package.js for the TypeScript tests (the scripts run as plain JS). */

export interface PackedPackage {
	tarball: string;
	name: string;
	version: string;
	files: string[];
}

export interface InstalledPackage {
	packageDir: string;
	name: string;
	version: string;
}

export const REPO_DIR: string;
export function packRepository(outDir: string): PackedPackage;
export function installTarball(tarball: string, userFolder: string): InstalledPackage;
export function installedPackageDir(userFolder: string, packageName: string): string;
export function registerInstalledPackage(
	userFolder: string,
	packageDir: string,
): {
	packageName: string;
	version: string;
	nodes: Array<{ name: string; type: string; latestVersion: number }>;
};
export function queryDatabase<Row = Record<string, unknown>>(
	userFolder: string,
	sql: string,
	params?: unknown[],
): Row[];
/** Executions per workflow and status, of these workflows (of all when omitted). */
export function executionCounts(
	userFolder: string,
	workflowIds?: readonly string[],
): Array<{ workflowId: string; status: string; n: number }>;
export function n8nNodePath(): string;
