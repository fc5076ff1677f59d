/**
 * Delivered means the partner was answered 2XX. The partners retry anything else up to 8
 * times, so a notification whose run failed, was declined or was cut short must not be
 * remembered: its retry has to run the workflow again. What a partner and a user would see:
 * the status of each copy and whether it starts an execution.
 */
import { CuracelTrigger } from '../../nodes/Curacel/CuracelTrigger/CuracelTrigger.node';
import { QoalaClaimTrigger } from '../../nodes/Qoala/ClaimTrigger/QoalaClaimTrigger.node';
import { IN_PROGRESS_RETRY_AFTER_SECONDS } from '../../nodes/shared/acknowledge';
import { UNANSWERED_END } from '../../nodes/shared/n8nVersions';
import { savedEntryCount } from '../../nodes/shared/persistedEntries';
import { sample } from '../helpers/samples';
import { deliver, freshN8n, type FakeN8n } from '../helpers/webhookContext';

const qoalaClaim = new QoalaClaimTrigger();
const curacel = new CuracelTrigger();

const WAITING_MODES = ['lastNode', 'responseNode'] as const;

function claimIn(responseMode: string, n8n: FakeN8n) {
	return {
		parameters: { authentication: 'none', responseMode },
		body: sample('qoala-claim'),
		n8n,
	};
}

describe.each(WAITING_MODES)('Respond: %s', (responseMode) => {
	it('runs a retry again when the first run was answered 500 (a step failed)', async () => {
		const n8n = freshN8n();
		const failed = await deliver(qoalaClaim, {
			...claimIn(responseMode, n8n),
			workflowAnswers: 500,
		});
		expect(failed).toMatchObject({ status: 500 });
		expect(failed.items).toHaveLength(1);

		const retry = await deliver(qoalaClaim, claimIn(responseMode, n8n));
		expect(retry.status).toBe(200);
		expect(retry.items).toHaveLength(1);

		const third = await deliver(qoalaClaim, claimIn(responseMode, n8n));
		expect(third.items).toHaveLength(0);
		expect(third.body).toMatchObject({ received: true, ignored: 'repeated' });
	});

	it('runs a retry again when the workflow declined it (402) or asked for a retry (503)', async () => {
		const n8n = freshN8n();
		for (const status of [402, 503]) {
			const declined = await deliver(qoalaClaim, {
				...claimIn(responseMode, n8n),
				workflowAnswers: status,
			});
			expect(declined.items).toHaveLength(1);
		}
		expect((await deliver(qoalaClaim, claimIn(responseMode, n8n))).items).toHaveLength(1);
	});

	it('runs a retry again when the connection closed before any answer (n8n stopped)', async () => {
		const n8n = freshN8n();
		await deliver(qoalaClaim, { ...claimIn(responseMode, n8n), workflowAnswers: 'connectionLost' });
		expect((await deliver(qoalaClaim, claimIn(responseMode, n8n))).items).toHaveLength(1);
	});

	it('answers a copy that arrives while the first is running 409 with Retry-After, starting nothing', async () => {
		const n8n = freshN8n();
		const first = await deliver(qoalaClaim, {
			...claimIn(responseMode, n8n),
			workflowAnswers: 'later',
		});
		expect(first.items).toHaveLength(1);

		const copy = await deliver(qoalaClaim, claimIn(responseMode, n8n));
		expect(copy.status).toBe(409);
		expect(copy.items).toHaveLength(0);
		expect(copy.body).toMatchObject({ received: true, inProgress: true });
		expect(copy.raw).toEqual({ noWebhookResponse: true });

		first.respond(200);
		const retry = await deliver(qoalaClaim, claimIn(responseMode, n8n));
		expect(retry.body).toMatchObject({ ignored: 'repeated' });
		expect(retry.items).toHaveLength(0);
	});

	it('lets the next copy run when the first one, still running then, fails', async () => {
		const n8n = freshN8n();
		const first = await deliver(qoalaClaim, {
			...claimIn(responseMode, n8n),
			workflowAnswers: 'later',
		});
		expect((await deliver(qoalaClaim, claimIn(responseMode, n8n))).status).toBe(409);
		first.respond(500);
		expect((await deliver(qoalaClaim, claimIn(responseMode, n8n))).items).toHaveLength(1);
	});

	it('remembers a notification answered 2XX in static data with the next request', async () => {
		const n8n = freshN8n();
		await deliver(qoalaClaim, claimIn(responseMode, n8n));
		// A filtered delivery starts nothing, so n8n saves static data: the record goes with it.
		await deliver(qoalaClaim, {
			...claimIn(responseMode, n8n),
			parameters: { authentication: 'none', responseMode, statuses: ['CLAIM_INITIATE'] },
			body: sample('qoala-claim').toString('utf8').replace('CLM-2024-000123', 'CLM-OTHER'),
		});
		const saved = JSON.stringify(n8n.staticData);
		expect(saved).toContain('acceptedDeliveries');
		expect(
			savedEntryCount(
				(n8n.staticData['node:Trigger'] as { acceptedDeliveries: unknown }).acceptedDeliveries,
			),
		).toBe(1);
	});
});

describe('Respond: Immediately (onReceived)', () => {
	it('remembers the notification once the execution started, as before', async () => {
		const n8n = freshN8n();
		const first = await deliver(qoalaClaim, claimIn('onReceived', n8n));
		expect(first.status).toBe(200);
		const retry = await deliver(qoalaClaim, claimIn('onReceived', n8n));
		expect(retry.body).toMatchObject({ ignored: 'repeated' });
	});

	it('answers a copy at the same moment as a repeat: the first is delivered when it starts', async () => {
		const n8n = freshN8n();
		await deliver(qoalaClaim, { ...claimIn('onReceived', n8n), workflowAnswers: 'later' });
		const copy = await deliver(qoalaClaim, claimIn('onReceived', n8n));
		expect(copy.body).toMatchObject({ ignored: 'repeated' });
	});
});

describe('Respond: responseNode, when the run ends without any answer node answering', () => {
	const later = (n8n: FakeN8n) => ({
		...claimIn('responseNode', n8n),
		workflowAnswers: 'later' as const,
	});

	// What each n8n version writes when a response-node run ends with nobody answering (read in
	// each version's webhook-helpers.js and webhook-request-handler.js, sendLegacyResponse).
	it.each<[string, number | undefined, 'json' | 'send']>([
		['n8n 1.123: no status, res.json(undefined)', undefined, 'json'],
		['n8n 2.40 and 2.41: res.status(200), res.json(undefined)', 200, 'json'],
		['a body-less res.send()', 200, 'send'],
	])("turns %s into 500, and runs the partner's retry again", async (_n8n, status, via) => {
		const n8n = freshN8n();
		const first = await deliver(qoalaClaim, later(n8n));
		expect(first.write(status, undefined, via)).toEqual({
			status: 500,
			body: { error: UNANSWERED_END },
		});
		const retry = await deliver(qoalaClaim, claimIn('responseNode', n8n));
		expect(retry.items).toHaveLength(1);
	});

	it('passes an Answer Insurance Partner answer through, and remembers an acknowledged one', async () => {
		const n8n = freshN8n();
		const first = await deliver(qoalaClaim, later(n8n));
		expect(first.write(200, { received: true })).toEqual({
			status: 200,
			body: { received: true },
		});
		const retry = await deliver(qoalaClaim, claimIn('responseNode', n8n));
		expect(retry.body).toMatchObject({ ignored: 'repeated' });
	});

	it('never lets an unanswered instalment.due through as 2XX (that would authorise the charge)', async () => {
		const first = await deliver(curacel, {
			parameters: { authentication: 'none', responseMode: 'responseNode' },
			body: sample('curacel-instalment.due'),
			n8n: freshN8n(),
			workflowAnswers: 'later',
		});
		expect(first.write(200, undefined).status).toBe(500);
	});

	it("passes n8n 2.x's own 500 for a failed run through", async () => {
		const first = await deliver(qoalaClaim, later(freshN8n()));
		expect(first.write(500, { message: 'Error in workflow' })).toEqual({
			status: 500,
			body: { message: 'Error in workflow' },
		});
	});

	it('changes no static data while the response node answers (n8n 1.123 would answer an empty 200)', async () => {
		const n8n = freshN8n();
		const first = await deliver(qoalaClaim, later(n8n));
		expect(first.items).toHaveLength(1);
		expect(first.savedStaticData).toBe(false);
		first.write(200, { received: true });
		// Remembered in memory all the same: the retry is a repeat.
		const retry = await deliver(qoalaClaim, claimIn('responseNode', n8n));
		expect(retry.body).toMatchObject({ ignored: 'repeated' });
	});

	it('leaves the other Respond modes alone', async () => {
		const first = await deliver(qoalaClaim, {
			...claimIn('lastNode', freshN8n()),
			workflowAnswers: 'later',
		});
		expect(first.write(undefined, undefined)).toEqual({ status: 200, body: undefined });
	});
});

describe('the in-progress answer', () => {
	it('is sent with a Retry-After header', async () => {
		const n8n = freshN8n();
		await deliver(qoalaClaim, { ...claimIn('lastNode', n8n), workflowAnswers: 'later' });
		const copy = await deliver(qoalaClaim, claimIn('lastNode', n8n));
		expect(copy.headers['retry-after']).toBe(String(IN_PROGRESS_RETRY_AFTER_SECONDS));
	});
});

describe('the test URL ("Listen for test event")', () => {
	it('never makes the production URL call a notification a repeat', async () => {
		const n8n = freshN8n();
		const test = await deliver(qoalaClaim, { ...claimIn('onReceived', n8n), mode: 'manual' });
		expect(test.items).toHaveLength(1);
		const production = await deliver(qoalaClaim, claimIn('onReceived', n8n));
		expect(production.items).toHaveLength(1);
	});

	it('runs every copy sent to it, and leaves the production record as it was', async () => {
		const n8n = freshN8n();
		await deliver(qoalaClaim, claimIn('onReceived', n8n));
		const before = JSON.stringify(n8n.staticData);
		const test = await deliver(qoalaClaim, { ...claimIn('onReceived', n8n), mode: 'manual' });
		expect(test.items).toHaveLength(1);
		expect(JSON.stringify(n8n.staticData)).toBe(before);
		const production = await deliver(qoalaClaim, claimIn('onReceived', n8n));
		expect(production.body).toMatchObject({ ignored: 'repeated' });
	});
});

describe("Curacel's instalment.due (the answer is the decision)", () => {
	it('reaches the workflow on every copy, whatever the first was answered', async () => {
		const n8n = freshN8n();
		const delivery = {
			parameters: { authentication: 'none', responseMode: 'responseNode' },
			body: sample('curacel-instalment.due'),
			n8n,
		};
		expect((await deliver(curacel, { ...delivery, workflowAnswers: 200 })).items).toHaveLength(1);
		expect((await deliver(curacel, { ...delivery, workflowAnswers: 'later' })).items).toHaveLength(
			1,
		);
		expect((await deliver(curacel, delivery)).items).toHaveLength(1);
	});
});
