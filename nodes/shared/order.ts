/**
 * The order of a subject's notifications: which status of a claim, policy, application or
 * voucher the partner sent last, so that a late retry of an older one can be recognised.
 *
 * Partners retry every notification not answered 2XX for hours, so a failed run's retry may
 * arrive after a newer status was delivered; delivered as news, it would overwrite that newer
 * status in a CRM. Each partner says, in its own folder (`nodes/<Partner>/order.ts`), where a
 * notification stands among its subject's notifications, from what the partner documents and
 * only that. A notification with no place (a status nobody documented, an event with no
 * documented lifecycle) is never out of date: a wrong "out of date" drops real news.
 */
import { Bound } from './bounds';

/** Where one notification stands among the notifications about one subject. */
export interface OrderPlace {
	/** What is ordered, e.g. `['claim', claimNumber]`; unrelated to the record's subject. */
	subject: readonly string[];
	/**
	 * Higher comes later: a stage of the partner's lifecycle, or a signed time in ms. Two places
	 * of equal rank are not ordered (both are news), unless `sameWhenEqual`.
	 */
	rank: number;
	/** What a late notification names as the newer one (`latestStatus`): its status or event. */
	status: string;
	/**
	 * The rank is the time of the change, so equal rank and status are one notification written
	 * another way (Cermati: the same instant in another offset), a repeat.
	 */
	sameWhenEqual?: boolean;
}

/** What the order says of a notification about to be accepted. */
export interface OrderVerdict {
	/** The same notification as the newest delivered one (only for `sameWhenEqual` places). */
	repeated: boolean;
	/** The status of a newer notification already delivered about the same subject, if any. */
	newerStatus: string | null;
}

/** Base 36, zero-padded: ranks are stages or ms since the epoch (9 digits last until 5138). */
const NUMBER_CHARS = 9;
const MAX_RANK = 36 ** NUMBER_CHARS - 1;

/** A place the record can keep: a whole, non-negative rank within the saved width. */
export function placeOf(place: OrderPlace): OrderPlace | undefined {
	const fits = Number.isSafeInteger(place.rank) && place.rank >= 0 && place.rank <= MAX_RANK;
	return fits && !place.status.includes(ENTRY_SEPARATOR) ? place : undefined;
}

/** Saved entries are `<subject digest><rank><accepted at><status>`, one per line. */
const ENTRY_SEPARATOR = '\n';

interface OrderEntry {
	rank: number;
	acceptedAt: number;
	status: string;
}

/**
 * The newest delivered place per subject (by subject digest), oldest accepted first so the
 * bounds forget the oldest, as the delivery record does (and within its bounds).
 */
export class SubjectOrder {
	private readonly latest = new Map<string, string>();

	/** When `latest` is next walked to forget its oldest (`forget`). */
	private readonly bound: Bound;

	constructor(
		private readonly subjectChars: number,
		capacity: number,
	) {
		this.bound = new Bound(capacity);
	}

	get size(): number {
		return this.latest.size;
	}

	/** Compares a notification's places (digested subjects) with the newest delivered ones. */
	verdict(places: ReadonlyArray<{ subject: string; place: OrderPlace }>): OrderVerdict {
		let newerStatus: string | null = null;
		let repeated = false;
		for (const { subject, place } of places) {
			const saved = this.latest.get(subject);
			if (saved === undefined) continue;
			const newest = this.read(saved);
			if (newest.rank > place.rank) newerStatus ??= newest.status;
			else if (newest.rank === place.rank && newest.status === place.status) {
				repeated ||= place.sameWhenEqual === true;
			}
		}
		return { repeated, newerStatus };
	}

	/** Remembers delivered places that are at least as new as what each subject holds. */
	remember(
		places: ReadonlyArray<{ subject: string; place: OrderPlace }>,
		acceptedAt: number,
	): void {
		for (const { subject, place } of places) {
			const saved = this.latest.get(subject);
			if (saved !== undefined && this.read(saved).rank > place.rank) continue;
			this.latest.delete(subject);
			this.latest.set(subject, entryOf(subject, place.rank, acceptedAt, place.status));
		}
	}

	/**
	 * Takes what another process (or this one before a restart) saved: per subject the higher
	 * rank, and for equal ranks the one accepted later (the larger status on a tie, so every
	 * process picks the same). Returns whether anything changed, and whether it arrived out of
	 * acceptance order (then the caller re-sorts with `sortOldestFirst`).
	 */
	merge(saved: unknown, keepFrom: number): boolean {
		if (typeof saved !== 'string' || saved === '') return false;
		let changed = false;
		for (const line of saved.split(ENTRY_SEPARATOR)) {
			const entry = this.readSaved(line);
			if (entry === undefined || entry.acceptedAt < keepFrom) continue;
			const subject = line.slice(0, this.subjectChars);
			const known = this.latest.get(subject);
			if (known !== undefined && !supersedes(entry, this.read(known))) continue;
			this.latest.delete(subject);
			this.latest.set(subject, line);
			changed = true;
		}
		if (changed) {
			this.sortOldestFirst();
			this.bound.walkNext();
		}
		return changed;
	}

	/** Forgets the oldest beyond its capacity and any accepted before `keepFrom` (when due: `Bound`). */
	forget(keepFrom: number): void {
		const keep = this.bound.keepNow(this.latest.size, keepFrom);
		if (keep === undefined) return;
		this.bound.walkNext();
		for (const [subject, saved] of this.latest) {
			const { acceptedAt } = this.read(saved);
			if (this.latest.size <= keep && acceptedAt >= keepFrom) return this.bound.walked(acceptedAt);
			this.latest.delete(subject);
		}
	}

	/** The whole order as one string (n8n pays per value in static data, as for the record). */
	pack(): string {
		return [...this.latest.values()].join(ENTRY_SEPARATOR);
	}

	private sortOldestFirst(): void {
		const byAcceptance = [...this.latest].sort(
			([, a], [, b]) => this.read(a).acceptedAt - this.read(b).acceptedAt,
		);
		this.latest.clear();
		for (const [subject, saved] of byAcceptance) this.latest.set(subject, saved);
	}

	private read(saved: string): OrderEntry {
		const at = this.subjectChars;
		return {
			rank: parseInt(saved.slice(at, at + NUMBER_CHARS), 36),
			acceptedAt: parseInt(saved.slice(at + NUMBER_CHARS, at + 2 * NUMBER_CHARS), 36),
			status: saved.slice(at + 2 * NUMBER_CHARS),
		};
	}

	/** A saved line in today's form; anything else (cut short, edited) is skipped, not trusted. */
	private readSaved(line: string): OrderEntry | undefined {
		const numbers = line.slice(this.subjectChars, this.subjectChars + 2 * NUMBER_CHARS);
		if (line.length <= this.subjectChars + 2 * NUMBER_CHARS || !/^[0-9a-z]+$/.test(numbers)) {
			return undefined;
		}
		return this.read(line);
	}
}

function supersedes(candidate: OrderEntry, known: OrderEntry): boolean {
	if (candidate.rank !== known.rank) return candidate.rank > known.rank;
	if (candidate.acceptedAt !== known.acceptedAt) return candidate.acceptedAt > known.acceptedAt;
	return candidate.status > known.status;
}

function entryOf(subject: string, rank: number, acceptedAt: number, status: string): string {
	const number = (value: number) => value.toString(36).padStart(NUMBER_CHARS, '0');
	return [subject, number(rank), number(acceptedAt), status].join('');
}
