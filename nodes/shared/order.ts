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

/**
 * The order as saved in static data. n8n reads the whole of it on every request and writes it
 * after every accepted delivery, so a subject costs as few bytes as it can: each status name
 * is written once (`statuses`), and a place is `<subject digest><day accepted><status number>
 * <rank>`, the day and the status number in fixed widths and the rank last (one character for
 * a stage, eight or nine for a time), the places separated by spaces.
 */
export interface SavedOrder {
	statuses: string[];
	places: string;
}

/** Lines hold only digests and digits: a space needs no escaping in JSON, a newline would. */
const LINE_SEPARATOR = ' ';
const BASE = 36;
const DIGITS = /^[0-9a-z]+$/;

/**
 * Days since the epoch (three digits last until 2097): the order forgets a subject by age only
 * (`REMEMBERED_DAYS`), so a day is fine enough, and one of two places of equal rank is as good
 * as the other (`supersedes`).
 */
const DAY_CHARS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A status's number in `statuses`: two digits, 1,296 statuses per trigger at most. */
const STATUS_CHARS = 2;
const MAX_STATUSES = BASE ** STATUS_CHARS;

/** A place the record can keep: a whole, non-negative rank. */
export function placeOf(place: OrderPlace): OrderPlace | undefined {
	return Number.isSafeInteger(place.rank) && place.rank >= 0 ? place : undefined;
}

interface OrderEntry {
	rank: number;
	/** The end of the day it was accepted (ms): a day is all a line keeps. */
	acceptedAt: number;
	status: string;
}

/**
 * The newest delivered place per subject (by subject digest), oldest accepted first so the
 * bounds forget the oldest, as the delivery record does (and within its bounds).
 */
export class SubjectOrder {
	/** subject digest → its line as saved. */
	private readonly latest = new Map<string, string>();

	/** Every status a line names, by its number; `numbers` is the way back. */
	private readonly statuses: string[] = [];
	private readonly numbers = new Map<string, string>();

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
			const status = this.numberOf(place.status);
			// More statuses than a line can number: only tampered static data gets here. The
			// place is left out, so it is never out of date (when in doubt, deliver).
			if (status === undefined) continue;
			this.latest.delete(subject);
			this.latest.set(subject, lineOf(subject, dayOf(acceptedAt), status, place.rank));
		}
	}

	/**
	 * Takes what another process (or this one before a restart) saved: per subject the higher
	 * rank, and for equal ranks the one accepted later (the larger status on a tie, so every
	 * process picks the same). Reads today's form and the one saved before 7 December (a string
	 * of lines with the status spelled out). Returns whether anything changed.
	 */
	merge(saved: unknown, keepFrom: number): boolean {
		let changed = false;
		for (const { subject, entry } of this.readSaved(saved)) {
			if (entry.acceptedAt < keepFrom) continue;
			const known = this.latest.get(subject);
			if (known !== undefined && !supersedes(entry, this.read(known))) continue;
			const status = this.numberOf(entry.status);
			if (status === undefined) continue;
			this.latest.delete(subject);
			this.latest.set(subject, lineOf(subject, entry.day, status, entry.rank));
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

	/** The whole order in its saved form, or undefined while it is empty. */
	pack(): SavedOrder | undefined {
		if (this.latest.size === 0) return undefined;
		return { statuses: [...this.statuses], places: [...this.latest.values()].join(LINE_SEPARATOR) };
	}

	/** A status's number, numbering it if it is new; undefined when the numbers are used up. */
	private numberOf(status: string): string | undefined {
		const known = this.numbers.get(status);
		if (known !== undefined || this.statuses.length === MAX_STATUSES) return known;
		const number = this.statuses.length.toString(BASE).padStart(STATUS_CHARS, '0');
		this.statuses.push(status);
		this.numbers.set(status, number);
		return number;
	}

	private sortOldestFirst(): void {
		const byAcceptance = [...this.latest].sort(
			([, a], [, b]) => this.read(a).acceptedAt - this.read(b).acceptedAt,
		);
		this.latest.clear();
		for (const [subject, saved] of byAcceptance) this.latest.set(subject, saved);
	}

	private read(line: string): OrderEntry {
		const at = this.subjectChars;
		const statusAt = at + DAY_CHARS;
		const rankAt = statusAt + STATUS_CHARS;
		return {
			rank: parseInt(line.slice(rankAt), BASE),
			acceptedAt: endOfDay(parseInt(line.slice(at, statusAt), BASE)),
			status: this.statuses[parseInt(line.slice(statusAt, rankAt), BASE)],
		};
	}

	/**
	 * The places of a saved order, each checked: a line cut short or edited is skipped, not
	 * trusted, and so is a line whose status number names no status.
	 */
	private *readSaved(
		saved: unknown,
	): Generator<{ subject: string; entry: OrderEntry & { day: number } }> {
		if (typeof saved === 'string') {
			yield* this.readSavedBefore7December(saved);
			return;
		}
		if (!isSavedOrder(saved)) return;
		const at = this.subjectChars;
		const statusAt = at + DAY_CHARS;
		const rankAt = statusAt + STATUS_CHARS;
		for (const line of saved.places.split(LINE_SEPARATOR)) {
			if (line.length <= rankAt || !DIGITS.test(line.slice(at))) continue;
			const status = saved.statuses[parseInt(line.slice(statusAt, rankAt), BASE)];
			const rank = parseInt(line.slice(rankAt), BASE);
			if (typeof status !== 'string' || placeOf({ subject: [], rank, status }) === undefined) {
				continue;
			}
			const day = parseInt(line.slice(at, statusAt), BASE);
			yield { subject: line.slice(0, at), entry: { rank, status, day, acceptedAt: endOfDay(day) } };
		}
	}

	/** Lines of `<subject digest><rank><accepted at><status>`, both numbers 9 base-36 digits. */
	private *readSavedBefore7December(
		saved: string,
	): Generator<{ subject: string; entry: OrderEntry & { day: number } }> {
		const NUMBER_CHARS = 9;
		const at = this.subjectChars;
		for (const line of saved.split('\n')) {
			const numbers = line.slice(at, at + 2 * NUMBER_CHARS);
			if (line.length <= at + 2 * NUMBER_CHARS || !DIGITS.test(numbers)) continue;
			const day = dayOf(parseInt(numbers.slice(NUMBER_CHARS), BASE));
			yield {
				subject: line.slice(0, at),
				entry: {
					rank: parseInt(numbers.slice(0, NUMBER_CHARS), BASE),
					status: line.slice(at + 2 * NUMBER_CHARS),
					day,
					acceptedAt: endOfDay(day),
				},
			};
		}
	}
}

function isSavedOrder(value: unknown): value is SavedOrder {
	if (typeof value !== 'object' || value === null) return false;
	const { statuses, places } = value as Partial<SavedOrder>;
	return Array.isArray(statuses) && typeof places === 'string';
}

function supersedes(candidate: OrderEntry, known: OrderEntry): boolean {
	if (candidate.rank !== known.rank) return candidate.rank > known.rank;
	if (candidate.acceptedAt !== known.acceptedAt) return candidate.acceptedAt > known.acceptedAt;
	return candidate.status > known.status;
}

const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

/** The last ms of a day: a place is forgotten by age only once all of its day is past. */
const endOfDay = (day: number): number => (day + 1) * DAY_MS - 1;

function lineOf(subject: string, day: number, status: string, rank: number): string {
	return [subject, day.toString(BASE).padStart(DAY_CHARS, '0'), status, rank.toString(BASE)].join(
		'',
	);
}
