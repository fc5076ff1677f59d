import type {
	IDataObject,
	IHookFunctions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { configuredScheme } from './authentication';
import type { DeliveryContract } from './contract';
import { deliveryRecordFor } from './deliveryRecord';
import { DeliveryRejectedError } from './errors';
import { processDelivery } from './pipeline';

/** Where a trigger keeps its state in the workflow's static data (`node:<name>` scope). */
const RECORD_KEY = 'acceptedDeliveries';
const REGISTRATION_KEY = 'registration';

/**
 * n8n calls this for every POST to the trigger's URL. It never throws: an exception here
 * would make n8n start an execution with an error, which is exactly what a forged or broken
 * delivery must not do. Rejections are answered here; accepted deliveries start the workflow.
 */
export async function receiveDelivery<Payload, Identifiers>(
	context: IWebhookFunctions,
	contract: DeliveryContract<Payload, Identifiers>,
): Promise<IWebhookResponseData> {
	const request = context.getRequestObject();
	try {
		const scheme = await configuredScheme(context, contract.authentication);
		const ignoreRepeatedDeliveries = context.getNodeParameter(
			'options.ignoreRepeatedDeliveries',
			true,
		) as boolean;
		const staticData = context.getWorkflowStaticData('node');
		const record = ignoreRepeatedDeliveries
			? deliveryRecordFor(context.getWorkflow().id ?? '', context.getNode().id)
			: undefined;
		record?.merge(staticData[RECORD_KEY]);

		// From here to the end nothing awaits, so check-and-record is atomic in this process.
		const decision = processDelivery(
			contract,
			scheme,
			{ headers: context.getHeaderData(), rawBody: rawBodyOf(request) },
			{
				selected: context.getNodeParameter(contract.filter.parameter, []) as string[],
				ignoreRepeatedDeliveries,
				record,
				receivedAt: new Date(),
			},
		);

		if (decision.action === 'ignore') {
			context.logger.debug(`Delivery ${decision.deliveryKey} ignored: ${decision.reason}`);
			return {
				webhookResponse: {
					received: true,
					ignored: decision.reason,
					deliveryKey: decision.deliveryKey,
				},
			};
		}
		if (record) staticData[RECORD_KEY] = record.persistedView() as unknown as IDataObject;
		return {
			webhookResponse: { received: true, deliveryKey: decision.item.deliveryKey },
			workflowData: [context.helpers.returnJsonArray([decision.item as unknown as IDataObject])],
		};
	} catch (error) {
		const rejection = error instanceof DeliveryRejectedError ? error : undefined;
		const status = rejection?.httpStatus ?? 500;
		const body = rejection?.toResponseBody() ?? { error: 'The delivery could not be processed' };
		// The message names the failed check, never a secret or an expected value.
		context.logger.info(`Delivery rejected with ${status}: ${body.error}`);
		if (!rejection)
			context.logger.error(`Unexpected error in ${context.getNode().type}`, { error });
		context.getResponseObject().status(status).json(body);
		return { noWebhookResponse: true };
	}
}

function rawBodyOf(request: { rawBody?: unknown }): Buffer {
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.alloc(0);
}

/**
 * The webhook lifecycle. Partners register the URL themselves (Qoala at onboarding, Cermati
 * through its subscription API, Curacel in its dashboard), so there is nothing to create
 * remotely; what n8n's lifecycle gives us is the moment to record which URL is live, so the
 * node can show it and a changed URL is noticed.
 */
export async function isRegistered(this: IHookFunctions): Promise<boolean> {
	const registration = this.getWorkflowStaticData('node')[REGISTRATION_KEY] as
		IDataObject | undefined;
	return registration?.webhookUrl === this.getNodeWebhookUrl('default');
}

export async function register(this: IHookFunctions): Promise<boolean> {
	this.getWorkflowStaticData('node')[REGISTRATION_KEY] = {
		webhookUrl: this.getNodeWebhookUrl('default') ?? null,
		activatedAt: new Date().toISOString(),
	};
	return true;
}

/**
 * Keeps the record of accepted deliveries on deactivation: a partner still retrying a
 * notification accepted before the pause must not start it twice once the workflow is back.
 */
export async function unregister(this: IHookFunctions): Promise<boolean> {
	delete this.getWorkflowStaticData('node')[REGISTRATION_KEY];
	return true;
}
