import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { acknowledge, refuse } from './acknowledge';
import type { DeliveryContract } from './contract';
import { decide, settingsOf } from './decide';
import { openRecord } from './recordStage';
import { readRequest } from './request';

/**
 * n8n calls this for every POST to the trigger's URL. A delivery goes one way through:
 *
 *   read the request (IP allowlist, credential, raw bytes)          request.ts
 *   → open the trigger's record (static data merged in)              recordStage.ts
 *   → decide: authenticate → interpret → claim on the record          decide.ts → pipeline.ts
 *   → acknowledge per Respond mode; the answer settles the claim      acknowledge.ts
 *
 * and any refusal is answered by `refuse`. It never throws: an exception here would make n8n
 * start an execution with an error, which is exactly what a forged or broken delivery must not
 * do. The partners read only a 2XX answer as "delivered, never send again", so a notification
 * is remembered as delivered only once its answer was 2XX.
 */
export async function receiveDelivery<Payload, Identifiers>(
	context: IWebhookFunctions,
	contract: DeliveryContract<Payload, Identifiers>,
): Promise<IWebhookResponseData> {
	// The headers an alert may name: those this trigger reads, never ones the sender made up.
	const readHeaders = ['content-type'];
	try {
		const request = await readRequest(context, contract, readHeaders);
		const open = openRecord(context);
		const decision = await decide(contract, request, settingsOf(context, contract, open?.record));
		return acknowledge(context, decision, open);
	} catch (error) {
		return await refuse(context, error, readHeaders);
	}
}
