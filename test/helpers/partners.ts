import { createHash, createHmac } from 'node:crypto';

/**
 * How each partner signs, computed here independently of the package with node:crypto,
 * from the partners' documentation: the tests' golden reference.
 */
export const hmacHex = (algorithm: string, secret: string, content: Buffer | string) =>
	createHmac(algorithm, secret).update(content).digest('hex');

export const hmacBase64 = (algorithm: string, secret: string, content: Buffer | string) =>
	createHmac(algorithm, secret).update(content).digest('base64');

export const md5Hex = (content: Buffer | string, secret: string) =>
	createHash('md5').update(content).update(secret).digest('hex');

export const basic = (user: string, password: string) =>
	`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Cermati v1: HMAC-SHA256 over two body fields concatenated as sent. */
export function cermatiSignature(secretKey: string, body: Buffer, first: string): string {
	const json = JSON.parse(body.toString('utf8')) as Record<string, string>;
	return `v1=${hmacHex('sha256', secretKey, json[first] + json.updatedAt)}`;
}
