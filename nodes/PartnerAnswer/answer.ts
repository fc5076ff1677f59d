import { z } from 'zod/v4';

/**
 * What the Partner Answer node sends and outputs. The partners read only 2XX as "delivered":
 * acknowledging ends their retries, anything else makes them send the notification again
 * (and, for Curacel's instalment.due, declines the charge).
 */
export const ANSWERS = ['acknowledge', 'decline', 'retryLater'] as const;
export type Answer = (typeof ANSWERS)[number];

/** The node's output item: the answer as the partner received it. */
export const partnerAnswerItem = z.object({
	answer: z.enum(ANSWERS).describe('acknowledge, decline or retryLater'),
	statusCode: z.number().int().describe('The HTTP status the partner received'),
	body: z.looseObject({}).describe('The JSON body the partner received'),
	answeredAt: z.string().describe('When the answer was sent (ISO 8601)'),
});
export type PartnerAnswerItem = z.infer<typeof partnerAnswerItem>;

export interface AnswerSettings {
	answer: Answer;
	/** Acknowledge: the JSON body to send; empty sends `{ "received": true }`. */
	body?: unknown;
	/** Decline: a status outside 2XX (402 declines a Curacel instalment). */
	statusCode?: number;
	message?: string;
	/** Retry later: seconds the partner is asked to wait. */
	retryAfterSeconds?: number;
}

export interface HttpAnswer {
	statusCode: number;
	headers: Record<string, string>;
	body: Record<string, unknown>;
}

/** The HTTP answer for these settings; throws a plain Error naming what is wrong with them. */
export function httpAnswerOf(settings: AnswerSettings): HttpAnswer {
	const json = { 'content-type': 'application/json; charset=utf-8' };
	switch (settings.answer) {
		case 'acknowledge': {
			const body = settings.body ?? {};
			if (typeof body !== 'object' || body === null || Array.isArray(body))
				throw new Error('The Response Body must be a JSON object, e.g. { "received": true }');
			const fields = body as Record<string, unknown>;
			return {
				statusCode: 200,
				headers: json,
				body: Object.keys(fields).length ? fields : { received: true },
			};
		}
		case 'decline': {
			const statusCode = settings.statusCode ?? 402;
			if (!Number.isInteger(statusCode) || statusCode < 300 || statusCode > 599)
				throw new Error(
					`A decline needs a status from 300 to 599 (the partners read 2XX as accepted); got ${statusCode}`,
				);
			return {
				statusCode,
				headers: json,
				body: { received: true, declined: true, message: settings.message || 'Declined' },
			};
		}
		case 'retryLater': {
			const seconds = settings.retryAfterSeconds ?? 60;
			if (!Number.isInteger(seconds) || seconds < 0)
				throw new Error(`Retry After must be a whole number of seconds; got ${seconds}`);
			return {
				statusCode: 503,
				headers: { ...json, 'retry-after': String(seconds) },
				body: {
					received: true,
					retryLater: true,
					message: settings.message || 'Not processed yet; please send this notification again',
				},
			};
		}
	}
}
