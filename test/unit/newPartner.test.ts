import { createHmac } from 'node:crypto';

import type { ICredentialTestFunctions } from 'n8n-workflow';

import { PARTNERS, registry } from '../../nodes/partners';
import { checkCredentialWith } from '../../nodes/shared/credentialTests';
import { CredentialMismatchError } from '../../nodes/shared/errors';
import { registryOf } from '../../nodes/shared/partner';
import { processDelivery } from '../../nodes/shared/pipeline';
import { acmeClaim, acmeCredentialTests, acmePartner } from '../fixtures/Acme/partner';

/**
 * A partner is its folder plus one registry line: a fictional one (test/fixtures/Acme),
 * declared with the same types as the real ones, goes through the same registry, the same
 * pipeline and the same credential tests without any other file knowing about it.
 */

const SECRET = 'acme-signing-secret-1';
const withAcme = registryOf([...PARTNERS, acmePartner]);
const body = Buffer.from('{"claimId":"AC-1","status":"PAID"}', 'utf8');
const signature = createHmac('sha256', SECRET).update(body).digest('hex');

describe('a new partner from its own folder', () => {
	it('joins the registry: its provider, credential type, trigger and sample', () => {
		expect(withAcme.partner('acme')).toBe(acmePartner);
		expect(Object.keys(withAcme.credentialRules)).toEqual([
			...Object.keys(registry.credentialRules),
			'acmeSignatureApi',
		]);
		expect(withAcme.triggers.map((trigger) => trigger.nodeName)).toContain('acmeClaimTrigger');
		expect(withAcme.providerEvents.at(-1)).toMatchObject({
			id: 'acme-claim',
			provider: 'acme',
			nodeName: 'acmeClaimTrigger',
			defaultScheme: 'signature',
		});
	});

	it('leaves the package registry alone, and refuses a partner listed twice', () => {
		expect(() => registry.partner('acme')).toThrow('Unknown partner "acme"');
		expect(() => registryOf([...PARTNERS, acmePartner, acmePartner])).toThrow('listed twice');
	});

	it('runs through the pipeline with its HMAC-SHA256 over the raw body', () => {
		const method = withAcme.partner('acme').triggers[0].contract.authentication.signature;
		const scheme = method.scheme({ signingSecret: SECRET });
		const settings = { selected: [], ignoreRepeatedDeliveries: false, receivedAt: new Date() };
		const decision = processDelivery(
			acmeClaim,
			scheme,
			{ headers: { 'x-acme-signature': signature }, rawBody: body },
			settings,
		);
		expect(decision).toMatchObject({
			action: 'emit',
			item: {
				provider: 'acme',
				event: 'claim.status_changed',
				status: 'PAID',
				outcome: 'paid',
				isFinal: true,
				claimId: 'AC-1',
				deliveryKey: 'acme|claim|AC-1|PAID',
			},
		});
		expect(() =>
			processDelivery(
				acmeClaim,
				scheme,
				{ headers: { 'x-acme-signature': signature.replace(/^./, 'f') }, rawBody: body },
				settings,
			),
		).toThrow(CredentialMismatchError);
	});

	it('gets its credential test from its rules', async () => {
		const rules = withAcme.credentialRules;
		expect(checkCredentialWith(rules, 'acmeSignatureApi', { signingSecret: SECRET })).toEqual({
			status: 'OK',
			message:
				'Looks right: deliveries must carry x-acme-signature: <hex HMAC-SHA256 of the raw body>. Nothing can check a webhook secret from here: the real test is the first delivery Acme signs with it (a wrong secret is answered 401 and Acme retries).',
		});
		expect(checkCredentialWith(rules, 'acmeSignatureApi', { signingSecret: '' })).toMatchObject({
			status: 'Error',
			message: expect.stringContaining('Signing Secret is empty'),
		});
		const test = acmeCredentialTests.acmeSignatureApiTest;
		const result = await test.call({} as ICredentialTestFunctions, {
			id: '1',
			name: 'Acme',
			type: 'acmeSignatureApi',
			data: { signingSecret: ` ${SECRET}` },
		});
		expect(result).toMatchObject({ status: 'Error' });
		expect(result.message).not.toContain(SECRET);
	});
});
