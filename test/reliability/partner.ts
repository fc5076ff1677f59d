/**
 * A partner as Qoala and Cermati document themselves: only HTTP 200 counts as delivered;
 * anything else — another status, a refused connection, a reset, a timeout — is retried up
 * to 8 times with exponential backoff. The intervals are shortened for the tests (first retry
 * after 250 ms, then 0.5 s, 1 s, … 32 s: 64 s in all), long enough to ride out an n8n restart.
 */
import { postDelivery, type DeliveryAnswer } from '../../sender/src/deliveries';
import { sleep } from '../e2e/harness';
import { urlOf, type Delivery } from './scenario';

export const RETRIES = 8;
export const FIRST_RETRY_MS = 250;

export interface Attempt {
	/** HTTP status, or the transport error's code (ECONNREFUSED, ECONNRESET, …). */
	outcome: number | string;
	at: number;
}

export interface Outcome {
	delivery: Delivery;
	attempts: Attempt[];
	/** The 200 answer that ended the retries; undefined when the partner gave up. */
	delivered?: DeliveryAnswer;
}

/**
 * Sends once, then retries every non-200 answer as the partner does (to `port`: n8n's by
 * default). `onAttempt` sees each attempt as soon as its answer (or failure) is in.
 */
export async function deliverLikeThePartner(
	delivery: Delivery,
	port?: number,
	onAttempt?: (attempt: Attempt) => void,
): Promise<Outcome> {
	const attempts: Attempt[] = [];
	const record = (outcome: Attempt['outcome']) => {
		const attempt = { outcome, at: Date.now() };
		attempts.push(attempt);
		onAttempt?.(attempt);
	};
	for (let attempt = 0; attempt <= RETRIES; attempt += 1) {
		if (attempt > 0) await sleep(FIRST_RETRY_MS * 2 ** (attempt - 1));
		try {
			const answer = await postDelivery(
				urlOf(delivery.trigger, port),
				delivery.body,
				delivery.headers,
			);
			record(answer.status);
			if (answer.status === 200) return { delivery, attempts, delivered: answer };
		} catch (error) {
			record((error as NodeJS.ErrnoException).code ?? (error as Error).message);
		}
	}
	return { delivery, attempts };
}

/**
 * What n8n answers every request, webhooks included, while it starts: once connected to its
 * database and until its migrations are done, a middleware of its HTTP server (AbstractServer,
 * in n8n 1.123.81, 2.40.7 and 2.41.1) sends this text with status 200, before any webhook or
 * trigger sees the request. The partner takes it for "delivered" and never sends it again.
 */
export const N8N_STARTING_UP = 'n8n is starting up. Please wait';

/** Whether the 200 that ended a delivery's retries was n8n's start-up answer. */
export const answeredWhileN8nStarted = (outcome: Outcome) =>
	outcome.delivered?.body === N8N_STARTING_UP;

/** Runs `work` over `items` with `concurrency` workers, each taking the next item when free. */
export async function withSenders<T, R>(
	items: readonly T[],
	concurrency: number,
	work: (item: T) => Promise<R>,
): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next;
			next += 1;
			results[index] = await work(items[index]);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
	return results;
}

/** How often each outcome was seen over all attempts, e.g. `{ 200: 1000, ECONNREFUSED: 40 }`. */
export function tally(outcomes: readonly Outcome[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const outcome of outcomes)
		for (const attempt of outcome.attempts)
			counts[String(attempt.outcome)] = (counts[String(attempt.outcome)] ?? 0) + 1;
	return counts;
}

/** The `deliveryKey` of each delivery the partner got a 200 for, added to `into`. */
export function rememberDeliveryKeys(
	outcomes: readonly Outcome[],
	into = new Map<Delivery, string>(),
): Map<Delivery, string> {
	for (const outcome of outcomes) {
		const key = (outcome.delivered?.json as { deliveryKey?: string } | undefined)?.deliveryKey;
		if (key) into.set(outcome.delivery, key);
	}
	return into;
}
