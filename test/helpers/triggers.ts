import { registry, type Provider, type TriggerName } from '../../nodes/partners';
import type { Registry } from '../../nodes/shared/partner';

/**
 * The registry's triggers as the suites name them. No suite keeps a table of rows per trigger
 * or per partner: what they send each trigger besides its samples is worked out from its
 * contract and samples (variants.ts), so a partner added to the registry (nodes/partners.ts)
 * is tested everywhere without a row to write.
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
