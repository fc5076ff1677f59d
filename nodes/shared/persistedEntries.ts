import type { IDataObject } from 'n8n-workflow';

import type { SavedOrder } from './order';

/**
 * How one accepted notification is written into the workflow's static data. n8n saves the
 * whole record after every accepted delivery, and in queue mode every process reads all of it
 * before every delivery, so an entry is one short fixed-width string, and the record holds
 * entries in this form in memory too: a save copies them, and a merge compares them as they are.
 */

/** 96 bits of SHA-256 per subject and 48 per state: collisions are negligible at this size. */
export const SUBJECT_CHARS = 16;
export const STATE_CHARS = 8;

/** Base 36 milliseconds, zero-padded so every entry has the same width; 9 digits last until 5138. */
const TIME_CHARS = 9;
const TIME_DIGITS = /^[0-9a-z]+$/;

/** Entries saved by versions that kept no acceptance time: subject + state. */
const UNTIMED_ENTRY_CHARS = SUBJECT_CHARS + STATE_CHARS;
const ENTRY_CHARS = UNTIMED_ENTRY_CHARS + TIME_CHARS;

/**
 * What is kept in the workflow's static data, under one key per trigger node.
 *
 * n8n reads a workflow's whole static data from the database, parses it and wraps every value
 * in it on each request to the workflow, whatever the request is (forged ones too), so the
 * record's cost is paid per value as well as per byte: its entries are written one after the
 * other as one string. 10,000 entries as one string take n8n a third of the time the same
 * entries as an array of 10,000 strings do (read from SQLite, parsed and wrapped; see
 * BENCHMARKS.md, "With the record at its bound").
 */
export interface PersistedRecord extends IDataObject {
	/** Fixed-width entries (subject hash, state hash, acceptance time), oldest first, packed. */
	entries: string;
	/** Changes on every write, so a process can tell whether it has already merged this version. */
	revision: string;
	/** The newest delivered notification per ordered subject (`order.ts`); absent while none. */
	order?: SavedOrder;
}

/** A record as found in static data: today's packed form, or an array saved by 0.1 versions. */
export interface SavedRecord {
	entries: string | readonly unknown[];
	revision: string;
	order?: unknown;
}

export function isSavedRecord(value: unknown): value is SavedRecord {
	if (typeof value !== 'object' || value === null) return false;
	const record = value as Partial<SavedRecord>;
	return (
		typeof record.revision === 'string' &&
		(typeof record.entries === 'string' || Array.isArray(record.entries))
	);
}

/** Writes entries (each `persistedEntry`'s fixed width) in the packed form. */
export function packEntries(entries: Iterable<string>): string {
	// Concatenation, not join: half the time for 10,000 entries, and the result only lives until
	// n8n has serialised it.
	let packed = '';
	for (const entry of entries) packed += entry;
	return packed;
}

/**
 * The entries of a saved record, each still to be checked by `readEntry`. A packed string whose
 * length is not a whole number of entries was cut short or edited, so every entry after the
 * damage would be read shifted: none of it is trusted.
 */
export function savedEntries(saved: SavedRecord): readonly unknown[] {
	if (typeof saved.entries !== 'string') return saved.entries;
	const packed = saved.entries;
	if (packed.length % ENTRY_CHARS !== 0) return [];
	const entries: string[] = [];
	for (let at = 0; at < packed.length; at += ENTRY_CHARS) {
		entries.push(packed.slice(at, at + ENTRY_CHARS));
	}
	return entries;
}

/** How many entries a saved record holds (for reports and tests; nothing decides by it). */
export function savedEntryCount(saved: unknown): number {
	return isSavedRecord(saved) ? savedEntries(saved).length : 0;
}

/** The acceptance time of an entry saved by a version that kept none: before any other. */
export const UNKNOWN_ACCEPTANCE_TIME = 0;

/** One remembered notification as saved: subject digest, state digest, acceptance time. */
export function persistedEntry(subject: string, state: string, acceptedAt: number): string {
	const time = acceptedAt.toString(36).padStart(TIME_CHARS, '0');
	// join makes one flat string; `+` would keep the three pieces, and the digests they were
	// cut from, alive for as long as the entry is remembered (3.0 MiB instead of 1.8 MiB for
	// 10,000 entries, measured with scripts/bench/record.ts).
	return [subject, state, time].join('');
}

/**
 * A saved entry in today's form. One without a time was accepted before any entry that has
 * one, so it reads as accepted at time 0: static data saved by an earlier version still seeds
 * the record, and loses to every state accepted since. Anything else unreadable (edited by
 * hand, cut short) is skipped rather than trusted.
 */
export function readEntry(saved: unknown): string | undefined {
	if (typeof saved !== 'string') return undefined;
	if (saved.length === UNTIMED_ENTRY_CHARS) {
		return persistedEntry(subjectOf(saved), stateOf(saved), UNKNOWN_ACCEPTANCE_TIME);
	}
	if (saved.length !== ENTRY_CHARS || !TIME_DIGITS.test(saved.slice(UNTIMED_ENTRY_CHARS))) {
		return undefined;
	}
	return saved;
}

export const subjectOf = (entry: string): string => entry.slice(0, SUBJECT_CHARS);

export const stateOf = (entry: string): string => entry.slice(SUBJECT_CHARS, UNTIMED_ENTRY_CHARS);

export const acceptedAtOf = (entry: string): number =>
	parseInt(entry.slice(UNTIMED_ENTRY_CHARS), 36);
