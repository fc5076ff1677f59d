/**
 * The package on an n8n older than 2.35, whose n8n-workflow has no native webhook resolvers:
 * the nodes must still load and declare the same Respond templates, which n8n then evaluates
 * with its expression engine as it always did.
 */
import type { IWebhookDescription } from 'n8n-workflow';

function partnerWebhookWith(n8nWorkflow: () => object): IWebhookDescription {
	let webhook: IWebhookDescription | undefined;
	jest.isolateModules(() => {
		jest.doMock('n8n-workflow', n8nWorkflow);
		({ partnerWebhook: webhook } = jest.requireActual<{ partnerWebhook: IWebhookDescription }>(
			'../../nodes/shared/description',
		));
	});
	jest.dontMock('n8n-workflow');
	return webhook as IWebhookDescription;
}

it('declares the same Respond templates, without resolvers, on an n8n-workflow that lacks them', () => {
	const actual = jest.requireActual<object>('n8n-workflow');
	const current = partnerWebhookWith(() => actual);
	const older = partnerWebhookWith(() => ({
		...actual,
		webhookDescriptionFields: undefined,
		fromFunction: undefined,
	}));
	expect(Object.getOwnPropertySymbols(current)).toHaveLength(1);
	expect(Object.getOwnPropertySymbols(older)).toEqual([]);
	expect(older).toEqual({
		name: 'default',
		httpMethod: 'POST',
		path: 'webhook',
		responseMode: current.responseMode,
		responseData: current.responseData,
	});
	expect(older.responseData).toMatch(/^=\{\{\(.*\)\(\$parameter\)\}\}$/);
});
