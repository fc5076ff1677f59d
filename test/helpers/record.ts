import type { DeliveryRecord, NotificationIdentity } from '../../nodes/shared/deliveryRecord';

/**
 * Accepts a delivery and commits it at once, as a trigger answering Immediately does. Returns
 * true when it was not news (a repeat, a copy in progress, a replayed signature).
 * Type-only imports: the bench passes the record of the built package (dist/).
 */
export function acceptAtOnce(
	record: Pick<DeliveryRecord, 'begin'>,
	identity: NotificationIdentity,
): boolean {
	const acceptance = record.begin(identity);
	if (typeof acceptance === 'string' || !('commit' in acceptance)) return true;
	acceptance.commit();
	return false;
}

/** What the record would save in static data now, as n8n's save serialises it. */
export const savedRecord = (record: Pick<DeliveryRecord, 'persistedView'>) =>
	record.persistedView().toJSON();
