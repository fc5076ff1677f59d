import { sleep, type IWebhookFunctions } from 'n8n-workflow';

/**
 * What the triggers do because of how particular n8n versions behave, each with the versions
 * it is for (README's Compatibility lists the versions measured). Nothing else in the package
 * depends on an n8n version.
 */

type ResponseObject = ReturnType<IWebhookFunctions['getResponseObject']>;

export const UNANSWERED_END =
	'The workflow ended without answering: a step failed, or no Answer Insurance Partner node ran';

/**
 * n8n 1.123, 2.40 and 2.41, Respond "Using a Response Node": when the run ends without any
 * response node having answered, n8n answers the partner itself — 1.123 with no status and no
 * body, 2.40 and 2.41 with `200` and no body (`res.status(200)`, then `res.json(undefined)`),
 * also when a step failed before the Answer Insurance Partner node in 1.123. To the partner
 * that 200 means "delivered, never resend" (for Curacel's instalment.due: "charge the card"),
 * yet nobody in the workflow decided it. A node's answer always has a body (the Answer
 * Insurance Partner node's is never empty), so what n8n writes without one is that end,
 * whatever status it set: it becomes a 500, which the partner resends and which authorises
 * nothing.
 */
export function refuseAnUnansweredEnd(response: ResponseObject): void {
	const json = response.json.bind(response);
	const send = response.send.bind(response);
	const unanswered = () => {
		response.status(500);
		return json({ error: UNANSWERED_END });
	};
	response.json = (body?: unknown) => (body === undefined ? unanswered() : json(body));
	response.send = (body?: unknown) => (isEmptyBody(body) ? unanswered() : send(body));
}

function isEmptyBody(body: unknown): boolean {
	return (
		body === undefined ||
		body === null ||
		body === '' ||
		(Buffer.isBuffer(body) && body.length === 0)
	);
}

/**
 * n8n 2.40 and 2.41, a delivery that starts an execution: n8n builds a second workflow object
 * over the same static data before it saves, which resets the "changed" flag its save checks,
 * so a change made in `webhook()` alone never reaches the database. That rebuild runs before
 * n8n's first database wait after `webhook()` returns; the save only comes after several. So
 * `write` runs now, again once the event loop has turned (n8n's own `sleep`), and once more
 * later for a slow turn. (n8n 1.123 saves the first write; the others are harmless.)
 */
export function writeStaticDataPastTheRebuild(write: () => void): void {
	write();
	for (const delayMs of REWRITE_DELAYS_MS) void sleep(delayMs).then(write);
}
const REWRITE_DELAYS_MS = [0, 25];

/**
 * n8n 1.123 (and 2.40, which would drop it anyway), Respond "Using a Response Node": n8n ends
 * the response on the next tick after the node answers, and a static-data save in between
 * delays n8n's own writing of the answer past that end; 1.123 then sends an empty 200 whatever
 * the node answered. So a delivery a response node answers changes no static data.
 */
export const SAVES_STATIC_DATA_WITH_A_RESPONSE_NODE = false;
