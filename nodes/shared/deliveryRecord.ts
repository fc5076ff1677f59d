import { createHash, randomUUID } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * The record of notifications a trigger has accepted, used to recognise a partner's retry.
 *
 * A notification is identified by a `subject` (what it is about, e.g. a claim number, or a
 * claim number and the time of the change) and a `state` (e.g. the status). A delivery is a
 * repeat when its subject's last accepted state is the same (or outranks it), so a subject
 * that moves A → B → A is never suppressed, while a retried A is.
 *
 * Why in memory *and* in static data: n8n loads a workflow's static data afresh for each
 * request and saves it afterwards, so two copies in flight both see the old record, and the
 * later save can erase the earlier one's entry. The in-process record is checked and updated
 * synchronously (atomic within the process); static data seeds it after a restart and always
 * receives the whole in-process record, so no save can drop an entry another request made.
 */

/** How many notifications a trigger remembers; older ones are forgotten first. */
export const REMEMBERED_NOTIFICATIONS = 10_000;

/** 96 bits of SHA-256 per subject and 48 per state: collisions are negligible at this size. */
const SUBJECT_CHARS = 16;
const STATE_CHARS = 8;

export interface NotificationIdentity {
	subject: readonly string[];
	state: string;
	/** States whose earlier acceptance makes this delivery redundant (a better version came first). */
	outrankedBy?: readonly string[];
	/**
	 * The partner reads the answer as a decision (Curacel's instalment.due: 2XX authorises the
	 * charge), so a retry must reach the workflow again instead of getting an automatic 200.
	 */
	answerDecides?: boolean;
}

/** What is kept in the workflow's static data, under one key per trigger node. */
export interface PersistedRecord extends IDataObject {
	/** Fixed-width entries: subject hash followed by state hash, oldest first. */
	entries: string[];
	/** Changes on every write, so a process can tell whether it has already merged this version. */
	revision: string;
}

export class DeliveryRecord {
	/** subject hash → state hash; Map iteration order is insertion order, so oldest first. */
	private readonly states = new Map<string, string>();

	private mergedRevision: string | undefined;

	private writes = 0;

	private readonly processId = randomUUID().slice(0, 8);

	constructor(private readonly capacity = REMEMBERED_NOTIFICATIONS) {}

	get size(): number {
		return this.states.size;
	}

	/** Adds what static data knows and this process does not (after a restart, or from another process). */
	merge(persisted: unknown): void {
		if (!isPersistedRecord(persisted) || persisted.revision === this.mergedRevision) return;
		for (const entry of persisted.entries) {
			const subject = entry.slice(0, SUBJECT_CHARS);
			if (!this.states.has(subject)) this.remember(subject, entry.slice(SUBJECT_CHARS));
		}
		this.mergedRevision = persisted.revision;
	}

	/**
	 * Atomically (it never yields) decides whether this notification was already accepted, and
	 * records it when it was not. Returns true for a repeat.
	 */
	checkAndRecord(identity: NotificationIdentity): boolean {
		const subject = digest(identity.subject.join('\u0000'), SUBJECT_CHARS);
		const state = digest(identity.state, STATE_CHARS);
		const previous = this.states.get(subject);
		const redundant = [identity.state, ...(identity.outrankedBy ?? [])].map((s) =>
			digest(s, STATE_CHARS),
		);
		if (previous !== undefined && redundant.includes(previous)) return true;
		this.states.delete(subject);
		this.remember(subject, state);
		return false;
	}

	/**
	 * What to put in static data: a view that serialises the record as it is when n8n *saves*,
	 * not when this request wrote it, so a save that lands after a concurrent request's save
	 * still carries that request's entry.
	 */
	persistedView(): { toJSON(): PersistedRecord } {
		return { toJSON: () => this.snapshot() };
	}

	snapshot(): PersistedRecord {
		this.writes += 1;
		const revision = `${this.processId}-${this.writes}`;
		this.mergedRevision = revision;
		return { entries: [...this.states].map(([subject, state]) => subject + state), revision };
	}

	private remember(subject: string, state: string): void {
		this.states.set(subject, state);
		if (this.states.size > this.capacity) {
			const oldest = this.states.keys().next().value as string;
			this.states.delete(oldest);
		}
	}
}

function digest(text: string, chars: number): string {
	return createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, chars);
}

function isPersistedRecord(value: unknown): value is PersistedRecord {
	if (typeof value !== 'object' || value === null) return false;
	const record = value as Partial<PersistedRecord>;
	return typeof record.revision === 'string' && Array.isArray(record.entries);
}

/** One record per trigger node per workflow, shared by every request this process serves. */
const records = new Map<string, DeliveryRecord>();

export function deliveryRecordFor(workflowId: string, nodeId: string): DeliveryRecord {
	const key = `${workflowId}/${nodeId}`;
	let record = records.get(key);
	if (!record) {
		record = new DeliveryRecord();
		records.set(key, record);
	}
	return record;
}
