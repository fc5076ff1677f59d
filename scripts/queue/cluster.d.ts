/** Types of cluster.js for the TypeScript tests (the scripts run as plain JS). */
import type { N8nInstance } from '../n8n/instance';
import type { PostgresConnection } from './services';

export type Balance = 'round-robin' | 'body-hash';

export declare class QueueCluster {
	constructor(options: { runDir: string; balance?: Balance; workerConcurrency?: number });
	runDir: string;
	balance: Balance;
	main: N8nInstance;
	worker: N8nInstance;
	webhooks: N8nInstance[];
	timings: Record<string, number>;
	services: {
		postgres: PostgresConnection;
		redis: { host: string; port: number; version: string };
		nginx: { port: number; baseUrl: string; accessLog: string; version: string; confFile: string };
	};
	start(options: {
		tarball: string;
		credentials: unknown[];
		workflows: Array<{ id: string; nodes: Array<{ webhookId?: string }> }>;
	}): Promise<QueueCluster>;
	stop(): Promise<void>;
	killNow(): void;
	baseUrl(index?: number): string;
	webhookUrl(webhookId: string, index?: number, path?: string): string;
	describe(): string;
}

export const WEBHOOK_PROCESSES: number;
export function makeRunDir(prefix?: string): string;
