/**
 * A load generator of genuine, signed partner deliveries: distinct notifications made from the
 * partners' samples, signed with the package's own signing code (sender/src/deliveries), sent by a
 * number of concurrent senders, each delivery in one or several simultaneous copies.
 *
 *   const deliveries = distinctDeliveries(1000, { runId, targets: LOAD_TARGETS });
 *   const first = await sendAll(deliveries, { senders: 20, urlOf });            // each once
 *   const pairs = await sendAll(deliveries, { senders: 20, copies: 2, urlOf });  // twice at once
 *   summarize(first)  // answers by status, accepted / ignored, latency, requests per second
 *
 * It knows nothing about n8n or queue mode: `urlOf` says where a delivery goes (one n8n, a
 * load balancer, a webhook process), so any suite that sends load can use it.
 */
import { postDelivery, signedHeaders, type PartnerSecrets } from '../../sender/src/deliveries';
import { TEST_TRIGGERS } from '../helpers/triggers';
import { variantsOfTrigger } from '../helpers/variants';

/** Where a kind of delivery goes and what the partner signs it with. */
export interface LoadTarget {
	/** The receiving workflow (any name the caller's `urlOf` understands). */
	workflow: string;
	/** `<provider>-<event>`: the sample the deliveries are made from. */
	providerEvent: string;
	/** The partner's scheme and secrets (as in the e2e scenario's `partner`). */
	partner: PartnerSecrets & { scheme: string };
}

export interface LoadDelivery {
	/** Position in the generated list, 0-based. */
	index: number;
	workflow: string;
	providerEvent: string;
	/** The id that makes this notification distinct (claim number, trxId, …). */
	subject: string;
	body: Buffer;
	/** Content-Type plus the partner's signature headers for exactly `body`. */
	headers: Record<string, string>;
}

/**
 * How each sample is made into many distinct notifications: the trigger whose main sample it
 * is replaces the sample's subject (what the notification is about) by the id, as every suite
 * does (test/helpers/variants.ts `distinct`), so each delivery is a different notification and
 * the rest stays byte for byte. Worked out from the registry when loaded, so a new partner
 * needs no row here, and a sample without a replaceable subject fails `npm test`
 * (test/unit/testTables.test.ts loads this module) naming its trigger.
 */
const variantsByMainEvent = new Map(
	TEST_TRIGGERS.map((trigger) => [trigger.mainEvent, variantsOfTrigger(trigger)] as const),
);

export const VARIABLE_PROVIDER_EVENTS = [...variantsByMainEvent.keys()];

/**
 * `count` distinct signed deliveries, spread over `targets` in turn. `runId` goes into every
 * subject, so two runs against the same n8n never send the same notification.
 */
export function distinctDeliveries(
	count: number,
	{ runId, targets }: { runId: string; targets: readonly LoadTarget[] },
): LoadDelivery[] {
	if (targets.length === 0) throw new Error('no targets');
	const deliveries: LoadDelivery[] = [];
	for (let index = 0; index < count; index += 1) {
		const target = targets[index % targets.length];
		const variants = variantsByMainEvent.get(target.providerEvent);
		if (!variants)
			throw new Error(
				`cannot vary ${target.providerEvent}; known: ${VARIABLE_PROVIDER_EVENTS.join(', ')}`,
			);
		const id = `${runId}${String(index).padStart(6, '0')}`;
		const body = variants.distinct(id);
		deliveries.push({
			index,
			workflow: target.workflow,
			providerEvent: target.providerEvent,
			subject: id,
			body,
			headers: signedHeaders({ ...target.partner, providerEvent: target.providerEvent }, body),
		});
	}
	return deliveries;
}

export interface LoadAnswer {
	delivery: LoadDelivery;
	/** Which of the simultaneous copies (0-based). */
	copy: number;
	/** HTTP status; 0 when the request failed (see `error`). */
	status: number;
	json?: { received?: boolean; ignored?: string; deliveryKey?: string; error?: string };
	/** Response headers (e.g. a load balancer's X-Served-By). */
	headers: Record<string, string | string[] | undefined>;
	startedAt: number;
	ms: number;
	error?: string;
}

export interface SendOptions {
	/** How many senders work at the same time (each sends one delivery's copies, then the next). */
	senders: number;
	/** Copies of each delivery, sent at the same moment (default 1). */
	copies?: number;
	urlOf: (delivery: LoadDelivery) => string;
	timeoutMs?: number;
}

/**
 * Sends every delivery: `senders` concurrent senders take the deliveries in order; a sender
 * starts all `copies` of its delivery in the same tick and waits for every answer before taking
 * the next one. Resolves with one answer per copy, in delivery order; transport errors are
 * answers with status 0, never a rejection.
 */
export async function sendAll(
	deliveries: readonly LoadDelivery[],
	{ senders, copies = 1, urlOf, timeoutMs = 120000 }: SendOptions,
): Promise<LoadAnswer[]> {
	const answers: LoadAnswer[][] = new Array(deliveries.length);
	let next = 0;
	const sendOne = async (delivery: LoadDelivery, copy: number): Promise<LoadAnswer> => {
		const startedAt = Date.now();
		try {
			const answer = await postDelivery(
				urlOf(delivery),
				delivery.body,
				delivery.headers,
				timeoutMs,
			);
			return {
				delivery,
				copy,
				status: answer.status,
				json: answer.json as LoadAnswer['json'],
				headers: answer.headers,
				startedAt,
				ms: Date.now() - startedAt,
			};
		} catch (error) {
			return {
				delivery,
				copy,
				status: 0,
				headers: {},
				startedAt,
				ms: Date.now() - startedAt,
				error: (error as Error).message,
			};
		}
	};
	const sender = async () => {
		for (;;) {
			const index = next;
			next += 1;
			if (index >= deliveries.length) return;
			const delivery = deliveries[index];
			answers[index] = await Promise.all(
				Array.from({ length: copies }, (_, copy) => sendOne(delivery, copy)),
			);
		}
	};
	await Promise.all(Array.from({ length: Math.min(senders, deliveries.length) }, sender));
	return answers.flat();
}

export interface LoadSummary {
	requests: number;
	byStatus: Record<string, number>;
	transportErrors: number;
	/** 200 without `ignored`: the trigger started an execution. */
	accepted: number;
	/** 200 with `ignored` (repeated, filtered). */
	ignored: Record<string, number>;
	seconds: number;
	requestsPerSecond: number;
	latencyMs: { p50: number; p95: number; p99: number; max: number };
}

function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return 0;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function isAccepted(answer: LoadAnswer): boolean {
	return answer.status === 200 && answer.json?.received === true && !answer.json.ignored;
}

export function summarize(answers: readonly LoadAnswer[]): LoadSummary {
	const byStatus: Record<string, number> = {};
	const ignored: Record<string, number> = {};
	let accepted = 0;
	for (const answer of answers) {
		byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1;
		if (isAccepted(answer)) accepted += 1;
		const reason = answer.json?.ignored;
		if (answer.status === 200 && reason) ignored[reason] = (ignored[reason] ?? 0) + 1;
	}
	const first = Math.min(...answers.map((answer) => answer.startedAt));
	const last = Math.max(...answers.map((answer) => answer.startedAt + answer.ms));
	const seconds = answers.length > 0 ? (last - first) / 1000 : 0;
	const latencies = answers.map((answer) => answer.ms).sort((a, b) => a - b);
	return {
		requests: answers.length,
		byStatus,
		transportErrors: answers.filter((answer) => answer.status === 0).length,
		accepted,
		ignored,
		seconds: Number(seconds.toFixed(1)),
		requestsPerSecond: seconds > 0 ? Number((answers.length / seconds).toFixed(1)) : 0,
		latencyMs: {
			p50: percentile(latencies, 50),
			p95: percentile(latencies, 95),
			p99: percentile(latencies, 99),
			max: latencies.at(-1) ?? 0,
		},
	};
}
