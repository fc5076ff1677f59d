import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

import { z } from 'zod/v4';

import { PARTNERS, type Provider } from '../../nodes/partners';

/**
 * What the item of each sample must say, read off the sample payloads and the partners'
 * status tables (docs/providers.md): the facts an e2e delivery is checked against. They are
 * facts, so they stay literal, and they live beside the samples, one file per provider-event
 * (samples/expected/<provider>-<event>.json): a new partner's facts come with its samples.
 */
const expectedItem = z.strictObject({
	provider: z.custom<Provider>((value) => PARTNERS.some(({ provider }) => provider === value)),
	event: z.string(),
	status: z.string().nullable(),
	outcome: z.string(),
	isFinal: z.boolean(),
	/** Identifier fields of the item and their values for the sample. */
	identifiers: z.record(z.string(), z.unknown()),
	/**
	 * A trigger with a Statuses filter: every status the partner documents, with the outcome and
	 * finality it means (its status table, read off the partner's documentation). Given on the
	 * trigger's sample; the unit tests send the sample with each status in turn.
	 */
	statuses: z
		.record(
			z.string(),
			z.strictObject({
				outcome: z.string(),
				isFinal: z.boolean(),
				/** Other item fields the status decides (Cermati claims: `actionRequiredFrom`). */
				fields: z.record(z.string(), z.unknown()).optional(),
			}),
		)
		.optional(),
	/**
	 * The item's other fields for the sample (besides receivedAt and body), so a unit test can
	 * check the whole item: with the fields above, everything a trigger emits for it.
	 */
	otherFields: z.record(z.string(), z.unknown()).optional(),
	/**
	 * Deliveries of the sample as the partner signs it, one per way it can be set up, each
	 * computed from the partner's documentation (not by this package): the trigger's
	 * `authentication`, the credential it holds and one holding another secret, the headers
	 * the partner sends with these exact bytes, a malformed value of the header, and whether
	 * the check covers the body.
	 */
	deliveries: z
		.array(
			z.strictObject({
				authentication: z.string(),
				credentials: z.record(z.string(), z.record(z.string(), z.string())),
				wrongSecret: z.record(z.string(), z.record(z.string(), z.string())),
				headers: z.record(z.string(), z.string()),
				malformed: z.string(),
				coversBody: z.boolean(),
			}),
		)
		.optional(),
});

export type ExpectedItem = z.infer<typeof expectedItem>;

const EXPECTED_DIR = path.join(__dirname, '..', '..', 'samples', 'expected');

/** Each provider-event's facts, by `<provider>-<event>`; a malformed file fails at import. */
export const EXPECTED: Record<string, ExpectedItem> = Object.fromEntries(
	readdirSync(EXPECTED_DIR)
		.filter((name) => name.endsWith('.json'))
		.map((name) => {
			const file = path.join(EXPECTED_DIR, name);
			const parsed = expectedItem.safeParse(JSON.parse(readFileSync(file, 'utf8')));
			if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
			return [name.replace(/\.json$/, ''), parsed.data];
		}),
);

/** The fields every item has, whatever the trigger. */
export const COMMON_ITEM_FIELDS = [
	'provider',
	'event',
	'status',
	'statusLabel',
	'outcome',
	'isFinal',
	'isLatest',
	'latestStatus',
	'occurredAt',
	'receivedAt',
	'deliveryKey',
	'body',
] as const;
