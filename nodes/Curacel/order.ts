import { instantOf } from '../shared/contract';
import type { OrderPlace } from '../shared/order';

/**
 * How Curacel's notifications about one subject are ordered, from what Curacel documents:
 * - a discharge voucher is created, then paid;
 * - a Grow claim's voucher is created and paid before the claim is settled (two vouchers of
 *   one claim are not ordered between themselves, only against the settlement);
 * - a vetted claim (Curacel Health) by `vetted_at`, the time of the vetting, when it carries
 *   one with a time zone (without one, the instant is not known: not ordered);
 * - `policy.created` may come twice, and the version naming the provider or insurer takes
 *   precedence: the one without comes first.
 * Other events (`order.cancelled`, undocumented events) have no place and are never out of
 * date; `instalment.due` is a question whose answer decides a charge, never a status.
 */

/** A discharge voucher's lifecycle. */
export const voucherStages = {
	'discharge_voucher.created': 1,
	'discharge_voucher.paid': 2,
} as const;

/** A Grow claim's lifecycle: its voucher's events, then its settlement. */
export const growClaimStages = {
	'discharge_voucher.created': 1,
	'discharge_voucher.paid': 1,
	'claim.settled': 2,
} as const;

/** The two versions of `policy.created`: without the provider/insurer, then with it. */
export const policyVersions = { withoutInsurer: 1, withInsurer: 2 } as const;

export function voucherPlaces(
	event: keyof typeof voucherStages,
	voucherId: string,
	claimId: string | null,
): OrderPlace[] {
	const places: OrderPlace[] = [
		{ subject: ['discharge_voucher', voucherId], rank: voucherStages[event], status: event },
	];
	if (claimId !== null) {
		places.push({ subject: ['claim', claimId], rank: growClaimStages[event], status: event });
	}
	return places;
}

export function settledClaimPlaces(claimId: string): OrderPlace[] {
	return [
		{
			subject: ['claim', claimId],
			rank: growClaimStages['claim.settled'],
			status: 'claim.settled',
		},
	];
}

export function createdPolicyPlaces(policyId: string, withInsurer: boolean): OrderPlace[] {
	return [
		{
			subject: ['policy', policyId],
			rank: withInsurer ? policyVersions.withInsurer : policyVersions.withoutInsurer,
			status: withInsurer ? 'policy.created' : 'policy.created (without insurer)',
		},
	];
}

/** `status` is the vetting's outcome (approved, rejected, pending), named when it is newer. */
export function vettedClaimPlaces(
	claimId: string,
	vettedAt: string | null | undefined,
	status: string,
): OrderPlace[] {
	if (typeof vettedAt !== 'string' || !WITH_ZONE.test(vettedAt.trim())) return [];
	const instant = instantOf(vettedAt);
	if (instant === null) return [];
	return [{ subject: ['vetted_claim', claimId], rank: instant, status }];
}
const WITH_ZONE = /(Z|[+-]\d{2}:?\d{2})$/;
