import type { OrderPlace } from '../shared/order';
import { entryOf, type StatusTable } from '../shared/statuses';

/**
 * How Cermati's notifications about one application or one claim are ordered: by the signed
 * `updatedAt`, the time of the status change, compared as an instant (`+07:00` and `Z` are
 * normalised). Each change has its own time, so a status that returns later
 * (DATA_INCOMPLETE → DATA_COMPLETE → DATA_INCOMPLETE) is news every time, and the same instant
 * written in another offset with the same status is the same change: a repeat.
 * A status not in Cermati's tables has no place: it is never out of date.
 */
export function cermatiPlace(
	statuses: StatusTable,
	subject: readonly string[],
	status: string,
	updatedAt: string,
): OrderPlace[] {
	if (entryOf(statuses, status) === undefined) return [];
	const instant = Date.parse(updatedAt);
	if (!Number.isFinite(instant)) return [];
	return [{ subject, rank: instant, status, sameWhenEqual: true }];
}
