import { createHash } from 'node:crypto';
import { z } from 'zod/v4';

import { REJECTION_CHECKS, type RejectionCheck } from './errors';

/**
 * The Rejected output (Options → Output Rejected Deliveries): when the trigger refuses a
 * delivery, the partner gets the same answer as without it, and the workflow starts on a second
 * output with one item that says what was refused and why. Everything in it is safe to send
 * to a chat or a ticket: never a secret, never the signature expected or presented, never the
 * body or a header's value.
 */
export const rejectedDeliveryItem = z.object({
	rejectedAt: z.string().describe('When the trigger refused the delivery (ISO 8601, UTC)'),
	httpStatus: z
		.number()
		.describe('The status the partner was answered (400, 401, 403, 413 or 500); it retries'),
	reason: z
		.string()
		.describe(
			'Why, in the words of the answer the partner received; for a misconfiguration also what to fix (the partner is told only that the trigger is not configured correctly)',
		),
	check: z
		.enum(REJECTION_CHECKS)
		.describe(
			'Which check refused it, as a stable code (signature_mismatch, missing_header, ip_not_allowed, misconfigured, …): branch on this',
		),
	remoteAddress: z
		.string()
		.nullable()
		.describe("The sender's address as n8n determined it (behind a proxy: N8N_PROXY_HOPS)"),
	headerNames: z
		.array(z.string())
		.describe(
			'Which of the headers this trigger reads (its signature or key header, content-type) the delivery had; never their values',
		),
	bodyBytes: z
		.number()
		.nullable()
		.describe('How many bytes the body had; null when it could not be read'),
	bodySha256: z
		.string()
		.nullable()
		.describe("SHA-256 of the body's bytes (hex), to match a delivery in the partner's log"),
	suppressed: z
		.number()
		.describe(
			'How many refusals of the same check since the previous alert started nothing (at most one alert per check per interval)',
		),
});

export type RejectedDelivery = z.infer<typeof rejectedDeliveryItem>;

/** What the trigger saw of a refused delivery, gathered only when an alert is due. */
export interface RefusedRequest {
	/** The names of the headers the trigger reads that the request had (never their values). */
	headerNames: readonly string[];
	/** The body's bytes; undefined when they could not be read. */
	rawBody: Buffer | undefined;
	remoteAddress: string | undefined;
}

export interface Refusal {
	check: RejectionCheck;
	httpStatus: number;
	/** Why: the `error` of the answer the partner received, or what to fix where that hides it. */
	reason: string;
}

export function describeRejection(
	refusal: Refusal,
	request: RefusedRequest,
	rejectedAt: Date,
	suppressed: number,
): RejectedDelivery {
	const { rawBody } = request;
	return {
		rejectedAt: rejectedAt.toISOString(),
		httpStatus: refusal.httpStatus,
		reason: refusal.reason,
		check: refusal.check,
		remoteAddress: request.remoteAddress || null,
		headerNames: [...request.headerNames].sort(),
		bodyBytes: rawBody ? rawBody.length : null,
		bodySha256: rawBody ? createHash('sha256').update(rawBody).digest('hex') : null,
		suppressed,
	};
}

/** The floor of Options → Minutes Between Rejection Alerts, and its default: as often as allowed. */
export const MIN_ALERT_INTERVAL_MINUTES = 1;

/**
 * At most one alert per key (a trigger and a check) per interval, so a flood of forged
 * deliveries starts a handful of executions instead of one each; the refusals in between are
 * counted and reported as `suppressed` by the next alert of the same key.
 *
 * Kept in this process's memory: a restart starts every interval afresh, and with several
 * webhook processes (queue mode) each has its own. Bounded: the least recently alerted keys are
 * forgotten first.
 */
export class RejectionAlerts {
	private readonly byKey = new Map<string, { alertedAt: number; suppressed: number }>();

	constructor(private readonly maxKeys = 10_000) {}

	/** Whether this refusal starts an alert now and, if so, how many were suppressed before it. */
	admit(key: string, nowMs: number, intervalMs: number): { suppressed: number } | undefined {
		const state = this.byKey.get(key);
		if (state && nowMs - state.alertedAt < intervalMs) {
			state.suppressed += 1;
			return undefined;
		}
		this.byKey.delete(key);
		this.byKey.set(key, { alertedAt: nowMs, suppressed: 0 });
		if (this.byKey.size > this.maxKeys) {
			const oldest = this.byKey.keys().next();
			if (!oldest.done) this.byKey.delete(oldest.value);
		}
		return { suppressed: state?.suppressed ?? 0 };
	}

	get size(): number {
		return this.byKey.size;
	}
}

/**
 * The trigger's outputs: one, or Accepted and Rejected when the option is on. An expression, as
 * n8n's Switch and If nodes declare theirs: n8n's editor draws the outputs from it, and n8n
 * evaluates it only to route a node's errors, which this node never produces.
 */
export const triggerOutputs = `={{($parameter.options || {}).rejectedOutput ? [{ type: "main", displayName: "Accepted" }, { type: "main", displayName: "Rejected" }] : ["main"]}}`;
