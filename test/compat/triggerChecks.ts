/**
 * The checks each trigger passes in a real n8n, with its default authentication and Respond:
 * Immediately: accepted and typed, its retry "repeated", a forged delivery refused, its output
 * schema served under the installed package's name. The compatibility suite runs them for the
 * pack on each n8n version, the partners' suite for each partner's package.
 */
import { deliver, expectOneSuccessfulRun, expectQuiet } from '../e2e/deliver';
import { instance, readState, workflows } from '../e2e/harness';
import { spec, type WorkflowKey } from '../e2e/scenario';

export function describeEachTrigger(
	main: Array<{ key: WorkflowKey; providerEvent: string }>,
): void {
	describe.each(main)('$key, default authentication', ({ key, providerEvent }) => {
		it('accepts the partner’s delivery: 200, one execution, the typed item at the CRM', async () => {
			const answer = await deliver(key, providerEvent);
			expect(answer.status).toBe(200);
			expect(answer.json).toMatchObject({ received: true });
			await expectOneSuccessfulRun(key, providerEvent, answer);
		});

		it('answers its retry 200 "repeated" and starts nothing', async () => {
			const again = await deliver(key, providerEvent);
			expect(again.status).toBe(200);
			expect(again.json).toMatchObject({ received: true, ignored: 'repeated' });
			await expectQuiet(key, 1, 1);
		});

		it('answers a forged delivery 401 and starts nothing', async () => {
			// Signed (or keyed) with a secret that is not the credential's: well-formed, and wrong.
			const forged = await deliver(key, providerEvent, { secret: 'not-the-secret' });
			expect(forged.status).toBe(401);
			expect(Object.keys(forged.json as object)).toEqual(['error']);
			await expectQuiet(key, 1, 1);
		});

		it('has its output schema served for node versions 2 and 1', async () => {
			for (const version of ['2.0.0', '1.0.0']) {
				const answer = await instance.request(
					'GET',
					`http://127.0.0.1:${readState().port}/schemas/${workflows.PACKAGE_NAME}.${spec(key).nodeName}/${version}.json`,
				);
				expect({ version, status: answer.status }).toEqual({ version, status: 200 });
				const schema = JSON.parse(answer.body) as { properties: Record<string, unknown> };
				expect(Object.keys(schema.properties)).toEqual(
					expect.arrayContaining(['provider', 'event', 'outcome', 'deliveryKey', 'body']),
				);
			}
		});
	});
}
