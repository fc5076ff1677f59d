import type { IDataObject } from 'n8n-workflow';

import { credentialRules, registry } from '../../nodes/partners';
import { EXPECTED, type ExpectedItem } from '../e2e/expected';
import { triggerNode } from '../helpers/nodes';
import { sample } from '../helpers/samples';
import { TEST_TRIGGERS } from '../helpers/triggers';
import { variantsOfTrigger } from '../helpers/variants';
import { deliver } from '../helpers/webhookContext';

/**
 * Each trigger, sent its sample as the partner signs it in every way the partner can be set
 * up. The signed deliveries and the item they must give are facts kept beside the sample
 * (`deliveries` and the item's fields in samples/expected/<provider>-<event>.json), computed
 * from the partner's documentation, not by this package; the triggers come from the registry.
 */

/** The password fields of the registry's credentials. */
const SECRET_FIELDS = Object.values(credentialRules).flatMap((rules) => [
	...rules.secrets,
	...Object.keys(rules.optionalSecrets ?? {}),
]);

type SchemeCase = NonNullable<ExpectedItem['deliveries']>[number];

/** The trigger's samples that come with signed deliveries, and what each must give. */
const triggers = registry.triggers.map((definition) => {
	const testTrigger = TEST_TRIGGERS.find((entry) => entry.nodeName === definition.nodeName)!;
	const signedSamples = testTrigger.providerEvents.filter(
		(providerEvent) => EXPECTED[providerEvent]?.deliveries,
	);
	return { definition, testTrigger, signedSamples };
});

it('has signed deliveries of a sample of every trigger, for every authentication but none', () => {
	for (const { definition, signedSamples } of triggers) {
		const covered = new Set(
			signedSamples.flatMap((providerEvent) =>
				(EXPECTED[providerEvent].deliveries ?? []).map((scheme) => scheme.authentication),
			),
		);
		expect([definition.nodeName, [...covered].sort()]).toEqual([
			definition.nodeName,
			Object.keys(definition.methods)
				.filter((method) => method !== 'none')
				.sort(),
		]);
		for (const providerEvent of signedSamples) {
			expect([providerEvent, EXPECTED[providerEvent].otherFields]).toEqual([
				providerEvent,
				expect.any(Object),
			]);
		}
	}
});

/** The whole item a sample gives (receivedAt and body aside), from its facts. */
function expectedItemOf(providerEvent: string): IDataObject {
	const { provider, event, status, outcome, isFinal, identifiers, otherFields } =
		EXPECTED[providerEvent];
	return { provider, event, status, outcome, isFinal, ...identifiers, ...otherFields };
}

const cases = triggers.flatMap(({ definition, testTrigger, signedSamples }) =>
	signedSamples.map((providerEvent) => ({
		name: `${definition.displayName} (${providerEvent})`,
		node: triggerNode(definition.nodeName),
		sample: providerEvent,
		schemes: EXPECTED[providerEvent].deliveries ?? [],
		itemSchema: definition.item,
		expected: expectedItemOf(providerEvent),
		/** A change to the body a check that covers it must notice: its subject replaced. */
		tamper: () => variantsOfTrigger(testTrigger).distinct('TAMPERED-0001'),
		/** The credential fields that are settings, not secrets: kept when the secret is emptied. */
		settings: Object.values(credentialRules).flatMap((rules) => [
			...(rules.header ? [rules.header.field] : []),
			...(rules.choices ?? []).map((choice) => choice.field),
		]),
	})),
);

/** The header a scheme's check reads: the one its signed delivery carries. */
const headerOf = (scheme: SchemeCase) => Object.keys(scheme.headers)[0];

describe.each(cases.map((entry) => [entry.name, entry] as const))('%s', (_name, trigger) => {
	const body = sample(trigger.sample);

	describe.each(
		trigger.schemes.map(
			(scheme) => [`${scheme.authentication} via ${headerOf(scheme)}`, scheme] as const,
		),
	)('authentication %s', (_label, scheme) => {
		const parameters = { authentication: scheme.authentication };

		it('turns a genuine delivery into one item with every field', async () => {
			const before = Date.now();
			const answer = await deliver(trigger.node, {
				parameters,
				credentials: scheme.credentials,
				headers: scheme.headers,
				body,
			});

			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({ received: true, deliveryKey: trigger.expected.deliveryKey });
			expect(answer.items).toHaveLength(1);
			const [item] = answer.items;
			const { receivedAt, body: itemBody, ...fields } = item;
			expect(fields).toEqual(trigger.expected);
			expect(itemBody).toEqual(JSON.parse(body.toString('utf8')));
			expect(Date.parse(receivedAt as string)).toBeGreaterThanOrEqual(before - 1);
			expect(trigger.itemSchema.safeParse(item).success).toBe(true);
		});

		it('refuses a delivery signed with another secret', async () => {
			const answer = await deliver(trigger.node, {
				parameters,
				credentials: scheme.wrongSecret,
				headers: scheme.headers,
				body,
			});
			expect(answer.status).toBe(401);
			expect(answer.items).toHaveLength(0);
			expect((answer.body as { error: string }).error).toMatch(/does not match/);
		});

		it('refuses a delivery without the header', async () => {
			const answer = await deliver(trigger.node, {
				parameters,
				credentials: scheme.credentials,
				body,
			});
			expect(answer.status).toBe(401);
			expect(answer.items).toHaveLength(0);
			expect((answer.body as { error: string }).error).toMatch(/^Missing /);
		});

		it('refuses a malformed header', async () => {
			const answer = await deliver(trigger.node, {
				parameters,
				credentials: scheme.credentials,
				headers: { [headerOf(scheme)]: scheme.malformed },
				body,
			});
			expect(answer.status).toBe(401);
			expect(answer.items).toHaveLength(0);
			expect((answer.body as { error: string }).error).toMatch(/Malformed|does not match/);
		});

		if (scheme.coversBody) {
			it('refuses a body changed after signing', async () => {
				const tampered = trigger.tamper();
				expect(tampered.equals(body)).toBe(false);
				const answer = await deliver(trigger.node, {
					parameters,
					credentials: scheme.credentials,
					headers: scheme.headers,
					body: tampered,
				});
				expect(answer.status).toBe(401);
				expect(answer.items).toHaveLength(0);
			});
		}

		it('never puts the secret in the answer or the logs', async () => {
			// Unsigned, and signed for other bytes than those sent.
			const requests = [
				{ headers: {}, body },
				{ headers: scheme.headers, body: trigger.tamper() },
			];
			for (const { headers, body: sent } of requests) {
				const answer = await deliver(trigger.node, {
					parameters,
					credentials: scheme.credentials,
					headers,
					body: sent,
				});
				const fields = Object.values(scheme.credentials)[0];
				const secrets = SECRET_FIELDS.map((field) => fields[field]).filter(
					(value): value is string => typeof value === 'string',
				);
				expect(secrets.length).toBeGreaterThan(0);
				const visible = JSON.stringify(answer.body) + answer.logs.join('\n');
				for (const secret of secrets) expect(visible).not.toContain(secret);
			}
		});
	});

	it('accepts anyone when authentication is none', async () => {
		const answer = await deliver(trigger.node, { parameters: { authentication: 'none' }, body });
		expect(answer.status).toBe(200);
		expect(answer.items).toHaveLength(1);
	});

	it('answers 500 and starts nothing when the credential has an empty secret', async () => {
		const [scheme] = trigger.schemes;
		const [type, fields] = Object.entries(scheme.credentials)[0];
		const emptied = Object.fromEntries(
			Object.keys(fields).map((key) => [key, trigger.settings.includes(key) ? fields[key] : '']),
		);
		const answer = await deliver(trigger.node, {
			parameters: { authentication: scheme.authentication },
			credentials: { [type]: emptied },
			headers: scheme.headers,
			body,
		});
		expect(answer.status).toBe(500);
		expect(answer.items).toHaveLength(0);
		expect((answer.body as { error: string }).error).toMatch(/not configured correctly/);
	});
});
