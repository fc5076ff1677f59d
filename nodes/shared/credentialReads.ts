/**
 * Credentials read from n8n, reused for a few seconds.
 *
 * Outside an execution, n8n's `getCredentials` builds a stand-in workflow and takes a V8
 * isolate for it (under the default expression engine), on every request. Reusing a read for
 * a few seconds saves that isolate on every delivery the credential already decides. It
 * cannot cost a user a delivery:
 * - a delivery the reused credential refuses is checked again against a read that started
 *   after the delivery arrived, so an edit in n8n counts for the very next delivery;
 * - a read is reused for at most `CREDENTIAL_REUSE_SECONDS`, so a replaced secret, or a deleted
 *   credential, stops being accepted within that time;
 * - the cache lives only in this process's memory (never logged, never in static data), holds
 *   one entry per credential (its type and id), and at most `CREDENTIAL_READS_KEPT` of them.
 */

/** The longest a credential read is reused: what the node's help promises for a replaced secret. */
export const CREDENTIAL_REUSE_SECONDS = 5;
/** How many credentials are kept at once; the least recently used one goes first. */
export const CREDENTIAL_READS_KEPT = 1_000;

/** Taken when a delivery arrives: reads that start after it see every edit made before it. */
export type ReadTicket = number;

interface Reuse<Value> {
	value: Value;
	readAt: number;
	ticket: ReadTicket;
}

interface PendingRead<Value> {
	ticket: ReadTicket;
	promise: Promise<Value>;
}

export class CredentialReads<Value> {
	private readonly kept = new Map<string, Reuse<Value>>();
	private readonly pending = new Map<string, PendingRead<Value>>();
	private readsStarted = 0;

	constructor(
		private readonly reuseMs = CREDENTIAL_REUSE_SECONDS * 1_000,
		private readonly capacity = CREDENTIAL_READS_KEPT,
		private readonly now: () => number = () => Date.now(),
	) {}

	get size(): number {
		return this.kept.size;
	}

	ticket(): ReadTicket {
		return this.readsStarted;
	}

	/** The kept read when it is recent enough (`reused`), otherwise a new one. */
	async current(
		key: string,
		read: () => Promise<Value>,
	): Promise<{ value: Value; reused: boolean }> {
		const kept = this.kept.get(key);
		if (kept && this.now() - kept.readAt < this.reuseMs) {
			this.kept.delete(key);
			this.kept.set(key, kept);
			return { value: kept.value, reused: true };
		}
		return { value: await this.since(key, read, this.ticket()), reused: false };
	}

	/**
	 * A read that started after `ticket` was taken: one already under way is shared (many
	 * refused deliveries at once cost one read), otherwise a new one starts.
	 */
	async since(key: string, read: () => Promise<Value>, ticket: ReadTicket): Promise<Value> {
		for (;;) {
			const pending = this.pending.get(key);
			if (pending === undefined) return this.start(key, read);
			if (pending.ticket > ticket) return pending.promise;
			await pending.promise.catch(() => undefined);
		}
	}

	private start(key: string, read: () => Promise<Value>): Promise<Value> {
		this.readsStarted += 1;
		const ticket = this.readsStarted;
		const readAt = this.now();
		const settle = () => {
			if (this.pending.get(key)?.ticket === ticket) this.pending.delete(key);
		};
		const promise = read().then(
			(value) => {
				settle();
				this.keep(key, { value, readAt, ticket });
				return value;
			},
			(error: unknown) => {
				settle();
				// A credential n8n no longer gives (deleted, unusable) is not reused either.
				this.kept.delete(key);
				throw error;
			},
		);
		this.pending.set(key, { ticket, promise });
		return promise;
	}

	private keep(key: string, reuse: Reuse<Value>): void {
		const kept = this.kept.get(key);
		// Two reads can overlap (one began before a delivery arrived); the later one wins.
		if (kept && kept.ticket > reuse.ticket) return;
		this.kept.delete(key);
		this.kept.set(key, reuse);
		while (this.kept.size > this.capacity) {
			this.kept.delete(this.kept.keys().next().value as string);
		}
	}
}
