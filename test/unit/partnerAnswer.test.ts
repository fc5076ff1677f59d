/**
 * The Answer Insurance Partner node: what the partner receives for each answer, and the
 * mistakes it refuses to make silently (an answer that could never reach the partner).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { PartnerAnswer } from '../../index';

interface Run {
	sent: IDataObject[];
	output?: INodeExecutionData[][];
	error?: Error;
}

async function run(
	parameters: IDataObject,
	trigger: { responseMode?: string } | undefined = { responseMode: 'responseNode' },
): Promise<Run> {
	const sent: IDataObject[] = [];
	const context = {
		getInputData: () => [{ json: { deliveryKey: 'curacel|instalment|1' } }],
		getNode: () => ({
			name: 'Answer Partner',
			type: 'n8n-nodes-insurance-webhooks.partnerAnswer',
			typeVersion: 1,
		}),
		getNodeParameter: (name: string, _item: number, fallback?: unknown) =>
			parameters[name] ?? fallback,
		getParentNodes: () =>
			trigger
				? [
						{
							name: 'Curacel Trigger',
							type: 'n8n-nodes-insurance-webhooks.curacelTrigger',
							typeVersion: 2,
							disabled: false,
							parameters: trigger,
						},
					]
				: [],
		sendResponse: async (response: IDataObject) => {
			sent.push(response);
		},
		continueOnFail: () => false,
	} as unknown as IExecuteFunctions;
	try {
		return { sent, output: await new PartnerAnswer().execute.call(context) };
	} catch (error) {
		return { sent, error: error as Error };
	}
}

describe('Answer Insurance Partner', () => {
	it('acknowledges with 200 {"received": true} by default', async () => {
		const { sent, output } = await run({ answer: 'acknowledge', body: '' });
		expect(sent).toEqual([expect.objectContaining({ statusCode: 200, body: { received: true } })]);
		expect(output?.[0][0].json).toMatchObject({ answer: 'acknowledge', statusCode: 200 });
	});

	it('acknowledges with the JSON body the user wrote', async () => {
		const { sent } = await run({ answer: 'acknowledge', body: '{"authorised": true}' });
		expect(sent[0]).toMatchObject({ statusCode: 200, body: { authorised: true } });
	});

	it('declines an instalment charge with 402 and the message', async () => {
		const { sent, output } = await run({
			answer: 'decline',
			statusCode: 402,
			message: 'Insufficient funds',
		});
		expect(sent[0]).toMatchObject({
			statusCode: 402,
			body: { received: true, declined: true, message: 'Insufficient funds' },
		});
		expect(output?.[0][0].json).toMatchObject({ answer: 'decline', statusCode: 402 });
	});

	it('asks for a retry with 503 and Retry-After', async () => {
		const { sent } = await run({ answer: 'retryLater', retryAfterSeconds: 120 });
		expect(sent[0]).toMatchObject({ statusCode: 503, headers: { 'retry-after': '120' } });
	});

	it('refuses a "decline" with a 2XX status, which the partner would read as accepted', async () => {
		const { sent, error } = await run({ answer: 'decline', statusCode: 200, message: 'x' });
		expect(sent).toEqual([]);
		expect(error?.message).toMatch(/300 to 599/);
	});

	it('refuses a Response Body that is not a JSON object', async () => {
		for (const body of ['not json', '[1, 2]']) {
			const { sent, error } = await run({ answer: 'acknowledge', body });
			expect(sent).toEqual([]);
			expect(error).toBeDefined();
		}
	});

	it.each(['onReceived', 'lastNode', undefined])(
		'refuses to run after a trigger whose Respond is %s: the answer would never reach the partner',
		async (responseMode) => {
			const { sent, error } = await run({ answer: 'acknowledge' }, { responseMode });
			expect(sent).toEqual([]);
			expect(error?.message).toMatch(/answers the partner itself/);
		},
	);

	it("answers after another node's webhook too (it does not depend on n8n's version rules)", async () => {
		const { sent } = await run({ answer: 'acknowledge' }, undefined);
		expect(sent).toHaveLength(1);
	});
});
