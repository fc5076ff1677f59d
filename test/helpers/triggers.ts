import { registry, type Provider, type TriggerName } from '../../nodes/partners';
import type { Registry } from '../../nodes/shared/partner';

/**
 * The registry's triggers as the test tables name them. A table that needs hand-written data
 * per trigger or per partner (a forged body, a filter value, a secret) is keyed by
 * `TriggerKey` or `Provider` and read through `perTrigger` / `perPartner`: a partner added to
 * the registry (nodes/partners.ts) and missing from such a table fails the type check and the
 * suite's loading, naming the table and the trigger, instead of being skipped.
 */

export type { TriggerName };
type KeyOf<Name extends string> = Name extends `${infer Key}Trigger` ? Key : Name;
/** A trigger's key in the test tables: its node name without "Trigger" (`qoalaClaim`, `curacel`). */
export type TriggerKey = KeyOf<TriggerName>;

export const triggerKeyOf = (nodeName: string): string => nodeName.replace(/Trigger$/, '');

export interface TestTrigger {
	key: TriggerKey;
	nodeName: TriggerName;
	provider: Provider;
	/** The trigger's `authentication` default. */
	defaultScheme: string;
	/** The filter parameter (`statuses` or `events`). */
	filter: 'statuses' | 'events';
	/** Its samples, as `<provider>-<event>`, in registry order. */
	providerEvents: string[];
	/** The sample its demo sends (`npm start`): the one the suites send when one is enough. */
	mainEvent: string;
}

function testTriggersOf(triggers: Registry['triggers']): TestTrigger[] {
	return triggers.map((trigger) => ({
		key: triggerKeyOf(trigger.nodeName) as TriggerKey,
		nodeName: trigger.nodeName as TriggerName,
		provider: trigger.partner.provider as Provider,
		defaultScheme: trigger.defaultScheme,
		filter: trigger.filter,
		providerEvents: trigger.samples.map((sample) => `${trigger.partner.provider}-${sample.event}`),
		mainEvent: trigger.demo.sample,
	}));
}

/** Every trigger of the registry, in registry order. */
export const TEST_TRIGGERS: readonly TestTrigger[] = testTriggersOf(registry.triggers);

/** Throws unless `keys` are exactly `expected`, naming what is missing and what is extra. */
export function expectSameKeys(
	table: string,
	keys: readonly string[],
	expected: readonly string[],
): void {
	const missing = expected.filter((key) => !keys.includes(key));
	const extra = keys.filter((key) => !expected.includes(key));
	if (missing.length > 0 || extra.length > 0) {
		throw new Error(
			`${table} does not match the registry (nodes/partners.ts):` +
				(missing.length > 0 ? ` it lacks ${missing.join(', ')};` : '') +
				(extra.length > 0 ? ` it has ${extra.join(', ')}, which the registry does not.` : ''),
		);
	}
}

/**
 * Each trigger of the registry with its row of `rows`, in registry order; throws when a
 * trigger has no row (or a row names no trigger). `triggers` is the registry's unless given
 * (a test may pass a registry with a fictional partner).
 */
export function perTrigger<Row>(
	table: string,
	rows: Readonly<Record<TriggerKey, Row>>,
	triggers: Registry['triggers'] = registry.triggers,
): Array<TestTrigger & { row: Row }> {
	const all = testTriggersOf(triggers);
	expectSameKeys(
		table,
		Object.keys(rows),
		all.map((trigger) => trigger.key),
	);
	return all.map((trigger) => ({ ...trigger, row: rows[trigger.key] }));
}

/** The row of each partner of the registry; throws when a partner has none (or a row names none). */
export function perPartner<Row>(
	table: string,
	rows: Readonly<Record<Provider, Row>>,
	partners: Registry['partners'] = registry.partners,
): Readonly<Record<Provider, Row>> {
	expectSameKeys(
		table,
		Object.keys(rows),
		partners.map((partner) => partner.provider),
	);
	return rows;
}
