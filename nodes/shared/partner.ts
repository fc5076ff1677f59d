import type { z } from 'zod/v4';

import type { AuthenticationMethods } from './authentication';
import type { DeliveryContract } from './contract';
import type { CredentialRules } from './credentialTests';

/**
 * What the package knows about one partner, declared once in the partner's own folder
 * (`nodes/<Partner>/partner.ts`) and listed in the registry (`nodes/partners.ts`). Everything
 * that used to keep its own list of partners — the editor's guidance, the credential tests,
 * the sender, the build, `index.ts`, the demo, the unit-test tables — reads it from there.
 * No n8n runtime (the sender imports it, with zod as its one dependency).
 */

/**
 * How the partner is told which URL to call. The partner registers it, never this node, so
 * the editor says how (a notice at the top of the node and its trigger panel), and activation
 * warns when the URL the partner has is no longer the live one.
 */
export interface PartnerGuidance {
	name: string;
	/** What the user does to give the partner the URL, completing "… until you <registrationStep>." */
	registrationStep: string;
	/** Where to register the Production URL, in full sentences (no HTML: it is also a notice). */
	howToRegister: string;
	/** Completes "n8n answers <name> 404, and <name> <whenOff>." */
	whenOff: string;
}

/** One sample in samples/: `samples/<provider>-<event>.json`. */
export interface SampleDefinition {
	event: string;
	description: string;
}

/** One trigger node of the partner, and the samples a genuine partner sends to it. */
export interface TriggerDefinition {
	/** The node's `description.name` (workflows use it with the package prefix). */
	nodeName: string;
	/** The node's display name. */
	displayName: string;
	/**
	 * What the trigger accepts and how it reads it (`nodes/<Partner>/<Trigger>/<event>.ts`):
	 * its payload schema, its `authentication` choices, its filter, its status table.
	 */
	contract: DeliveryContract<unknown, unknown>;
	/** The schema of the item it emits: what the build publishes as the node's output schema. */
	item: z.ZodObject;
	/** The `authentication` value a new node starts with. */
	defaultScheme: string;
	/** The body fields the partner signs (concatenated as sent), where it signs fields. */
	signedFields?: readonly string[];
	samples: readonly SampleDefinition[];
	/** Its demo workflow in `npm start` (fixed ids, so the URLs stay the same between runs). */
	demo: {
		workflowId: string;
		title: string;
		webhookId: string;
		/** The provider-event the printed sender command sends. */
		sample: string;
	};
}

/** The credential `npm start` imports for the demos, and the secret its sender commands use. */
export interface DemoCredential {
	id: string;
	name: string;
	/** A credential type of the partner, the one its triggers' default scheme asks for. */
	type: string;
	data: Readonly<Record<string, string>>;
	/** What `--secret` of the printed sender commands says. */
	secret: string;
}

export interface PartnerDefinition<Id extends string = string> extends PartnerGuidance {
	/** The `provider` of every item the partner's triggers emit, and the prefix of its samples. */
	provider: Id;
	/** The partner's credential types by name, with what their Test button checks. */
	credentials: Readonly<Record<string, CredentialRules>>;
	triggers: readonly TriggerDefinition[];
	demoCredential: DemoCredential;
}

/** A sample, as the sender and the tests name it: `<provider>-<event>`. */
export interface ProviderEvent extends SampleDefinition {
	id: string;
	provider: string;
	nodeName: string;
	methods: AuthenticationMethods;
	defaultScheme: string;
}

/** A trigger as the registry lists it: with its partner, and what its contract says. */
export type RegisteredTrigger<P extends PartnerDefinition = PartnerDefinition> =
	TriggerDefinition & {
		partner: P;
		/** The trigger's `authentication` choices, keyed by parameter value (its contract's). */
		methods: AuthenticationMethods;
		/** The node parameter holding the user's filter (its contract's). */
		filter: 'statuses' | 'events';
	};

/** What a list of partners gives everything that iterates them. */
export interface Registry<P extends PartnerDefinition = PartnerDefinition> {
	partners: readonly P[];
	/** The partner whose `provider` this is; throws for one not in the list. */
	partner(provider: string): P;
	/** Every credential type of every partner, by name. */
	credentialRules: Readonly<Record<string, CredentialRules>>;
	/** Every trigger, with its partner. */
	triggers: ReadonlyArray<RegisteredTrigger<P>>;
	/** Every sample, in partner order. */
	providerEvents: readonly ProviderEvent[];
}

export function registryOf<P extends PartnerDefinition>(partners: readonly P[]): Registry<P> {
	const seen = new Set<string>();
	for (const { provider } of partners) {
		if (seen.has(provider)) throw new Error(`Partner "${provider}" is listed twice`);
		seen.add(provider);
	}
	const credentialRules: Record<string, CredentialRules> = {};
	for (const { credentials } of partners) {
		for (const [type, rules] of Object.entries(credentials)) {
			if (Object.prototype.hasOwnProperty.call(credentialRules, type)) {
				throw new Error(`Credential type "${type}" belongs to two partners`);
			}
			credentialRules[type] = rules;
		}
	}
	const triggers = partners.flatMap((partner) =>
		partner.triggers.map((trigger): RegisteredTrigger<P> => ({
			...trigger,
			partner,
			methods: trigger.contract.authentication,
			filter: trigger.contract.filter.parameter,
		})),
	);
	const providerEvents = triggers.flatMap(
		({ partner, nodeName, methods, defaultScheme, samples }) =>
			samples.map((sample): ProviderEvent => ({
				id: `${partner.provider}-${sample.event}`,
				provider: partner.provider,
				event: sample.event,
				description: sample.description,
				nodeName,
				methods,
				defaultScheme,
			})),
	);
	return {
		partners,
		partner(provider) {
			const found = partners.find((candidate) => candidate.provider === provider);
			if (!found) throw new Error(`Unknown partner "${provider}"`);
			return found;
		},
		credentialRules,
		triggers,
		providerEvents,
	};
}
