import type { Stages } from '../shared/stages';
import type { qoalaClaimStatuses } from './ClaimTrigger/claim';
import type { qoalaPolicyStatuses } from './PolicyTrigger/policy';

/**
 * How Qoala's notifications about one claim or one policy are ordered. Qoala sends no time of
 * change, so the order is only what its status tables describe: the stages a claim or policy
 * goes through, a final status last. Two statuses of one stage are not ordered (a claim
 * rejected by Qoala and one paid are both final: neither makes the other out of date).
 * Every documented status has a stage (the type requires it); any other status has none and
 * is never out of date.
 */

/** Initiated → decided by Qoala → decided by the insurer → waiting to be paid → final. */
export const qoalaClaimStages = {
	CLAIM_INITIATE: 1,
	QOALA_CLAIM_APPROVE: 2,
	INSURANCE_CLAIM_APPROVE: 3,
	INSURANCE_CLAIM_WAITING_PAID: 4,
	// Final: rejected by Qoala, rejected by the insurer, or paid.
	QOALA_CLAIM_REJECT: 5,
	INSURANCE_CLAIM_REJECT: 5,
	INSURANCE_CLAIM_PAID: 5,
} as const satisfies Stages<keyof typeof qoalaClaimStatuses>;

/** Waiting for payment → being issued (either spelling) → active → final. */
export const qoalaPolicyStages = {
	POLICY_WAITING_PAYMENT: 1,
	POLICY_ISSUING: 2,
	ISSUING_POLICY: 2,
	POLICY_ACTIVE: 3,
	// Final: rejected by the insurer, or cancelled.
	POLICY_REJECTED_INSURANCE: 4,
	POLICY_CANCELLED: 4,
} as const satisfies Stages<keyof typeof qoalaPolicyStatuses>;
