/** Types of services.js for the TypeScript tests (the scripts run as plain JS). */

export interface PostgresConnection {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	version?: string;
}

export function ensureDebianPackages(): { installed: string[]; seconds: number };
export function pgQuery<Row = Record<string, unknown>>(
	connection: PostgresConnection,
	sql: string,
	params?: unknown[],
): Promise<Row[]>;
