/**
 * The bad-input table's HTTP client: sends exactly what a row says — any method, repeated
 * headers, any bytes, from any loopback address — and hands back the answer as it came.
 */
import * as http from 'node:http';

import { readAnswer } from '../../../sender/src/deliveries';

export type Headers = Record<string, string | string[]>;

export interface Request {
	method?: string;
	headers: Headers;
	body: Buffer;
	/** The client address to send from (another loopback address, e.g. 127.0.0.2). */
	localAddress?: string;
}

export interface Answer {
	status: number;
	body: string;
	json?: unknown;
}

export function send(url: string, request: Request): Promise<Answer> {
	const method = request.method ?? 'POST';
	const withBody = method !== 'GET' && method !== 'HEAD';
	return new Promise((resolve, reject) => {
		let answered = false;
		const req = http.request(
			url,
			{
				method,
				agent: false,
				timeout: 120000,
				localAddress: request.localAddress,
				headers: {
					...request.headers,
					...(withBody ? { 'Content-Length': String(request.body.length) } : {}),
				},
			},
			(response) => {
				answered = true;
				readAnswer(response).then(
					({ status, body, json }) => resolve({ status, body, json }),
					reject,
				);
			},
		);
		req.on('timeout', () => req.destroy(new Error('no answer within 120 s')));
		// A server that answers before it has read the whole body (413) may reset the upload;
		// the answer already came, so only an error before any answer counts.
		req.on('error', (error) => {
			if (!answered) reject(error);
		});
		req.end(withBody ? request.body : undefined);
	});
}
