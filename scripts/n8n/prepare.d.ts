/** Types of prepare.js for the TypeScript tests (the scripts run as plain JS). */
import type { N8nInstance } from './instance';
import type { InstalledPackage, PackedPackage } from './package';

export function prepareN8n(options: {
	runDir: string;
	credentials: unknown[];
	workflows: Array<{ id: string }>;
	env?: Record<string, string>;
	step?: <T>(name: string, work: () => T) => T;
}): Promise<{
	n8n: N8nInstance;
	packed: PackedPackage;
	installed: InstalledPackage;
	userFolder: string;
}>;
