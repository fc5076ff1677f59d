import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { httpAnswerOf, type Answer, type PartnerAnswerItem } from './answer';

export class PartnerAnswer implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Answer Insurance Partner',
		name: 'partnerAnswer',
		icon: { light: 'file:answer.svg', dark: 'file:answer.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["answer"]}}',
		description:
			'Answers the partner that sent the notification: acknowledge it, decline it, or ask for a retry',
		defaults: { name: 'Answer Partner' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// An AI agent in a workflow started by one of these triggers may decide the answer itself.
		usableAsTool: true,
		properties: [
			{
				displayName:
					"Set the trigger's <b>Respond</b> to <b>Using a Response Node</b>. The partner counts the notification as delivered only when it is acknowledged; a decline or a retry request makes it send the notification again (up to 8 times), and so does a workflow that fails before reaching this node.",
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Answer',
				name: 'answer',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Acknowledge',
						value: 'acknowledge',
						description: 'Answer 200: received, the partner will not send it again',
					},
					{
						name: 'Decline',
						value: 'decline',
						description:
							"Answer with a status outside 2XX and a message. For Curacel's instalment.due this declines the charge (402).",
					},
					{
						name: 'Ask the Partner to Retry Later',
						value: 'retryLater',
						description: 'Answer 503 with Retry-After: the partner sends the notification again',
					},
				],
				default: 'acknowledge',
			},
			{
				displayName: 'Response Body',
				name: 'body',
				type: 'json',
				default: '',
				description: 'Optional JSON object to send. Empty sends {"received": true}.',
				displayOptions: { show: { answer: ['acknowledge'] } },
			},
			{
				displayName: 'Status Code',
				name: 'statusCode',
				type: 'number',
				typeOptions: { minValue: 300, maxValue: 599 },
				default: 402,
				description:
					'Any status from 300 to 599. 402 is what Curacel reads as "charge declined" for instalment.due.',
				displayOptions: { show: { answer: ['decline'] } },
			},
			{
				displayName: 'Message',
				name: 'message',
				type: 'string',
				default: 'Declined',
				description: 'Why the notification is declined, in the answer\'s "message" field',
				displayOptions: { show: { answer: ['decline'] } },
			},
			{
				displayName: 'Retry After (Seconds)',
				name: 'retryAfterSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 60,
				description: 'How long the partner is asked to wait, in the Retry-After header',
				displayOptions: { show: { answer: ['retryLater'] } },
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		try {
			refuseWhenTheTriggerAnswersItself(this);
			const answer = this.getNodeParameter('answer', 0) as Answer;
			const response = httpAnswerOf({
				answer,
				body: answer === 'acknowledge' ? jsonParameter(this, 'body') : undefined,
				statusCode:
					answer === 'decline' ? (this.getNodeParameter('statusCode', 0) as number) : undefined,
				message: answer === 'decline' ? (this.getNodeParameter('message', 0) as string) : undefined,
				retryAfterSeconds:
					answer === 'retryLater'
						? (this.getNodeParameter('retryAfterSeconds', 0) as number)
						: undefined,
			});
			await this.sendResponse({ ...response, body: response.body as IDataObject });
			const item: PartnerAnswerItem = {
				answer,
				statusCode: response.statusCode,
				body: response.body,
				answeredAt: new Date().toISOString(),
			};
			return [[{ json: item as unknown as IDataObject, pairedItem: { item: 0 } }]];
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			if (this.continueOnFail()) return [[{ json: { error: message }, pairedItem: { item: 0 } }]];
			throw error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.getNode(), message);
		}
	}
}

/**
 * A trigger of this package that answers on its own (Immediately, When Last Node Finishes) has
 * already answered or will: this node's answer would never reach the partner. Say so instead.
 */
function refuseWhenTheTriggerAnswersItself(context: IExecuteFunctions): void {
	const packageName = context.getNode().type.split('.')[0];
	const trigger = context
		.getParentNodes(context.getNode().name, { includeNodeParameters: true })
		.find((node) => node.type.startsWith(`${packageName}.`) && node.parameters !== undefined);
	const responseMode = trigger?.parameters?.responseMode ?? 'onReceived';
	if (trigger && responseMode !== 'responseNode') {
		throw new NodeOperationError(
			context.getNode(),
			`"${trigger.name}" answers the partner itself, so this answer would never reach it`,
			{ description: 'Set the trigger\'s Respond to "Using a Response Node".' },
		);
	}
}

function jsonParameter(context: IExecuteFunctions, name: string): unknown {
	const value = context.getNodeParameter(name, 0, '') as unknown;
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		throw new NodeOperationError(context.getNode(), 'The Response Body is not valid JSON');
	}
}
