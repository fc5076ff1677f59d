/**
 * When to walk a bounded Map, kept oldest first, to forget its oldest entries.
 *
 * Walking a Map from its start passes every entry deleted since the Map last rehashed (V8 keeps
 * them as holes until then), so a walk on every insertion at the bound passes thousands of
 * holes each time: measured, most of an accepted delivery's cost in a record at its bound. So
 * a walk runs only when it has work: over the bound it forgets the oldest hundredth at once
 * (the next such walk is a hundredth of the bound later), and for age only once the oldest
 * entry, as the last walk found it, has passed the age bound.
 */
export class Bound {
	/** When the oldest entry was accepted, as the last walk found it: never later than it is. */
	private oldestAt = -Infinity;

	constructor(readonly capacity: number) {}

	/**
	 * How many entries a walk keeps if one is due now, or undefined. `keepFrom`: entries
	 * accepted before it are past the age bound.
	 */
	keepNow(size: number, keepFrom: number): number | undefined {
		if (size > this.capacity) return this.capacity - Math.floor(this.capacity / TRIMMED_PER_WALK);
		return this.oldestAt < keepFrom ? this.capacity : undefined;
	}

	/** A walk stopped at an entry accepted at `acceptedAt` (it is now the oldest kept). */
	walked(acceptedAt: number): void {
		this.oldestAt = acceptedAt;
	}

	/** The order changed (a merge) or nothing is known: the next call walks. */
	walkNext(): void {
		this.oldestAt = -Infinity;
	}
}

/** Over the bound, a walk forgets down to 99 % of it (exactly to the bound below 100). */
const TRIMMED_PER_WALK = 100;
