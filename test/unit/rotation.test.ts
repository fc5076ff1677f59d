/**
 * Changing a signing secret without refusing genuine deliveries: while Previous Secret is set,
 * a delivery signed with either secret is accepted, and nothing else is.
 */
import type { INodeType } from 'n8n-workflow';

import { CermatiApplicationTrigger } from '../../nodes/Cermati/ApplicationTrigger/CermatiApplicationTrigger.node';
import { CuracelTrigger } from '../../nodes/Curacel/CuracelTrigger/CuracelTrigger.node';
import { QoalaClaimTrigger } from '../../nodes/Qoala/ClaimTrigger/QoalaClaimTrigger.node';
import { cermatiSignature, hmacHex, md5Hex } from '../helpers/partners';
import { sample } from '../helpers/samples';
import { deliver } from '../helpers/webhookContext';

interface RotationCase {
	node: INodeType;
	authentication: string;
	credentialType: string;
	secretField: string;
	providerEvent: string;
	extra?: Record<string, string>;
	sign(secret: string, body: Buffer): Record<string, string>;
}

const cases: Array<[string, RotationCase]> = [
	[
		'Qoala HMAC-SHA256',
		{
			node: new QoalaClaimTrigger(),
			authentication: 'hmacSha256',
			credentialType: 'qoalaHmacSha256Api',
			secretField: 'secret',
			providerEvent: 'qoala-claim',
			sign: (secret, body) => ({ 'x-api-key': hmacHex('sha256', secret, body) }),
		},
	],
	[
		'Qoala MD5 (body + secret)',
		{
			node: new QoalaClaimTrigger(),
			authentication: 'md5',
			credentialType: 'qoalaMd5Api',
			secretField: 'secret',
			providerEvent: 'qoala-claim',
			extra: { variant: 'bodyAndSecret' },
			sign: (secret, body) => ({ 'x-api-key': md5Hex(body, secret) }),
		},
	],
	[
		'Cermati',
		{
			node: new CermatiApplicationTrigger(),
			authentication: 'signature',
			credentialType: 'cermatiSignatureApi',
			secretField: 'secretKey',
			providerEvent: 'cermati-application',
			sign: (secret, body) => ({ 'cermati-signature': cermatiSignature(secret, body, 'trxId') }),
		},
	],
	[
		'Curacel',
		{
			node: new CuracelTrigger(),
			authentication: 'signature',
			credentialType: 'curacelSignatureApi',
			secretField: 'webhookSecret',
			providerEvent: 'curacel-claim.vetted',
			sign: (secret, body) => ({ 'x-curacel-signature': hmacHex('sha256', secret, body) }),
		},
	],
];

describe.each(cases)('%s with a Previous Secret', (_name, c) => {
	const body = sample(c.providerEvent);
	const send = (signedWith: string, credential: Record<string, string>) =>
		deliver(c.node, {
			parameters: { authentication: c.authentication },
			credentials: { [c.credentialType]: { ...c.extra, ...credential } },
			headers: c.sign(signedWith, body),
			body,
		});
	const rotating = { [c.secretField]: 'new-secret', previousSecret: 'old-secret' };

	it('accepts a delivery signed with the new secret', async () => {
		expect((await send('new-secret', rotating)).items).toHaveLength(1);
	});

	it('accepts a delivery signed with the previous secret while it is set', async () => {
		expect((await send('old-secret', rotating)).items).toHaveLength(1);
	});

	it('refuses any other secret 401', async () => {
		const answer = await send('some-other-secret', rotating);
		expect(answer.status).toBe(401);
		expect(answer.items).toHaveLength(0);
	});

	it('refuses the old secret once Previous Secret is cleared', async () => {
		const cleared = { [c.secretField]: 'new-secret', previousSecret: '' };
		expect((await send('old-secret', cleared)).status).toBe(401);
	});

	it('keeps a credential saved before the field existed working unchanged', async () => {
		expect((await send('new-secret', { [c.secretField]: 'new-secret' })).items).toHaveLength(1);
		expect((await send('old-secret', { [c.secretField]: 'new-secret' })).status).toBe(401);
	});
});
