import { join } from 'node:path';

import type { ICredentialDataDecryptedObject, ICredentialType } from 'n8n-workflow';

import { QoalaClaimTrigger } from '../../nodes/Qoala/ClaimTrigger/QoalaClaimTrigger.node';
import { checkCredential, credentialRules, registry } from '../../nodes/partners';
import { instanceOf } from '../../scripts/compiledClass';
import { deliver } from '../helpers/webhookContext';

/**
 * The Test button of each credential form. Nothing remote can check a webhook secret, so the
 * test catches what breaks every delivery before the first one arrives, and never echoes a
 * secret back. The credential types are the registry's (nodes/partners.ts), each with what its
 * partner.ts says it holds; the Qoala rows below test Qoala's own settings.
 */

const SECRET = 'S3cr3t-value-9f1c';

/**
 * A credential of a type as a user would correctly fill it in: the secret in each secret
 * field, a name in the others, each setting at its default.
 */
function goodOf(type: string): ICredentialDataDecryptedObject {
	const rules = credentialRules[type];
	return {
		...Object.fromEntries(
			Object.keys(rules.required).map((field) => [
				field,
				rules.secrets.includes(field) ? SECRET : 'partner-user',
			]),
		),
		...(rules.header ? { [rules.header.field]: rules.header.fallback } : {}),
		...Object.fromEntries((rules.choices ?? []).map((choice) => [choice.field, choice.fallback])),
	};
}

/** The partner each credential type belongs to, as its Test button names it. */
const partnerOf: Record<string, string> = Object.fromEntries(
	registry.partners.flatMap((partner) =>
		Object.keys(partner.credentials).map((type) => [type, partner.name]),
	),
);

const types = Object.keys(credentialRules);
const good: Record<string, ICredentialDataDecryptedObject> = Object.fromEntries(
	types.map((type) => [type, goodOf(type)]),
);

it('has a secret field in every credential type of the registry', () => {
	for (const type of types)
		expect([type, credentialRules[type].secrets.length > 0]).toEqual([type, true]);
});

describe.each(types)('the Test of %s', (type) => {
	const [field] = credentialRules[type].secrets;

	it('passes a correctly filled credential and says the first signed delivery is the real proof', () => {
		const result = checkCredential(type, good[type]);
		expect(result.status).toBe('OK');
		expect(result.message).toContain(`first delivery ${partnerOf[type]} signs with it`);
		expect(result.message).not.toContain(SECRET);
	});

	it('fails when the secret is empty, naming the field by its label', () => {
		const result = checkCredential(type, { ...good[type], [field]: '' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/is empty: the trigger refuses every delivery/);
	});

	it('fails when the secret was pasted with a trailing line break, without echoing it', () => {
		const pasted = `${SECRET}\n`;
		const result = checkCredential(type, { ...good[type], [field]: pasted });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/starts or ends with a space or line break/);
		expect(result.message).not.toContain(SECRET);
	});

	it('fails when the secret holds only spaces', () => {
		const result = checkCredential(type, { ...good[type], [field]: '   ' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/only spaces or line breaks/);
	});
});

describe('header names (each credential with a header setting)', () => {
	const withHeader = types.filter((type) => credentialRules[type].header);

	it('are settings of some credential types (Qoala API Key, HMAC-SHA256, MD5)', () => {
		expect(withHeader.length).toBeGreaterThan(0);
	});

	it.each(withHeader)('%s: refuses a header name HTTP cannot carry', (type) => {
		for (const headerName of ['x api key', 'x-api-key:', 'x-äpi-key']) {
			const result = checkCredential(type, { ...good[type], headerName });
			expect(result).toMatchObject({ status: 'Error' });
			expect(result.message).toContain(`"${headerName}" is not a valid HTTP header name`);
		}
	});

	it.each(withHeader)('%s: refuses a header HTTP itself sets', (type) => {
		const result = checkCredential(type, { ...good[type], headerName: 'Content-Type' });
		expect(result).toMatchObject({ status: 'Error' });
		expect(result.message).toContain('set by HTTP itself');
	});

	it.each(withHeader)(
		'%s: takes an empty header name as its default, as the trigger does',
		(type) => {
			const header = credentialRules[type].header!;
			const result = checkCredential(type, { ...good[type], [header.field]: '' });
			expect(result.status).toBe('OK');
			expect(result.message).toContain(`"${header.fallback}" header`);
		},
	);

	it('agrees with the trigger about spaces around the header name: both trim them', async () => {
		const credential = { ...good.qoalaApiKeyApi, headerName: '  X-Partner-Key ' };
		expect(checkCredential('qoalaApiKeyApi', credential)).toMatchObject({ status: 'OK' });
		const answer = await deliver(new QoalaClaimTrigger(), {
			parameters: { authentication: 'apiKey' },
			credentials: { qoalaApiKeyApi: credential },
			headers: { 'x-partner-key': SECRET },
			body: JSON.stringify({ claim_number: 'CLM-1', status: 'CLAIM_INITIATE' }),
		});
		expect(answer.status).toBe(200);
		expect(answer.items).toHaveLength(1);
	});
});

describe('scheme settings', () => {
	it('refuses an encoding the trigger does not know (it would silently check hex)', () => {
		const result = checkCredential('qoalaHmacSha256Api', {
			...good.qoalaHmacSha256Api,
			encoding: 'base32',
		});
		expect(result).toEqual({
			status: 'Error',
			message: 'Encoding "base32" is not one of hex, base64.',
		});
	});

	it('describes what a base64 HMAC-SHA256 delivery carries', () => {
		const result = checkCredential('qoalaHmacSha256Api', {
			...good.qoalaHmacSha256Api,
			encoding: 'base64',
			headerName: 'X-Signature',
		});
		expect(result.message).toContain(
			'the HMAC-SHA256 of the raw body, in base64, in the "X-Signature" header',
		);
	});

	it('refuses an MD5 variant the trigger does not know', () => {
		const result = checkCredential('qoalaMd5Api', { ...good.qoalaMd5Api, variant: 'sha1' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('Variant "sha1" is not one of hmac, bodyAndSecret.');
	});

	it('describes the MD5 variant chosen', () => {
		const hmac = checkCredential('qoalaMd5Api', good.qoalaMd5Api);
		const salted = checkCredential('qoalaMd5Api', {
			...good.qoalaMd5Api,
			variant: 'bodyAndSecret',
		});
		expect(hmac.message).toContain('the HMAC-MD5 of the raw body');
		expect(salted.message).toContain('the MD5 of the raw body followed by the secret');
	});

	it('refuses an API key with a control character inside, which no header can carry', () => {
		const result = checkCredential('qoalaApiKeyApi', {
			...good.qoalaApiKeyApi,
			apiKey: 'ab\u0000cd',
		});
		expect(result.status).toBe('Error');
		expect(result.message).toContain('control character');
	});

	it('refuses a Bearer token pasted with the word Bearer', () => {
		const result = checkCredential('qoalaBearerApi', { token: `Bearer ${SECRET}` });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('enter only what follows "Bearer "');
		expect(result.message).not.toContain(SECRET);
	});

	it('refuses a Bearer token with a space inside', () => {
		const result = checkCredential('qoalaBearerApi', { token: 'two words' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('carries one word');
	});

	it('refuses a Basic Auth user containing a colon, and one pasted with spaces', () => {
		const colon = checkCredential('qoalaBasicAuthApi', { user: 'a:b', password: SECRET });
		expect(colon.status).toBe('Error');
		expect(colon.message).toContain('separate the user from the password');
		const spaced = checkCredential('qoalaBasicAuthApi', { user: ' partner ', password: SECRET });
		expect(spaced.status).toBe('Error');
		expect(spaced.message).toContain('User starts or ends with a space');
	});

	it('lists every problem at once', () => {
		const result = checkCredential('qoalaHmacSha256Api', {
			secret: '',
			headerName: 'bad header',
			encoding: 'base32',
		});
		expect(result.status).toBe('Error');
		expect(result.message).toContain('Secret is empty');
		expect(result.message).toContain('"bad header" is not a valid HTTP header name');
		expect(result.message).toContain('Encoding "base32"');
	});

	it('answers an unknown credential type with an error, not a pass', () => {
		expect(checkCredential('toString', {}).status).toBe('Error');
	});
});

describe('the checks and the credential forms agree', () => {
	/** The credential classes package.json's n8n block names, from their sources. */
	const manifest = require('../../package.json') as { n8n: { credentials: string[] } };
	const classes: ICredentialType[] = manifest.n8n.credentials.map((file) =>
		instanceOf<ICredentialType>(
			join(__dirname, '..', '..', file.replace(/^dist\//, '').replace(/\.js$/, '.ts')),
		),
	);

	it('has a test for every credential type, and for nothing else', () => {
		expect(Object.keys(credentialRules).sort()).toEqual(classes.map((c) => c.name).sort());
	});

	it.each(classes.map((c) => [c.name, c] as const))(
		'%s: names each checked field by the label the form shows',
		(_name, credential) => {
			const rules = credentialRules[credential.name];
			const labels = Object.fromEntries(
				credential.properties.map((property) => [property.name, property.displayName]),
			);
			for (const [field, label] of Object.entries(rules.required)) {
				expect(labels[field]).toBe(label);
			}
			if (rules.header) {
				expect(labels[rules.header.field]).toBe(rules.header.label);
				const form = credential.properties.find(
					(property) => property.name === rules.header?.field,
				);
				expect(rules.header.fallback).toBe(form?.default);
			}
			for (const choice of rules.choices ?? []) {
				expect(labels[choice.field]).toBe(choice.label);
				const form = credential.properties.find((property) => property.name === choice.field);
				expect(form?.options).toEqual(choice.options);
				expect(choice.fallback).toBe(form?.default);
			}
		},
	);
});
