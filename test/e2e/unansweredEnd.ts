/**
 * Using a Response Node with the Answer Insurance Partner node on one branch only (issue 29):
 * a run down the other branch ends with nobody answering. n8n itself then writes a body-less
 * answer (1.123 without a status, 2.40 and 2.41 with 200), which the partner would take for
 * "delivered" — and for Curacel's instalment.due for "charge the card". Checked on every n8n
 * the package claims: registered by the e2e suite (2.40.7) and the compatibility suite.
 */
import { UNANSWERED_END } from '../../nodes/shared/n8nVersions';
import { deliver } from './deliver';
import { crmRecords, waitFor } from './harness';
import type { WorkflowKey } from './scenario';

const KEY: WorkflowKey = 'answerNodeOneBranch';

/** How many runs of `event` posted to the workflow's CRM, once at least `atLeast` have. */
async function runsOf(event: string, atLeast: number): Promise<number> {
	const records = await waitFor(
		() => crmRecords(KEY),
		(list) => list.filter((record) => eventOf(record.body) === event).length >= atLeast,
	);
	return records.filter((record) => eventOf(record.body) === event).length;
}
const eventOf = (item: unknown) => (item as { event?: string }).event;

export function describeUnansweredEnd(): void {
	describe('Using a Response Node, the Answer node on one branch only', () => {
		it('answers a run down the branch without it 500, and runs the retry again', async () => {
			const first = await deliver(KEY, 'curacel-claim.vetted');
			expect({ status: first.status, body: first.json }).toEqual({
				status: 500,
				body: { error: UNANSWERED_END },
			});
			const retry = await deliver(KEY, 'curacel-claim.vetted');
			expect(retry.status).toBe(500);
			expect(retry.json).not.toHaveProperty('ignored');
			expect(await runsOf('claim.vetted', 2)).toBe(2);
		});

		it('never answers an instalment.due 2XX when no node acknowledged it (no charge)', async () => {
			const first = await deliver(KEY, 'curacel-instalment.due');
			expect(first.status).toBe(500);
			expect((await deliver(KEY, 'curacel-instalment.due')).status).toBe(500);
			expect(await runsOf('instalment.due', 2)).toBe(2);
		});

		it('answers a run down the branch with it with its answer, and the retry "repeated"', async () => {
			const answered = await deliver(KEY, 'curacel-claim.settled');
			expect({ status: answered.status, body: answered.json }).toEqual({
				status: 200,
				body: { received: true },
			});
			const retry = await deliver(KEY, 'curacel-claim.settled');
			expect(retry.json).toMatchObject({ ignored: 'repeated' });
			expect(await runsOf('claim.settled', 1)).toBe(1);
		});
	});
}
