/**
 * Every trigger inside a real n8n 2.40.7, loaded from the packed tarball: rejected deliveries
 * start nothing, a genuine one starts exactly one execution whose item reaches the CRM
 * intact, a repeat starts nothing (also after a restart), a filtered status starts nothing.
 */
import { readSample, signedHeaders, type SentDelivery } from '../../sender/src/deliveries';
import { deliver, expectItemFor, expectQuiet, recordOf, sampleWith } from './deliver';
import {
	crmRecords,
	executions,
	finishedExecutions,
	restartN8n,
	settledInDatabase,
	sleep,
	waitFor,
	QUIET_PERIOD_MS,
} from './harness';
import { TEST_TRIGGERS, type TestTrigger } from '../helpers/triggers';
import { forgedDelivery, variantsOfTrigger } from '../helpers/variants';
import { spec, workflowId, type WorkflowKey } from './scenario';

const NOT_JSON = 'status=APPROVED&id=1';

/** What the rejection tests send each trigger, worked out from its contract and samples. */
interface TriggerCase {
	/** A delivery whose credential does not prove it: made-up key, or a signature over other content. */
	forged(): Promise<SentDelivery>;
	/** The main sample without a field the partner always sends, and that field's path. */
	withoutRequired: { providerEvent: string; body: unknown; path: string };
	/** Headers that pass the header checks for a body that cannot be signed (not JSON). */
	unsignableHeaders?: Record<string, string>;
}

function caseOf(trigger: TestTrigger): TriggerCase {
	const variants = variantsOfTrigger(trigger);
	const { mainEvent } = trigger;
	const sign = (body: Buffer, secret?: string) =>
		signedHeaders(
			{ ...spec(trigger.key).partner, providerEvent: mainEvent, ...(secret ? { secret } : {}) },
			body,
		);
	let unsignableHeaders: Record<string, string> | undefined;
	try {
		sign(Buffer.from(NOT_JSON));
	} catch {
		// A partner that signs body fields (Cermati) cannot sign what is not JSON: the headers of
		// its sample have the right form.
		unsignableHeaders = sign(readSample(mainEvent));
	}
	return {
		forged: async () => {
			const forged = forgedDelivery(variants, readSample(mainEvent), sign);
			return await deliver(trigger.key, mainEvent, { scheme: 'none', ...forged });
		},
		withoutRequired: {
			providerEvent: mainEvent,
			body: variants.withoutRequired.body,
			path: variants.withoutRequired.field,
		},
		unsignableHeaders,
	};
}

/** Every trigger of the registry, with its samples and its case. */
const TRIGGERS = TEST_TRIGGERS.map(
	(trigger): TriggerCase & { key: WorkflowKey; providerEvents: string[] } => ({
		key: trigger.key,
		providerEvents: trigger.providerEvents,
		...caseOf(trigger),
	}),
);

describe.each(TRIGGERS)('$key trigger', (trigger) => {
	const id = workflowId(trigger.key);
	const first = trigger.providerEvents[0];

	describe('deliveries it must reject', () => {
		const answers: Record<string, SentDelivery> = {};

		beforeAll(async () => {
			answers.unsigned = await deliver(trigger.key, first, { scheme: 'none' });
			answers.wrongSecret = await deliver(trigger.key, first, { secret: 'not-the-secret-0000' });
			answers.forged = await trigger.forged();
			// Declared as text: n8n passes it on and the trigger refuses it.
			answers.notJson = await deliver(trigger.key, first, {
				body: NOT_JSON,
				...(trigger.unsignableHeaders ? { scheme: 'none' } : {}),
				headers: { ...trigger.unsignableHeaders, 'Content-Type': 'text/plain' },
			});
			// Declared as JSON: n8n's own body parser refuses it before the trigger runs.
			answers.notJsonDeclaredJson = await deliver(trigger.key, first, {
				body: NOT_JSON,
				...(trigger.unsignableHeaders
					? { scheme: 'none', headers: trigger.unsignableHeaders }
					: {}),
			});
			answers.missingField = await deliver(trigger.key, trigger.withoutRequired.providerEvent, {
				body: JSON.stringify(trigger.withoutRequired.body),
			});
		});

		it.each(['unsigned', 'wrongSecret', 'forged'])(
			'answers a %s delivery 401 with a JSON error',
			(name) => {
				expect(answers[name].status).toBe(401);
				expect(answers[name].json).toEqual({ error: expect.any(String) });
			},
		);

		it('answers a body that is not JSON 400 with an error and issues', () => {
			expect(answers.notJson.status).toBe(400);
			expect(answers.notJson.json).toEqual({
				error: expect.any(String),
				issues: expect.any(Array),
			});
		});

		it('is answered 422 by n8n itself when the body claims to be JSON and is not', () => {
			expect(answers.notJsonDeclaredJson.status).toBe(422);
		});

		it('answers a body lacking a required field 400, naming the field', () => {
			expect(answers.missingField.status).toBe(400);
			const json = answers.missingField.json as {
				error: string;
				issues: Array<{ path: string; message: string }>;
			};
			expect(json.error).toEqual(expect.any(String));
			expect(json.issues).toContainEqual({
				path: trigger.withoutRequired.path,
				message: expect.any(String),
			});
		});

		it('started no execution and posted nothing to the CRM', async () => {
			await expectQuiet(trigger.key, 0, 0);
		});
	});

	describe('genuine deliveries', () => {
		const sent: Record<string, SentDelivery> = {};

		beforeAll(async () => {
			for (const providerEvent of trigger.providerEvents)
				sent[providerEvent] = await deliver(trigger.key, providerEvent);
		});

		it('answers each 200 {"received": true}', () => {
			for (const providerEvent of trigger.providerEvents) {
				expect({ providerEvent, status: sent[providerEvent].status }).toEqual({
					providerEvent,
					status: 200,
				});
				expect(sent[providerEvent].json).toMatchObject({ received: true });
			}
		});

		it('starts exactly one successful execution per delivery', async () => {
			const rows = await finishedExecutions(id, trigger.providerEvents.length);
			expect(rows).toHaveLength(trigger.providerEvents.length);
			expect(rows.map((row) => [row.mode, row.status])).toEqual(
				trigger.providerEvents.map(() => ['webhook', 'success']),
			);
		});

		it('hands the CRM the normalized item with the body exactly as sent', async () => {
			const records = await waitFor(
				() => crmRecords(trigger.key),
				(list) => list.length >= trigger.providerEvents.length,
			);
			expect(records).toHaveLength(trigger.providerEvents.length);
			for (const providerEvent of trigger.providerEvents) {
				expectItemFor(
					recordOf(records, providerEvent),
					providerEvent,
					sent[providerEvent].sent.body,
				);
			}
		});
	});

	describe('the same deliveries again (partner retries)', () => {
		const again: Record<string, SentDelivery> = {};
		// Curacel's instalment.due is the exception: the answer authorises the charge, so a retry must reach the workflow.
		const repeatable = trigger.providerEvents.filter(
			(providerEvent) => providerEvent !== 'curacel-instalment.due',
		);
		const answerDecides = trigger.providerEvents.length - repeatable.length;

		beforeAll(async () => {
			for (const providerEvent of trigger.providerEvents)
				again[providerEvent] = await deliver(trigger.key, providerEvent);
		});

		it('answers 200 so the partner stops retrying', () => {
			for (const providerEvent of trigger.providerEvents) {
				expect({ providerEvent, status: again[providerEvent].status }).toEqual({
					providerEvent,
					status: 200,
				});
				expect(again[providerEvent].json).toMatchObject({ received: true });
			}
		});

		it('starts no further execution and posts nothing more', async () => {
			if (answerDecides > 0)
				await finishedExecutions(id, trigger.providerEvents.length + answerDecides);
			await expectQuiet(
				trigger.key,
				trigger.providerEvents.length + answerDecides,
				trigger.providerEvents.length + answerDecides,
			);
		});
	});
});

describe('a status outside the filter', () => {
	/** Per trigger: samples outside its workflow's filter (scenario.ts), and a delivery inside it. */
	const FILTERED = TEST_TRIGGERS.map((trigger) => {
		const { outside, inside } = variantsOfTrigger(trigger).filter;
		return { key: `${trigger.key}Filtered` as const, outside, inside };
	});

	describe.each(FILTERED)('$key', (filtered) => {
		it('is answered 200 and starts nothing', async () => {
			for (const providerEvent of filtered.outside) {
				const answer = await deliver(filtered.key, providerEvent);
				expect({ providerEvent, status: answer.status }).toEqual({ providerEvent, status: 200 });
				expect(answer.json).toMatchObject({ received: true });
			}
			await expectQuiet(filtered.key, 0, 0);
		});

		it('while a status inside the filter starts the workflow', async () => {
			const answer = await deliver(filtered.key, filtered.inside.providerEvent, {
				body: filtered.inside.body,
			});
			expect(answer.status).toBe(200);
			expect(await finishedExecutions(workflowId(filtered.key), 1)).toHaveLength(1);
			const records = await waitFor(
				() => crmRecords(filtered.key),
				(list) => list.length >= 1,
			);
			expect(records).toHaveLength(1);
		});
	});
});

describe('after n8n restarts', () => {
	const counts: Record<string, number> = {};

	beforeAll(async () => {
		// The last executions have finished and n8n has saved the triggers' static data.
		await settledInDatabase(TRIGGERS.map((trigger) => workflowId(trigger.key)));
		for (const trigger of TRIGGERS)
			counts[trigger.key] = executions(workflowId(trigger.key)).length;
		await restartN8n();
	});

	it('a repeated delivery still starts nothing', async () => {
		for (const trigger of TRIGGERS) {
			for (const providerEvent of trigger.providerEvents.filter(
				(id) => id !== 'curacel-instalment.due',
			)) {
				const answer = await deliver(trigger.key, providerEvent);
				expect({ providerEvent, status: answer.status }).toEqual({ providerEvent, status: 200 });
			}
		}
		await sleep(QUIET_PERIOD_MS);
		const now = Object.fromEntries(
			TRIGGERS.map((trigger) => [trigger.key, executions(workflowId(trigger.key)).length]),
		);
		expect(now).toEqual(counts);
	});

	it('while a new notification still starts the workflow', async () => {
		const before = executions(workflowId('qoalaClaim')).length;
		const answer = await deliver('qoalaClaim', 'qoala-claim', {
			body: sampleWith('qoala-claim', 'INSURANCE_CLAIM_APPROVE', 'INSURANCE_CLAIM_PAID'),
		});
		expect(answer.status).toBe(200);
		expect(await finishedExecutions(workflowId('qoalaClaim'), before + 1)).toHaveLength(before + 1);
	});
});
