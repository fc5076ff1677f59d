import type { ICredentialDataDecryptedObject, IDataObject, INodeType } from 'n8n-workflow';

import { CermatiApplicationTrigger } from '../../nodes/Cermati/ApplicationTrigger/CermatiApplicationTrigger.node';
import { cermatiApplicationItem } from '../../nodes/Cermati/ApplicationTrigger/application';
import { CermatiClaimTrigger } from '../../nodes/Cermati/ClaimTrigger/CermatiClaimTrigger.node';
import { cermatiClaimItem } from '../../nodes/Cermati/ClaimTrigger/claim';
import { CuracelTrigger } from '../../nodes/Curacel/CuracelTrigger/CuracelTrigger.node';
import { curacelItem } from '../../nodes/Curacel/CuracelTrigger/events';
import { QoalaClaimTrigger } from '../../nodes/Qoala/ClaimTrigger/QoalaClaimTrigger.node';
import { qoalaClaimItem } from '../../nodes/Qoala/ClaimTrigger/claim';
import { QoalaPolicyTrigger } from '../../nodes/Qoala/PolicyTrigger/QoalaPolicyTrigger.node';
import { qoalaPolicyItem } from '../../nodes/Qoala/PolicyTrigger/policy';
import { deliver } from '../helpers/webhookContext';
import { basic, cermatiSignature, hmacBase64, hmacHex, md5Hex } from '../helpers/partners';
import { sample } from '../helpers/samples';
import { registry } from '../../nodes/partners';

/** One way a partner can be set up: the node's authentication, its credential, and how the partner signs. */
interface SchemeCase {
	authentication: string;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	sign(body: Buffer): Record<string, string>;
	/** True when the check covers the body, so changing the body must be refused. */
	coversBody: boolean;
	/** The same scheme configured with another secret. */
	wrongSecret: Record<string, ICredentialDataDecryptedObject>;
	/** The header the check reads. */
	header: string;
	malformed: string;
}

const qoalaSchemes: SchemeCase[] = [
	{
		authentication: 'apiKey',
		credentials: { qoalaApiKeyApi: { apiKey: 'qoala-key-7f3a', headerName: 'x-api-key' } },
		wrongSecret: { qoalaApiKeyApi: { apiKey: 'another-key', headerName: 'x-api-key' } },
		sign: () => ({ 'x-api-key': 'qoala-key-7f3a' }),
		coversBody: false,
		header: 'x-api-key',
		malformed: 'qoala-key-7f3a, qoala-key-7f3a',
	},
	{
		authentication: 'hmacSha256',
		credentials: {
			qoalaHmacSha256Api: { secret: 'hmac-secret', headerName: 'x-api-key', encoding: 'hex' },
		},
		wrongSecret: {
			qoalaHmacSha256Api: { secret: 'other', headerName: 'x-api-key', encoding: 'hex' },
		},
		sign: (body) => ({ 'x-api-key': hmacHex('sha256', 'hmac-secret', body) }),
		coversBody: true,
		header: 'x-api-key',
		malformed: 'zz'.repeat(32),
	},
	{
		authentication: 'hmacSha256',
		credentials: {
			qoalaHmacSha256Api: {
				secret: 'hmac-secret',
				headerName: 'X-Qoala-Signature',
				encoding: 'base64',
			},
		},
		wrongSecret: {
			qoalaHmacSha256Api: { secret: 'other', headerName: 'X-Qoala-Signature', encoding: 'base64' },
		},
		sign: (body) => ({ 'x-qoala-signature': hmacBase64('sha256', 'hmac-secret', body) }),
		coversBody: true,
		header: 'x-qoala-signature',
		malformed: 'not base64!',
	},
	{
		authentication: 'md5',
		credentials: {
			qoalaMd5Api: { secret: 'md5-secret', headerName: 'x-api-key', variant: 'hmac' },
		},
		wrongSecret: { qoalaMd5Api: { secret: 'other', headerName: 'x-api-key', variant: 'hmac' } },
		sign: (body) => ({ 'x-api-key': hmacHex('md5', 'md5-secret', body) }),
		coversBody: true,
		header: 'x-api-key',
		malformed: 'abc',
	},
	{
		authentication: 'md5',
		credentials: {
			qoalaMd5Api: { secret: 'md5-secret', headerName: 'x-api-key', variant: 'bodyAndSecret' },
		},
		wrongSecret: {
			qoalaMd5Api: { secret: 'other', headerName: 'x-api-key', variant: 'bodyAndSecret' },
		},
		sign: (body) => ({ 'x-api-key': md5Hex(body, 'md5-secret') }),
		coversBody: true,
		header: 'x-api-key',
		malformed: 'g'.repeat(32),
	},
	{
		authentication: 'bearer',
		credentials: { qoalaBearerApi: { token: 'bearer-token-1' } },
		wrongSecret: { qoalaBearerApi: { token: 'bearer-token-2' } },
		sign: () => ({ authorization: 'Bearer bearer-token-1' }),
		coversBody: false,
		header: 'authorization',
		malformed: 'Token bearer-token-1',
	},
	{
		authentication: 'basicAuth',
		credentials: { qoalaBasicAuthApi: { user: 'qoala', password: 'p@ss:word' } },
		wrongSecret: { qoalaBasicAuthApi: { user: 'qoala', password: 'other' } },
		sign: () => ({ authorization: basic('qoala', 'p@ss:word') }),
		coversBody: false,
		header: 'authorization',
		malformed: 'Basic',
	},
];

const cermatiScheme = (first: string): SchemeCase => ({
	authentication: 'signature',
	credentials: { cermatiSignatureApi: { secretKey: 'cermati-secret' } },
	wrongSecret: { cermatiSignatureApi: { secretKey: 'other' } },
	sign: (body) => ({ 'cermati-signature': cermatiSignature('cermati-secret', body, first) }),
	coversBody: true,
	header: 'cermati-signature',
	malformed: 'v1=xyz',
});

const curacelScheme: SchemeCase = {
	authentication: 'signature',
	credentials: { curacelSignatureApi: { webhookSecret: 'curacel-secret' } },
	wrongSecret: { curacelSignatureApi: { webhookSecret: 'other' } },
	sign: (body) => ({ 'x-curacel-signature': hmacHex('sha256', 'curacel-secret', body) }),
	coversBody: true,
	header: 'x-curacel-signature',
	malformed: '12345',
};

/** The password fields of the credentials. */
const SECRET_FIELDS = ['apiKey', 'secret', 'token', 'password', 'secretKey', 'webhookSecret'];

interface TriggerCase {
	node: INodeType;
	sample: string;
	schemes: SchemeCase[];
	itemSchema: { safeParse(value: unknown): { success: boolean } };
	/** Every field of the item but receivedAt and body, which are checked for all. */
	expected: IDataObject;
	/** A change to the body the check must notice (a signed field). */
	tamper(body: string): string;
}

const triggers: Record<string, TriggerCase> = {
	'Qoala Claim Trigger': {
		node: new QoalaClaimTrigger(),
		sample: 'qoala-claim',
		schemes: qoalaSchemes,
		itemSchema: qoalaClaimItem,
		expected: {
			provider: 'qoala',
			event: 'claim.status_changed',
			status: 'INSURANCE_CLAIM_APPROVE',
			statusLabel: 'Approved by insurer',
			outcome: 'approved',
			isFinal: false,
			isLatest: true,
			latestStatus: null,
			claimNumber: 'CLM-2024-000123',
			policyNumber: 'POL-88812345',
			occurredAt: null,
			deliveryKey: 'qoala|claim|CLM-2024-000123|INSURANCE_CLAIM_APPROVE',
		},
		tamper: (body) => body.replace('INSURANCE_CLAIM_APPROVE', 'INSURANCE_CLAIM_PAID'),
	},
	'Qoala Policy Trigger': {
		node: new QoalaPolicyTrigger(),
		sample: 'qoala-policy',
		schemes: qoalaSchemes,
		itemSchema: qoalaPolicyItem,
		expected: {
			provider: 'qoala',
			event: 'policy.status_changed',
			status: 'POLICY_ACTIVE',
			statusLabel: 'Active',
			outcome: 'active',
			isFinal: false,
			isLatest: true,
			latestStatus: null,
			policyNumber: 'POL-88812345',
			partnerTransactionNumber: 'PTN-20240501-0001',
			productCode: 'GADGET-PROTECT',
			quotationNumber: 'QUO-77123',
			documents: [
				{
					type: 'e-certificate',
					url: 'https://example.qoala.app/docs/POL-88812345/e-certificate.pdf',
				},
				{
					type: 'policy-wording',
					url: 'https://example.qoala.app/docs/GADGET-PROTECT/wording.pdf',
				},
			],
			occurredAt: null,
			deliveryKey: 'qoala|policy|POL-88812345|POLICY_ACTIVE',
		},
		tamper: (body) => body.replace('POLICY_ACTIVE', 'POLICY_CANCELLED'),
	},
	'Cermati Application Trigger': {
		node: new CermatiApplicationTrigger(),
		sample: 'cermati-application',
		schemes: [cermatiScheme('trxId')],
		itemSchema: cermatiApplicationItem,
		expected: {
			provider: 'cermati',
			event: 'application.status_changed',
			status: 'ISSUED',
			statusLabel: 'Issued',
			outcome: 'active',
			isFinal: false,
			isLatest: true,
			latestStatus: null,
			refNo: 'PARTNER-REF-0001',
			trxId: 'UniqueTrxId00001',
			link: 'https://api.cermati.com/insurance/v1/goods/UniqueTrxId00001',
			occurredAt: '2024-05-01T03:15:30.000Z',
			deliveryKey: 'cermati|application|UniqueTrxId00001|2024-05-01T10:15:30+07:00|ISSUED',
		},
		tamper: (body) => body.replace('UniqueTrxId00001"', 'UniqueTrxId00002"'),
	},
	'Cermati Claim Trigger': {
		node: new CermatiClaimTrigger(),
		sample: 'cermati-claim',
		schemes: [cermatiScheme('claimId')],
		itemSchema: cermatiClaimItem,
		expected: {
			provider: 'cermati',
			event: 'claim.status_changed',
			status: 'APPROVED',
			statusLabel: 'Approved',
			outcome: 'approved',
			isFinal: false,
			isLatest: true,
			latestStatus: null,
			refNo: 'PARTNER-REF-0001',
			trxId: 'UniqueTrxId00001',
			claimId: 'CLAIM-000042',
			productId: 'goods-protection',
			claimType: 'DAMAGE',
			insuredName: 'Budi Santoso',
			reason: null,
			approvedClaimAmount: 1500000,
			reimbursedClaimAmount: null,
			occurredAt: '2024-05-03T02:00:00.000Z',
			deliveryKey: 'cermati|claim|CLAIM-000042|2024-05-03T09:00:00+07:00|APPROVED',
		},
		tamper: (body) => body.replace('+07:00', '+08:00'),
	},
	'Curacel Trigger': {
		node: new CuracelTrigger(),
		sample: 'curacel-discharge_voucher.created',
		schemes: [curacelScheme],
		itemSchema: curacelItem,
		expected: {
			provider: 'curacel',
			event: 'discharge_voucher.created',
			status: 'discharge voucher',
			statusLabel: 'Discharge voucher created',
			outcome: 'approved',
			isFinal: false,
			isLatest: true,
			latestStatus: null,
			claimId: '18',
			claimRef: null,
			pileId: null,
			policyId: '16',
			policyNumber: '343473',
			orderId: null,
			voucherId: '7',
			customerEmail: null,
			amount: 45000,
			currency: 'NGN',
			occurredAt: '2022-08-05T06:17:17.000Z',
			deliveryKey: 'curacel|discharge_voucher.created|7',
		},
		tamper: (body) => body.replace('"amount":45000', '"amount":95000'),
	},
};

it('has a case for every trigger of the registry (nodes/partners.ts)', () => {
	expect(
		Object.values(triggers)
			.map((trigger) => trigger.node.description.name)
			.sort(),
	).toEqual(registry.triggers.map((trigger) => trigger.nodeName).sort());
});

describe.each(Object.entries(triggers))('%s', (_name, trigger) => {
	const body = sample(trigger.sample);

	describe.each(
		trigger.schemes.map(
			(scheme) => [`${scheme.authentication} via ${scheme.header}`, scheme] as const,
		),
	)('authentication %s', (_label, scheme) => {
		const parameters = { authentication: scheme.authentication };

		it('turns a genuine delivery into one item with every field', async () => {
			const before = Date.now();
			const answer = await deliver(trigger.node, {
				parameters,
				credentials: scheme.credentials,
				headers: scheme.sign(body),
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
				headers: scheme.sign(body),
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
				headers: { [scheme.header]: scheme.malformed },
				body,
			});
			expect(answer.status).toBe(401);
			expect(answer.items).toHaveLength(0);
			expect((answer.body as { error: string }).error).toMatch(/Malformed|does not match/);
		});

		if (scheme.coversBody) {
			it('refuses a body changed after signing', async () => {
				const tampered = Buffer.from(trigger.tamper(body.toString('utf8')), 'utf8');
				expect(tampered.equals(body)).toBe(false);
				const answer = await deliver(trigger.node, {
					parameters,
					credentials: scheme.credentials,
					headers: scheme.sign(body),
					body: tampered,
				});
				expect(answer.status).toBe(401);
				expect(answer.items).toHaveLength(0);
			});
		}

		it('never puts the secret in the answer or the logs', async () => {
			for (const headers of [{}, scheme.sign(Buffer.from(trigger.tamper(body.toString('utf8'))))]) {
				const answer = await deliver(trigger.node, {
					parameters,
					credentials: scheme.credentials,
					headers,
					body,
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
			Object.keys(fields).map((key) => [
				key,
				key === 'headerName' || key === 'encoding' || key === 'variant' ? fields[key] : '',
			]),
		);
		const answer = await deliver(trigger.node, {
			parameters: { authentication: scheme.authentication },
			credentials: { [type]: emptied },
			headers: scheme.sign(body),
			body,
		});
		expect(answer.status).toBe(500);
		expect(answer.items).toHaveLength(0);
		expect((answer.body as { error: string }).error).toMatch(/not configured correctly/);
	});
});
