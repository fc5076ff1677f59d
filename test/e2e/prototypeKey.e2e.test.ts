/**
 * A signed body with a `__proto__` key, as the red-team sent it to the packed package (issue
 * 29): before, the key replaced the validated payload's prototype, and the item's
 * partnerTransactionNumber and documents came from the sender's object. In the real n8n, what
 * reaches the CRM must be what the partner's fields say: null where the partner sent none.
 */
import { deliver } from './deliver';

// A Qoala Policy Trigger (API key, Respond: Immediately) whose executions no e2e test counts.
const KEY = 'onReceivedCrmDown';
import { crmRecords, waitFor } from './harness';

const BODY =
	'{"policy_number":"POL-PP-1","status":"POLICY_ACTIVE","__proto__":{"partner_transaction_number":"INJECTED-TRX","documents":"not-an-array"}}';

it('takes no item field from a __proto__ key', async () => {
	const answer = await deliver(KEY, 'qoala-policy', { body: Buffer.from(BODY) });
	expect(answer.status).toBe(200);
	const records = await waitFor(
		() => crmRecords(KEY),
		(list) => list.some((record) => JSON.stringify(record.body).includes('POL-PP-1')),
	);
	const item = records.find((record) => JSON.stringify(record.body).includes('POL-PP-1'))?.body;
	expect(item).toMatchObject({
		policyNumber: 'POL-PP-1',
		partnerTransactionNumber: null,
		documents: null,
	});
	expect(JSON.stringify(item)).not.toContain('INJECTED-TRX');
});
