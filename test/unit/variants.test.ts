/**
 * The variants the suites send each trigger (test/helpers/variants.ts) are what they claim to
 * be, checked through the pipeline with the trigger's default authentication and its partner's
 * demo credential: for every trigger of the registry and for a fictional partner.
 */
import { createHmac } from 'node:crypto';

import { registry } from '../../nodes/partners';
import type { DeliveryContract } from '../../nodes/shared/contract';
import { DeliveryRecord } from '../../nodes/shared/deliveryRecord';
import { processDelivery } from '../../nodes/shared/pipeline';
import { readSample, signedHeaders } from '../../sender/src/deliveries';
import {
	ACME_SIGNATURE_HEADER,
	acmeClaim,
	acmeClaimStatuses,
	acmePartner,
} from '../fixtures/Acme/partner';
import { TEST_TRIGGERS } from '../helpers/triggers';
import {
	credentialHeaderOf,
	forgedDelivery,
	variantsOf,
	variantsOfTrigger,
	withValueAt,
	type TriggerVariants,
} from '../helpers/variants';
import { deliveryContracts } from '../../index';
import type { AuthScheme } from '../../nodes/shared/authSchemes';

interface Case {
	name: string;
	contract: DeliveryContract<unknown, unknown>;
	variants: TriggerVariants;
	mainEvent: string;
	sample: Buffer;
	read(providerEvent: string): Buffer;
	scheme: AuthScheme;
	sign: (body: Buffer, secret?: string) => Record<string, string>;
}

const registryCases: Case[] = TEST_TRIGGERS.map((trigger) => {
	const definition = registry.triggers.find((entry) => entry.nodeName === trigger.nodeName);
	if (!definition) throw new Error(`${trigger.nodeName} is not in the registry`);
	const { partner, methods, defaultScheme } = definition;
	const demo = partner.demoCredential;
	return {
		name: trigger.nodeName,
		contract: deliveryContracts[trigger.nodeName],
		variants: variantsOfTrigger(trigger),
		mainEvent: trigger.mainEvent,
		sample: readSample(trigger.mainEvent),
		read: readSample,
		scheme: methods[defaultScheme].scheme(demo.data),
		sign: (body, secret) =>
			signedHeaders({ providerEvent: trigger.mainEvent, secret: secret ?? demo.secret }, body),
	};
});

const ACME_SECRET = acmePartner.demoCredential.secret;
const acmeSamples = new Map([
	['acme-claim', Buffer.from('{"claimId":"AC-1","status":"PAID","note":"first payment"}', 'utf8')],
	['acme-claim-opened', Buffer.from('{"claimId":"AC-2","status":"OPEN","note":""}', 'utf8')],
]);
const acmeCase: Case = {
	name: 'acmeClaimTrigger (test/fixtures/Acme)',
	contract: acmeClaim as DeliveryContract<unknown, unknown>,
	variants: variantsOf({
		name: 'acmeClaimTrigger',
		contract: acmeClaim as DeliveryContract<unknown, unknown>,
		samples: acmeSamples,
		mainEvent: 'acme-claim',
		filterOptions: Object.keys(acmeClaimStatuses),
	}),
	mainEvent: 'acme-claim',
	sample: acmeSamples.get('acme-claim') as Buffer,
	read: (providerEvent) => acmeSamples.get(providerEvent) as Buffer,
	scheme: acmePartner.triggers[0].contract.authentication.signature.scheme(
		acmePartner.demoCredential.data,
	),
	sign: (body, secret) => ({
		'Content-Type': 'application/json',
		[ACME_SIGNATURE_HEADER]: createHmac('sha256', secret ?? ACME_SECRET)
			.update(body)
			.digest('hex'),
	}),
};

const settings = (selected: string[] = []) => ({
	selected,
	ignoreRepeatedDeliveries: false,
	receivedAt: new Date(),
});

/** What the trigger answers, as far as the pipeline decides it (header names as n8n gives them). */
const lowerCased = (headers: Record<string, string>) =>
	Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

function decide(c: Case, body: Buffer, sent = c.sign(body), selected: string[] = []) {
	const headers = lowerCased(sent);
	try {
		const decision = processDelivery(
			c.contract,
			c.scheme,
			{ headers, rawBody: body },
			settings(selected),
		);
		return decision.action === 'emit'
			? { action: 'emit', deliveryKey: decision.item.deliveryKey }
			: { action: decision.action, reason: 'reason' in decision ? decision.reason : undefined };
	} catch (error) {
		return {
			refused: (error as { httpStatus?: number }).httpStatus,
			paths: ((error as { issues?: Array<{ path: string }> }).issues ?? []).map(
				(issue) => issue.path,
			),
		};
	}
}

describe.each([...registryCases, acmeCase])('$name', (c) => {
	const mainKey = () => (decide(c, c.sample) as { deliveryKey: string }).deliveryKey;

	it('accepts its main sample, signed by its partner', () => {
		expect(decide(c, c.sample)).toMatchObject({ action: 'emit' });
	});

	it('distinct(id): a new notification about id, accepted', () => {
		const first = decide(c, c.variants.distinct('NEW-0001'));
		const second = decide(c, c.variants.distinct('NEW-0002'));
		expect(first).toMatchObject({
			action: 'emit',
			deliveryKey: expect.stringContaining('NEW-0001'),
		});
		expect(second).toMatchObject({
			action: 'emit',
			deliveryKey: expect.stringContaining('NEW-0002'),
		});
		expect(new Set([mainKey(), (first as { deliveryKey: string }).deliveryKey])).toHaveProperty(
			'size',
			2,
		);
	});

	it('withoutRequired: refused 400, naming the missing field', () => {
		const { field, body } = c.variants.withoutRequired;
		const bytes = Buffer.from(JSON.stringify(body), 'utf8');
		expect(field in body).toBe(false);
		expect(decide(c, bytes)).toMatchObject({
			refused: 400,
			paths: expect.arrayContaining([field]),
		});
	});

	it('wrongType: refused 400, naming the field', () => {
		const { field, body } = c.variants.wrongType;
		const bytes = Buffer.from(JSON.stringify(body), 'utf8');
		const refusal = decide(c, bytes) as { refused: number; paths: string[] };
		expect(refusal.refused).toBe(400);
		expect(refusal.paths.some((path) => path === field || path.startsWith(`${field}.`))).toBe(true);
	});

	it('freeText: more text in that string is the same notification', () => {
		const json: unknown = JSON.parse(c.sample.toString('utf8'));
		const { path, value } = c.variants.freeText;
		expect(c.sample.toString('utf8')).toContain(JSON.stringify(value));
		const longer = Buffer.from(JSON.stringify(withValueAt(json, path, `${value} ✓✓✓`)), 'utf8');
		expect(decide(c, longer)).toEqual({ action: 'emit', deliveryKey: mainKey() });
	});

	it('forgedDelivery: refused 401, where a genuine one is accepted', () => {
		const forged = forgedDelivery(c.variants, c.sample, c.sign);
		expect(decide(c, forged.body, forged.headers)).toMatchObject({ refused: 401 });
		expect(decide(c, forged.body)).toMatchObject({ action: 'emit' });
	});

	it('credentialHeaderOf: the header its scheme checks', () => {
		const header = credentialHeaderOf(c.sign(c.sample));
		const headers = { ...c.sign(c.sample) };
		delete headers[header];
		expect(decide(c, c.sample, headers)).toMatchObject({ refused: 401 });
	});

	it('filter: the main sample and the samples outside it are filtered, the one inside starts', () => {
		const { selected, outside, inside } = c.variants.filter;
		expect(outside).toContain(c.mainEvent);
		for (const providerEvent of outside) {
			expect([providerEvent, decide(c, c.read(providerEvent), undefined, selected)]).toEqual([
				providerEvent,
				{ action: 'ignore', reason: 'filtered' },
			]);
		}
		expect(decide(c, inside.body, undefined, selected)).toMatchObject({ action: 'emit' });
	});

	it('admittedBy: with nothing selected the main sample; else one the filter lets through', () => {
		expect(c.variants.admittedBy([])).toEqual({ providerEvent: c.mainEvent, body: c.sample });
		const { selected } = c.variants.filter;
		const admitted = c.variants.admittedBy(selected);
		expect(decide(c, admitted.body, undefined, selected)).toMatchObject({ action: 'emit' });
		expect(decide(c, c.sample, undefined, selected)).toMatchObject({ reason: 'filtered' });
	});
});

describe.each([...registryCases, acmeCase])('$name lifecycle', (c) => {
	it('each step is news, with its deliveryKey; delivered, it makes every earlier one out of date', () => {
		const steps = c.variants.lifecycle('LIFECYCLE-1');
		expect(steps.length).toBeGreaterThanOrEqual(2);
		steps.forEach((step, n) => {
			const record = new DeliveryRecord();
			const deliver = (body: Buffer) =>
				processDelivery(
					c.contract,
					c.scheme,
					{ headers: lowerCased(c.sign(body)), rawBody: body },
					{ ...settings([]), ignoreRepeatedDeliveries: true, record, skipOutOfDate: true },
				);
			const decision = deliver(step.body);
			if (decision.action !== 'emit') throw new Error(`step ${n} was not news`);
			expect(decision.item.deliveryKey).toBe(step.deliveryKey);
			decision.acceptance?.commit();
			for (const earlier of steps.slice(0, n)) {
				expect(deliver(earlier.body)).toMatchObject({ reason: 'out_of_date' });
			}
		});
	});
});

it('names the trigger and what its sample lacks when a variant cannot be worked out', () => {
	expect(() =>
		variantsOf({
			name: 'acmeClaimTrigger',
			contract: acmeClaim as DeliveryContract<unknown, unknown>,
			samples: new Map([['acme-claim', Buffer.from('{"claimId":"AC-1","status":"PAID"}')]]),
			mainEvent: 'acme-claim',
			filterOptions: Object.keys(acmeClaimStatuses),
		}),
	).toThrow('acmeClaimTrigger: cannot work out a free-text field from its sample acme-claim');
});
