import type { Provider } from '../../nodes/partners';

/**
 * What the item of each sample must say, read off the sample payloads and the partners'
 * status tables (docs/providers.md): the facts an e2e delivery is checked against. One entry
 * per provider-event of the registry (nodes/partners.ts): facts, so they stay literal.
 */
export interface ExpectedItem {
	provider: Provider;
	event: string;
	status: string | null;
	outcome: string;
	isFinal: boolean;
	/** Identifier fields of the item and their values for the sample. */
	identifiers: Record<string, unknown>;
}

export const EXPECTED: Record<string, ExpectedItem> = {
	'qoala-claim': {
		provider: 'qoala',
		event: 'claim.status_changed',
		status: 'INSURANCE_CLAIM_APPROVE',
		outcome: 'approved',
		isFinal: false,
		identifiers: { claimNumber: 'CLM-2024-000123', policyNumber: 'POL-88812345' },
	},
	'qoala-policy': {
		provider: 'qoala',
		event: 'policy.status_changed',
		status: 'POLICY_ACTIVE',
		outcome: 'active',
		isFinal: false,
		identifiers: {
			policyNumber: 'POL-88812345',
			partnerTransactionNumber: 'PTN-20240501-0001',
			productCode: 'GADGET-PROTECT',
			quotationNumber: 'QUO-77123',
			documents: [
				{
					type: 'e-certificate',
					url: 'https://example.qoala.app/docs/POL-88812345/e-certificate.pdf',
				},
				{
					type: 'policy-wording',
					url: 'https://example.qoala.app/docs/GADGET-PROTECT/wording.pdf',
				},
			],
		},
	},
	'cermati-application': {
		provider: 'cermati',
		event: 'application.status_changed',
		status: 'ISSUED',
		outcome: 'active',
		isFinal: false,
		identifiers: {
			refNo: 'PARTNER-REF-0001',
			trxId: 'UniqueTrxId00001',
			link: 'https://api.cermati.com/insurance/v1/goods/UniqueTrxId00001',
		},
	},
	'cermati-claim': {
		provider: 'cermati',
		event: 'claim.status_changed',
		status: 'APPROVED',
		outcome: 'approved',
		isFinal: false,
		identifiers: {
			refNo: 'PARTNER-REF-0001',
			trxId: 'UniqueTrxId00001',
			claimId: 'CLAIM-000042',
			productId: 'goods-protection',
			claimType: 'DAMAGE',
			insuredName: 'Budi Santoso',
			reason: null,
			approvedClaimAmount: 1500000,
			reimbursedClaimAmount: null,
		},
	},
	'curacel-claim.pile.vetting_done': {
		provider: 'curacel',
		event: 'claim.pile.vetting_done',
		status: 'approved',
		outcome: 'approved',
		isFinal: false,
		identifiers: { claimId: '5021', pileId: '311' },
	},
	'curacel-claim.vetted': {
		provider: 'curacel',
		event: 'claim.vetted',
		status: 'rejected',
		outcome: 'rejected',
		isFinal: true,
		identifiers: { claimId: '5022', pileId: '311' },
	},
	'curacel-policy.created': {
		provider: 'curacel',
		event: 'policy.created',
		status: 'policy_created',
		outcome: 'active',
		isFinal: false,
		identifiers: {
			policyId: '16',
			policyNumber: '343473',
			orderId: '129',
			customerEmail: 'emeka.adirije@example.com',
			currency: 'NGN',
		},
	},
	'curacel-discharge_voucher.created': {
		provider: 'curacel',
		event: 'discharge_voucher.created',
		status: 'discharge voucher',
		outcome: 'approved',
		isFinal: false,
		identifiers: {
			claimId: '18',
			policyId: '16',
			policyNumber: '343473',
			amount: 45000,
			currency: 'NGN',
		},
	},
	'curacel-discharge_voucher.paid': {
		provider: 'curacel',
		event: 'discharge_voucher.paid',
		status: 'settled',
		outcome: 'paid',
		isFinal: false,
		identifiers: {
			claimId: '4',
			policyId: '2',
			policyNumber: '9877',
			customerEmail: 'prof@example.com',
			amount: 56454,
			currency: 'NGN',
		},
	},
	'curacel-claim.settled': {
		provider: 'curacel',
		event: 'claim.settled',
		status: 'settled',
		outcome: 'paid',
		isFinal: true,
		identifiers: {
			claimId: '4',
			policyId: '2',
			policyNumber: '9877',
			customerEmail: 'prof@example.com',
			amount: 56454,
			currency: 'NGN',
		},
	},
	'curacel-order.cancelled': {
		provider: 'curacel',
		event: 'order.cancelled',
		status: 'cancelled',
		outcome: 'cancelled',
		isFinal: true,
		identifiers: {
			orderId: '340',
			customerEmail: 'mob@example.com',
			amount: 172.8,
			currency: 'GHS',
		},
	},
	'curacel-instalment.due': {
		provider: 'curacel',
		event: 'instalment.due',
		status: 'policy_created',
		outcome: 'action_required',
		isFinal: false,
		identifiers: {
			orderId: '426',
			policyId: '215',
			policyNumber: 'CUR/PARTNER-ONE/POLC/INVESTMENT_LIFE/23/426',
			customerEmail: 'j.doe@example.com',
			currency: 'GHS',
		},
	},
};

/** The fields every item has, whatever the trigger. */
export const COMMON_ITEM_FIELDS = [
	'provider',
	'event',
	'status',
	'statusLabel',
	'outcome',
	'isFinal',
	'occurredAt',
	'receivedAt',
	'deliveryKey',
	'body',
] as const;
