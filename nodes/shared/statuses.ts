import type { INodePropertyOptions } from 'n8n-workflow';

/** The same few words for every partner, so one IF or Switch node works across providers. */
export const OUTCOMES = [
	'pending',
	'action_required',
	'approved',
	'rejected',
	'paid',
	'active',
	'cancelled',
	'expired',
	'unknown',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface StatusEntry {
	/** Plain words for the status, shown as `statusLabel`. */
	label: string;
	/** What the partner's documentation says the status means, shown in the filter. */
	meaning: string;
	outcome: Outcome;
	/** True when the partner will send no further change for this notification's subject. */
	isFinal: boolean;
}

/** A partner's statuses (or events) in the partner's own codes, in documentation order. */
export type StatusTable = Readonly<Record<string, StatusEntry>>;

export interface Classification {
	statusLabel: string;
	outcome: Outcome;
	isFinal: boolean;
}

/**
 * Looks a status up in its table. A status nobody documented is classified, not rejected:
 * partners add statuses, and refusing one would make them retry and then drop the event.
 */
export function classify(table: StatusTable, code: string | null): Classification {
	const entry = code === null ? undefined : entryOf(table, code);
	if (entry) return { statusLabel: entry.label, outcome: entry.outcome, isFinal: entry.isFinal };
	return {
		statusLabel: code === null ? 'No status' : humanize(code),
		outcome: 'unknown',
		isFinal: false,
	};
}

/** The options of a node's status or event filter. */
export function filterOptions(table: StatusTable): INodePropertyOptions[] {
	return Object.entries(table).map(([code, entry]) => ({
		name: entry.label,
		value: code,
		description: `${code}: ${entry.meaning}`,
	}));
}

/** `INSURANCE_CLAIM_NEW_THING` → `Insurance claim new thing`. */
export function humanize(code: string): string {
	const words = code
		.replace(/[._-]+/g, ' ')
		.trim()
		.toLowerCase();
	return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A table entry by a key the sender chose: never one of Object.prototype's own properties. */
export function entryOf<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
	return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
