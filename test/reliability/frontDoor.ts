/**
 * What stands in front of n8n in production — a reverse proxy — reduced to what a restart
 * needs. It forwards every request to n8n; while closed, it answers new requests 503 with
 * `Connection: close` (the partners retry them) and lets the requests it already forwarded
 * finish. Closing it and waiting is how n8n 2.40.7 can be stopped without cutting executions
 * short: n8n itself keeps accepting webhooks while it shuts down (see docs/reliability.md).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export class FrontDoor {
	private readonly server: http.Server;

	private open = true;

	private inFlight = 0;

	private idle: Array<() => void> = [];

	/** `upstreamPort` is read per request: n8n keeps its port across a restart, but not forever. */
	constructor(private readonly upstreamPort: () => number) {
		this.server = http.createServer((request, response) => this.handle(request, response));
	}

	async listen(): Promise<number> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		return (this.server.address() as AddressInfo).port;
	}

	/** Stops forwarding; resolves once every forwarded request has its answer. */
	async close(): Promise<void> {
		this.open = false;
		if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
	}

	reopen(): void {
		this.open = true;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}

	private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
		if (!this.open) {
			request.resume();
			response.writeHead(503, { 'Retry-After': '5', Connection: 'close' });
			response.end('n8n is restarting');
			return;
		}
		this.inFlight += 1;
		let done = false;
		const finish = () => {
			if (done) return;
			done = true;
			this.inFlight -= 1;
			if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
		};
		response.on('close', finish);
		const upstream = http.request(
			{
				host: '127.0.0.1',
				port: this.upstreamPort(),
				method: request.method,
				path: request.url,
				headers: request.headers,
			},
			(answer) => {
				response.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(response);
			},
		);
		upstream.on('error', () => {
			if (!response.headersSent) response.writeHead(502, { Connection: 'close' });
			response.end();
		});
		request.pipe(upstream);
	}
}
