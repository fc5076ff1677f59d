import { createHash, randomUUID } from 'node:crypto';

import {
	acceptedAtOf,
	persistedEntry,
	isSavedRecord,
	packEntries,
	readEntry,
	savedEntries,
	stateOf,
	subjectOf,
	STATE_CHARS,
	SUBJECT_CHARS,
	UNKNOWN_ACCEPTANCE_TIME,
	type PersistedRecord,
} from './persistedEntries';
import { Bound } from './bounds';
import { placeOf, SubjectOrder, type OrderPlace } from './order';

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
 *
 * In n8n's queue mode several webhook processes each keep such a record and meet only in
 * static data, so a merge must also decide which of two known states of a subject is current:
 * the one accepted last (see `supersedes`).
 */

/**
 * How many notifications a trigger remembers at most; older ones are forgotten first, the oldest
 * hundredth at once when it is full (`Bound`).
 */
export const REMEMBERED_NOTIFICATIONS = 10_000;

/**
 * How long a notification is remembered at most. A partner resends a notification only while
 * it retries one it thinks failed: 8 retries with exponential backoff (Qoala, Cermati), whose
 * interval is not documented; 7 days covers the 255 first intervals that 8 doublings add up to
 * for any first interval up to 39 minutes.
 * A trigger with little traffic then keeps, and n8n reads and writes on every request, a week
 * of notifications instead of the last 10,000, however old.
 */
export const REMEMBERED_DAYS = 7;
const REMEMBERED_MS = REMEMBERED_DAYS * 24 * 60 * 60 * 1000;

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
	/**
	 * What the delivery carried (a digest), where the subject is what the partner signs and the
	 * content is not (Cermati signs id + updatedAt; a status change always has its own
	 * updatedAt). The subject is then one notification with one content: the same content is a
	 * repeat, other content is `conflict` — a genuine signature over a body someone else wrote.
	 */
	content?: string;
	/**
	 * Where the notification stands among its subjects' notifications (`order.ts`): a delivery
	 * is out of date when a later one about the same subject was already delivered.
	 */
	order?: readonly OrderPlace[];
}

export type { PersistedRecord } from './persistedEntries';

/**
 * Another notification about the same subject is being processed (`oneAtATime`): deciding
 * this one now could run it beside that one, and whichever run ends last would write its
 * status last. `settled` resolves once that subject has nothing in progress.
 */
export interface SubjectBusy {
	readonly busy: true;
	readonly settled: Promise<void>;
}

export const isSubjectBusy = (value: unknown): value is SubjectBusy =>
	typeof value === 'object' && value !== null && 'busy' in value;

/** What a record knows of a notification (`DeliveryRecord.recall`). */
export interface Recollection {
	/** The subject's and state's keys in the record. */
	readonly subject: string;
	readonly state: string;
	readonly known: 'repeated' | 'conflict' | 'new';
}

/** A notification being processed: committed once the partner got 2XX, released otherwise. */
export interface Acceptance {
	commit(): void;
	release(): void;
	/** The status of a newer notification about the same subject already delivered, or null. */
	readonly newerStatus: string | null;
}

export class DeliveryRecord {
	/** subject hash → its entry as saved; Map iteration order is kept oldest accepted first. */
	private readonly accepted = new Map<string, string>();

	/** Subject and state hashes of notifications accepted but not yet answered 2XX. */
	private readonly inProgress = new Set<string>();

	/** Ordered subjects (digests) with notifications in progress: how many. */
	private readonly busySubjects = new Map<string, number>();

	/** Who waits for a busy subject to have nothing in progress (`oneAtATime`). */
	private readonly waiters = new Map<string, Array<() => void>>();

	/** When the most recently accepted entry in the record was accepted (ms since the epoch). */
	private newestAcceptedAt = -1;

	/** The last other process's save merged: seen again, it has nothing new. */
	private mergedRevision: string | undefined;

	/** This process's snapshots are `${revisionPrefix}${write}`, numbered in the order n8n took them. */
	private writes = 0;

	private readonly revisionPrefix = `${randomUUID().slice(0, 8)}-`;

	/** When `accepted` is next walked to forget its oldest (`forgetBeyondBounds`). */
	private readonly bound: Bound;

	/** The newest delivered notification per ordered subject, kept and bounded like `accepted`. */
	private readonly order: SubjectOrder;

	/**
	 * The first of this process's snapshots taken since the record last changed: that one and
	 * every later one hold all it knows. Infinity while no snapshot has been taken since.
	 */
	private completeFromWrite = Infinity;

	constructor(
		private readonly capacity = REMEMBERED_NOTIFICATIONS,
		private readonly now: () => number = Date.now,
	) {
		this.bound = new Bound(capacity);
		this.order = new SubjectOrder(SUBJECT_CHARS, capacity);
	}

	get size(): number {
		return this.accepted.size;
	}

	/**
	 * Whether nothing is in progress and n8n has serialised the record since it last changed:
	 * all it knows is then in static data, and it can be rebuilt from there.
	 */
	isIdle(): boolean {
		return this.inProgress.size === 0 && this.completeFromWrite !== Infinity;
	}

	/**
	 * Takes from static data what this process does not know (after a restart) and, for a subject
	 * both know, the state accepted more recently (another webhook process accepted a change).
	 */
	merge(persisted: unknown): void {
		if (!isSavedRecord(persisted) || persisted.revision === this.mergedRevision) return;
		// One of this process's own saves holds nothing it does not know. Under concurrent
		// requests the database mostly holds an earlier one than the last, and reading 10,000
		// entries again for nothing costs more than the rest of a repeat's check.
		if (this.ownWrite(persisted.revision) !== undefined) return;
		let outOfOrder = false;
		let changed = false;
		const forgottenBefore = this.oldestKeptWhenFull();
		const retriedSince = this.retriedSince();
		for (const saved of savedEntries(persisted)) {
			const entry = readEntry(saved);
			if (entry === undefined) continue;
			const subject = subjectOf(entry);
			const known = this.accepted.get(subject);
			if (known !== undefined && (known === entry || !supersedes(entry, known))) continue;
			const acceptedAt = acceptedAtOf(entry);
			if (acceptedAt < forgottenBefore || pastRetries(acceptedAt, retriedSince)) continue;
			this.accepted.delete(subject);
			this.accepted.set(subject, entry);
			changed = true;
			if (acceptedAt < this.newestAcceptedAt) outOfOrder = true;
			else this.newestAcceptedAt = acceptedAt;
		}
		if (outOfOrder) this.sortOldestFirst();
		if (this.order.merge(persisted.order, retriedSince)) changed = true;
		if (changed) this.bound.walkNext();
		this.forgetBeyondBounds();
		this.mergedRevision = persisted.revision;
		if (changed) this.completeFromWrite = Infinity;
	}

	/**
	 * Atomically (it never yields) decides what this delivery is: a repeat of a notification
	 * already accepted, a copy of one still being processed (`inProgress`), or new. A new one is
	 * held as in progress until the returned acceptance is committed (the partner was answered
	 * 2XX: it is remembered from then on) or released (it was not: the partner's retry must run
	 * it again). Only committed acceptances are ever saved.
	 */
	begin(identity: NotificationIdentity): 'repeated' | 'inProgress' | 'conflict' | Acceptance;
	begin(
		identity: NotificationIdentity,
		options: { oneAtATime: boolean; recalled?: Recollection },
	): 'repeated' | 'inProgress' | 'conflict' | SubjectBusy | Acceptance;
	begin(
		identity: NotificationIdentity,
		{ oneAtATime = false, recalled }: { oneAtATime?: boolean; recalled?: Recollection } = {},
	): 'repeated' | 'inProgress' | 'conflict' | SubjectBusy | Acceptance {
		const { subject, state, known } = recalled ?? this.recall(identity);
		if (known !== 'new') return known;
		const places = orderedPlaces(identity, subject);
		const { repeated, newerStatus } = this.order.verdict(places);
		if (repeated) return 'repeated';
		const pendingKey = subject + state;
		if (this.inProgress.has(pendingKey)) return 'inProgress';
		const subjects = distinctSubjects(places);
		if (oneAtATime) {
			const busy = subjects.filter((digest) => this.busySubjects.has(digest));
			if (busy.length > 0) return { busy: true, settled: this.settledOf(busy) };
		}
		this.inProgress.add(pendingKey);
		for (const digest of subjects) {
			this.busySubjects.set(digest, (this.busySubjects.get(digest) ?? 0) + 1);
		}
		let settled = false;
		const settle = () => {
			settled = true;
			this.inProgress.delete(pendingKey);
			for (const digest of subjects) this.leave(digest);
		};
		return {
			newerStatus,
			commit: () => {
				if (settled) return;
				settle();
				const acceptedAt = this.stamp();
				this.order.remember(places, acceptedAt);
				this.remember(subject, state, acceptedAt);
			},
			release: () => {
				if (settled) return;
				settle();
			},
		};
	}

	/** Resolves once none of `subjects` has a notification in progress. */
	private settledOf(subjects: readonly string[]): Promise<void> {
		return Promise.all(
			subjects.map(
				(digest) =>
					new Promise<void>((resolve) => {
						if (!this.busySubjects.has(digest)) return resolve();
						const waiting = this.waiters.get(digest) ?? [];
						waiting.push(resolve);
						this.waiters.set(digest, waiting);
					}),
			),
		).then(() => undefined);
	}

	private leave(digest: string): void {
		const count = this.busySubjects.get(digest);
		if (count === undefined) return;
		if (count > 1) return void this.busySubjects.set(digest, count - 1);
		this.busySubjects.delete(digest);
		const waiting = this.waiters.get(digest);
		if (waiting === undefined) return;
		this.waiters.delete(digest);
		for (const resolve of waiting) resolve();
	}

	/**
	 * What the record knows of this notification, changing nothing: `conflict` when its subject
	 * was delivered with other content (a genuine signature replayed over another body). Pass
	 * it on to `begin` to claim the notification without looking it up again.
	 */
	recall(identity: NotificationIdentity): Recollection {
		const subject = subjectDigest(identity.subject);
		const previous = this.accepted.get(subject);
		const { content } = identity;
		const state = digest(
			content === undefined ? identity.state : `${identity.state}\u0000${content}`,
			STATE_CHARS,
		);
		if (previous === undefined) return { subject, state, known: 'new' };
		const redundant = [state, ...(identity.outrankedBy ?? []).map((s) => digest(s, STATE_CHARS))];
		// Saved before contents were recorded: the status alone is all that can be compared.
		if (content !== undefined) redundant.push(digest(identity.state, STATE_CHARS));
		if (redundant.includes(stateOf(previous))) return { subject, state, known: 'repeated' };
		return { subject, state, known: content === undefined ? 'new' : 'conflict' };
	}

	/**
	 * When a notification is accepted: after every acceptance this process knows of, not merely
	 * by its clock. When this machine's clock is behind the one that stamped the state being
	 * replaced (skew between webhook processes), this change was still decided knowing that
	 * state and must win every merge against it. Only acceptances made by processes that had not
	 * yet seen each other's are ordered by their clocks, which must then agree to well within
	 * the time between two changes of one subject (NTP keeps them within milliseconds).
	 */
	private stamp(): number {
		const acceptedAt = Math.max(this.now(), this.newestAcceptedAt + 1);
		this.newestAcceptedAt = acceptedAt;
		return acceptedAt;
	}

	private remember(subject: string, state: string, acceptedAt: number): void {
		const entry = persistedEntry(subject, state, acceptedAt);
		this.accepted.delete(subject);
		// Keyed by the entry's own subject, so the key shares its characters.
		this.accepted.set(subjectOf(entry), entry);
		this.forgetBeyondBounds();
		this.completeFromWrite = Infinity;
	}

	/**
	 * Whether `persisted`, the static data n8n loaded for this request, is one of this record's
	 * snapshots taken since it last changed: then saving again would write the same entries.
	 * Not only the last one: under concurrent requests each loads static data before the others
	 * have saved, and if every request that loaded an earlier snapshot saved again, each save
	 * would make the next request's copy old, and every repeat would write the whole record.
	 * Any other revision (another process's save, or a snapshot from before the last change)
	 * means the database may lack something this record knows.
	 */
	isSavedAs(persisted: unknown): boolean {
		if (!isSavedRecord(persisted)) return false;
		const write = this.ownWrite(persisted.revision);
		return write !== undefined && write >= this.completeFromWrite;
	}

	/** Which of this process's snapshots `revision` is, if it is one. */
	private ownWrite(revision: string): number | undefined {
		const prefix = this.revisionPrefix;
		return revision.startsWith(prefix) ? Number(revision.slice(prefix.length)) : undefined;
	}

	/**
	 * What to put in static data: a view that serialises the record as it is when n8n *saves*,
	 * not when this request wrote it, so a save that lands after a concurrent request's save
	 * still carries that request's entry.
	 */
	persistedView(): { toJSON(): PersistedRecord } {
		return { toJSON: () => this.snapshot() };
	}

	private snapshot(): PersistedRecord {
		this.writes += 1;
		if (this.completeFromWrite === Infinity) this.completeFromWrite = this.writes;
		const order = this.order.pack();
		return {
			entries: packEntries(this.accepted.values()),
			revision: `${this.revisionPrefix}${this.writes}`,
			...(order === undefined ? {} : { order }),
		};
	}

	/** Eviction takes the first entries, so they must be the oldest accepted. */
	private sortOldestFirst(): void {
		const byAcceptance = [...this.accepted.values()]
			.map((entry) => ({ entry, acceptedAt: acceptedAtOf(entry) }))
			.sort((a, b) => a.acceptedAt - b.acceptedAt);
		this.accepted.clear();
		for (const { entry } of byAcceptance) this.accepted.set(subjectOf(entry), entry);
	}

	/**
	 * A full record ends a merge with entries no older than its oldest now, so anything older
	 * would be forgotten again at once: skipping it spares re-sorting for entries this process
	 * has already evicted and the other still saves.
	 */
	private oldestKeptWhenFull(): number {
		if (this.accepted.size < this.capacity) return -Infinity;
		const oldest = this.accepted.values().next().value as string;
		return acceptedAtOf(oldest);
	}

	/** Notifications accepted before this are past every retry (`REMEMBERED_DAYS`). */
	private retriedSince(): number {
		return this.now() - REMEMBERED_MS;
	}

	/**
	 * Forgets the oldest beyond the count and any past every retry. Entries are kept oldest
	 * first, so the walk ends at the first one within both bounds, after passing over entries
	 * saved without a time, which only the count forgets (their age is unknown).
	 */
	private forgetBeyondBounds(): void {
		const retriedSince = this.retriedSince();
		this.order.forget(retriedSince);
		const keep = this.bound.keepNow(this.accepted.size, retriedSince);
		if (keep === undefined) return;
		this.bound.walkNext();
		for (const [subject, entry] of this.accepted) {
			const acceptedAt = acceptedAtOf(entry);
			if (this.accepted.size <= keep) {
				if (acceptedAt === UNKNOWN_ACCEPTANCE_TIME) continue;
				if (!pastRetries(acceptedAt, retriedSince)) return this.bound.walked(acceptedAt);
			}
			this.accepted.delete(subject);
		}
	}
}

/**
 * Whether `candidate` is a subject's current state rather than `known`. The state accepted
 * last is the one the partner sent last, as far as any process can tell, and it is what every
 * process must compare the next delivery with: keeping an older one would take a return to
 * it (A → B → A) for a repeat and lose a change.
 *
 * Equal times mean two processes accepted different states in the same millisecond without
 * seeing each other, or both entries were saved without times (read as 0): which came first
 * cannot be known. Every process must still pick the same one, or each would keep its own and
 * they would never agree; the larger state hash is arbitrary but the same everywhere.
 */
function supersedes(candidate: string, known: string): boolean {
	const [candidateAt, knownAt] = [acceptedAtOf(candidate), acceptedAtOf(known)];
	if (candidateAt !== knownAt) return candidateAt > knownAt;
	return stateOf(candidate) > stateOf(known);
}

function pastRetries(acceptedAt: number, retriedSince: number): boolean {
	return acceptedAt !== UNKNOWN_ACCEPTANCE_TIME && acceptedAt < retriedSince;
}

/**
 * The identity's places the record can keep, each with its subject digested as the record's
 * are. A place about the record's own subject (a Qoala claim) reuses its digest.
 */
function orderedPlaces(identity: NotificationIdentity, identityDigest: string) {
	const places: Array<{ subject: string; place: OrderPlace }> = [];
	for (const candidate of identity.order ?? []) {
		const place = placeOf(candidate);
		if (place === undefined) continue;
		const subject = sameParts(place.subject, identity.subject)
			? identityDigest
			: subjectDigest(place.subject);
		places.push({ subject, place });
	}
	return places;
}

function sameParts(a: readonly string[], b: readonly string[]): boolean {
	if (a.length !== b.length) return false;
	for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return false;
	return true;
}

/** The subjects a notification's places are about, each once (most have one place). */
function distinctSubjects(places: ReadonlyArray<{ subject: string }>): string[] {
	const subjects: string[] = [];
	for (const { subject } of places) if (!subjects.includes(subject)) subjects.push(subject);
	return subjects;
}

/** A subject's key: the record's and the order's, so one subject is one key in both. */
function subjectDigest(parts: readonly string[]): string {
	return digest(parts.join('\u0000'), SUBJECT_CHARS);
}

function digest(text: string, chars: number): string {
	return createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, chars);
}

/**
 * How many triggers' records a process keeps. Each trigger's record is rebuilt from its static
 * data when it is needed again, so forgetting one costs a merge, never a notification; the
 * bound keeps a long-running n8n whose workflows come and go from holding them all.
 */
export const KEPT_RECORDS = 200;

/**
 * One record per trigger node per workflow, shared by every request this process serves;
 * the least recently used first.
 */
const records = new Map<string, DeliveryRecord>();

export function deliveryRecordFor(workflowId: string, nodeId: string): DeliveryRecord {
	const key = `${workflowId}/${nodeId}`;
	const record = records.get(key) ?? new DeliveryRecord();
	records.delete(key);
	records.set(key, record);
	// A record with a notification in progress holds what static data cannot: what is running.
	for (const [oldKey, oldRecord] of records) {
		if (records.size <= KEPT_RECORDS) break;
		if (oldRecord.isIdle()) records.delete(oldKey);
	}
	return record;
}
