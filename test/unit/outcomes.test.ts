import { CuracelTrigger } from '../../nodes/Curacel/CuracelTrigger/CuracelTrigger.node';
import { registry } from '../../nodes/partners';
import { EXPECTED } from '../e2e/expected';
import { triggerNode } from '../helpers/nodes';
import { sample, variant } from '../helpers/samples';
import { deliver } from '../helpers/webhookContext';

/**
 * The outcome table of each trigger with a Statuses filter, written out independently of the
 * code: status → outcome and isFinal, read off the partner's documentation and kept beside the
 * trigger's sample (`statuses` in samples/expected/<provider>-<event>.json).
 */
const outcomeTables = registry.triggers
	.filter((trigger) => trigger.filter === 'statuses')
	.map((trigger) => {
		const withTable = trigger.samples
			.map(({ event }) => `${trigger.partner.provider}-${event}`)
			.filter((providerEvent) => EXPECTED[providerEvent]?.statuses);
		return { trigger, sampleName: withTable[0], table: EXPECTED[withTable[0]]?.statuses ?? {} };
	});

it('has an outcome table beside a sample of every status trigger of the registry', () => {
	expect(outcomeTables.length).toBeGreaterThan(0);
	for (const { trigger, sampleName, table } of outcomeTables) {
		expect([trigger.nodeName, sampleName, Object.keys(table).length > 0]).toEqual([
			trigger.nodeName,
			expect.any(String),
			true,
		]);
	}
});

describe.each(outcomeTables.map((entry) => [entry.trigger.displayName, entry] as const))(
	'%s statuses',
	(_name, { trigger, sampleName, table }) => {
		const node = triggerNode(trigger.nodeName);

		it.each(Object.entries(table))('%s → %j', async (status, { outcome, isFinal, fields }) => {
			const body = variant(sampleName, (payload) => (payload.status = status));
			const answer = await deliver(node, { parameters: { authentication: 'none' }, body });
			expect(answer.items).toHaveLength(1);
			expect(answer.items[0]).toMatchObject({ status, outcome, isFinal, ...fields });
			expect(answer.items[0].statusLabel).toEqual(expect.any(String));
			expect(answer.items[0].statusLabel).not.toBe(status);
		});

		it('offers exactly the documented statuses in its filter', () => {
			const filter = node.description.properties.find((property) => property.name === 'statuses');
			expect(filter?.type).toBe('multiOptions');
			expect(filter?.default).toEqual([]);
			const values = (filter?.options as Array<{ value: string }>).map((option) => option.value);
			expect(values.sort()).toEqual(Object.keys(table).sort());
		});
	},
);

describe('Curacel events', () => {
	const curacel = new CuracelTrigger();
	/** Each sample in the partner's docs and the item a user should get from it. */
	const events: Record<string, Record<string, unknown>> = {
		'claim.pile.vetting_done': {
			status: 'approved',
			statusLabel: 'Claim vetted: approved',
			outcome: 'approved',
			isFinal: false,
			claimId: '5021',
			claimRef: 'HMO-CLM-5021',
			pileId: '311',
			amount: 42000,
			occurredAt: '2022-02-16T16:17:32.000Z',
			deliveryKey: 'curacel|claim.pile.vetting_done|5021|2022-02-16T16:17:32.000000Z|approved',
		},
		'claim.vetted': {
			status: 'rejected',
			statusLabel: 'Claim vetted: rejected',
			outcome: 'rejected',
			isFinal: true,
			claimId: '5022',
			claimRef: null,
			pileId: '311',
			amount: 12000.5,
			occurredAt: '2022-02-17T09:30:00.000Z',
		},
		'policy.created': {
			status: 'policy_created',
			outcome: 'active',
			isFinal: false,
			policyId: '16',
			policyNumber: '343473',
			orderId: '129',
			customerEmail: 'emeka.adirije@example.com',
			amount: 9750.54,
			currency: 'NGN',
			occurredAt: null,
			deliveryKey: 'curacel|policy.created|16|with-insurer',
		},
		'discharge_voucher.created': {
			outcome: 'approved',
			isFinal: false,
			voucherId: '7',
			claimId: '18',
			amount: 45000,
			currency: 'NGN',
		},
		'discharge_voucher.paid': {
			status: 'settled',
			outcome: 'paid',
			isFinal: false,
			voucherId: '15',
			claimId: '4',
			policyId: '2',
			policyNumber: '9877',
			customerEmail: 'prof@example.com',
			amount: 56454,
			currency: 'NGN',
			occurredAt: '2022-07-07T12:13:57.000Z',
		},
		'claim.settled': {
			status: 'settled',
			statusLabel: 'Claim settled',
			outcome: 'paid',
			isFinal: true,
			claimId: '4',
			policyId: '2',
			policyNumber: '9877',
			customerEmail: 'prof@example.com',
			amount: 56454,
			currency: 'NGN',
			occurredAt: '2022-07-07T12:13:57.000Z',
		},
		'order.cancelled': {
			status: 'cancelled',
			outcome: 'cancelled',
			isFinal: true,
			orderId: '340',
			customerEmail: 'mob@example.com',
			amount: 172.8,
			currency: 'GHS',
			policyId: null,
		},
		'instalment.due': {
			status: 'policy_created',
			outcome: 'action_required',
			isFinal: false,
			orderId: '426',
			policyId: '215',
			policyNumber: 'CUR/PARTNER-ONE/POLC/INVESTMENT_LIFE/23/426',
			customerEmail: 'j.doe@example.com',
			amount: 8480,
			currency: 'GHS',
		},
	};

	it.each(Object.entries(events))('%s', async (event, expected) => {
		const body = sample(`curacel-${event}`);
		const answer = await deliver(curacel, { parameters: { authentication: 'none' }, body });
		expect(answer.items).toHaveLength(1);
		expect(answer.items[0]).toMatchObject({ provider: 'curacel', event, ...expected });
		expect(answer.items[0].body).toEqual(JSON.parse(body.toString('utf8')));
	});

	it.each([
		[null, 'pending', false],
		['1', 'approved', false],
		['0', 'rejected', true],
	])('approval_status %j → %s', async (approvalStatus, outcome, isFinal) => {
		const body = variant(
			'curacel-claim.vetted',
			(event) => (event.data.approval_status = approvalStatus),
		);
		const answer = await deliver(curacel, { parameters: { authentication: 'none' }, body });
		expect(answer.items[0]).toMatchObject({ status: outcome, outcome, isFinal });
	});

	it('offers exactly the 8 documented events in its filter', () => {
		const filter = curacel.description.properties.find((property) => property.name === 'events');
		const values = (filter?.options as Array<{ value: string }>).map((option) => option.value);
		expect(values.sort()).toEqual(Object.keys(events).sort());
	});
});
