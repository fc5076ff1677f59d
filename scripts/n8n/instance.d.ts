/** Types of instance.js for the TypeScript tests (the scripts run as plain JS). */
import type { IncomingHttpHeaders } from 'node:http';

export declare class N8nInstance {
	constructor(options: { userFolder: string; port: number; brokerPort: number; logFile?: string });
	static create(options: {
		userFolder: string;
		port?: number;
		logFile?: string;
	}): Promise<N8nInstance>;
	userFolder: string;
	port: number;
	brokerPort: number;
	logFile: string;
	pid: number | undefined;
	readonly baseUrl: string;
	webhookUrl(webhookId: string, path?: string): string;
	importCredentials(credentials: unknown[]): void;
	importWorkflows(workflows: Array<{ id: string }>, options?: { publish?: boolean }): void;
	start(options?: { timeoutMs?: number }): Promise<N8nInstance>;
	waitForPublished(workflowIds: string[], options?: { timeoutMs?: number }): Promise<void>;
	waitForWebhooks(urls: string[], options?: { timeoutMs?: number }): Promise<void>;
	stop(options?: { timeoutMs?: number }): Promise<{ killed: boolean }>;
	killNow(): void;
	logTail(lines?: number): string;
}

export function freePort(): Promise<number>;
export function setUpOwner(
	baseUrl: string,
	owner: { email: string; firstName: string; lastName: string; password: string },
): Promise<{ name: string; value: string }>;
export function request(
	method: string,
	url: string,
	options?: { headers?: Record<string, string>; body?: string; timeoutMs?: number },
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>;
/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void>;
