/**
 * Local stand-ins for what the example workflows (docs/workflows) talk to: an HTTP server that
 * records every request (the CRM, and the Google Sheets append, see ./examples.ts) and a minimal
 * SMTP server that records every message n8n's Send Email node sends. Both listen on 127.0.0.1
 * and run in the test's own process; no dependency beyond Node.
 */
import * as http from 'node:http';
import * as net from 'node:net';

export interface RecordedRequest {
	method: string;
	/** The path without the query. */
	path: string;
	query: Record<string, string>;
	headers: http.IncomingHttpHeaders;
	/** The body parsed as JSON, or the text when it is not JSON. */
	body: unknown;
}

export interface HttpRecorder {
	url: string;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

/** Answers every request `200 {"ok": true}` and records it. */
export async function startHttpRecorder(): Promise<HttpRecorder> {
	const requests: RecordedRequest[] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const url = new URL(request.url ?? '/', 'http://stand-in');
			const text = Buffer.concat(chunks).toString('utf8');
			let body: unknown = text;
			try {
				body = JSON.parse(text);
			} catch {
				// kept as text
			}
			requests.push({
				method: request.method ?? '',
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: request.headers,
				body,
			});
			response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

export interface ReceivedMail {
	from: string;
	to: string[];
	/** The message as sent after DATA (headers and body), dot-unstuffed. */
	data: string;
	/** The Subject header, unfolded. */
	subject: string;
	/** `data` without quoted-printable soft line breaks, so a long line reads as written. */
	text: string;
}

export interface SmtpStandIn {
	host: string;
	port: number;
	messages: ReceivedMail[];
	close(): Promise<void>;
}

/**
 * Enough SMTP (RFC 5321) for nodemailer without TLS or authentication: EHLO/HELO, MAIL, RCPT,
 * DATA, RSET, NOOP, QUIT. It offers no STARTTLS, so the credential must have SSL/TLS off and
 * "Disable STARTTLS" on, and no user or password.
 */
export async function startSmtp(): Promise<SmtpStandIn> {
	const messages: ReceivedMail[] = [];
	const sockets = new Set<net.Socket>();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		let buffer = '';
		let inData = false;
		let dataLines: string[] = [];
		let from = '';
		let to: string[] = [];
		const reply = (line: string) => socket.write(`${line}\r\n`);
		const onLine = (line: string) => {
			if (inData) {
				if (line === '.') {
					inData = false;
					const data = dataLines.join('\r\n');
					const subject = /^Subject: (.*(?:\r\n[ \t].*)*)/im.exec(data)?.[1] ?? '';
					messages.push({
						from,
						to,
						data,
						subject: subject.replace(/\r\n[ \t]/g, ' '),
						text: data.replace(/=\r\n/g, ''),
					});
					dataLines = [];
					reply('250 2.0.0 Queued');
				} else dataLines.push(line.startsWith('..') ? line.slice(1) : line);
				return;
			}
			const verb = line.slice(0, 4).toUpperCase();
			if (verb === 'EHLO') reply('250-stand-in.local\r\n250-8BITMIME\r\n250 SMTPUTF8');
			else if (verb === 'HELO') reply('250 stand-in.local');
			else if (verb === 'MAIL') {
				from = /<([^>]*)>/.exec(line)?.[1] ?? '';
				to = [];
				reply('250 2.1.0 OK');
			} else if (verb === 'RCPT') {
				to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
				reply('250 2.1.5 OK');
			} else if (verb === 'DATA') {
				inData = true;
				reply('354 End data with <CR><LF>.<CR><LF>');
			} else if (verb === 'RSET' || verb === 'NOOP') reply('250 2.0.0 OK');
			else if (verb === 'QUIT') {
				reply('221 2.0.0 Bye');
				socket.end();
			} else reply('502 5.5.2 Command not implemented');
		};
		socket.on('data', (chunk: Buffer) => {
			buffer += chunk.toString('utf8');
			let end = buffer.indexOf('\r\n');
			while (end >= 0) {
				onLine(buffer.slice(0, end));
				buffer = buffer.slice(end + 2);
				end = buffer.indexOf('\r\n');
			}
		});
		reply('220 stand-in.local ESMTP');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	return {
		host: '127.0.0.1',
		port,
		messages,
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}
