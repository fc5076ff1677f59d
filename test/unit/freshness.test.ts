/** Cermati's Options → Maximum Age: a signed delivery outside the window is refused 401. */
import { CermatiApplicationTrigger } from '../../nodes/Cermati/ApplicationTrigger/CermatiApplicationTrigger.node';
import { CermatiClaimTrigger } from '../../nodes/Cermati/ClaimTrigger/CermatiClaimTrigger.node';
import { QoalaClaimTrigger } from '../../nodes/Qoala/ClaimTrigger/QoalaClaimTrigger.node';
import { cermatiSignature } from '../helpers/partners';
import { sample } from '../helpers/samples';
import { deliver } from '../helpers/webhookContext';

const SECRET = 'cermati-secret';

/** The sample with updatedAt `offsetMs` from now, signed. */
function signedAt(name: 'cermati-application' | 'cermati-claim', offsetMs: number) {
	const json = JSON.parse(sample(name).toString('utf8')) as Record<string, unknown>;
	const updatedAt = new Date(Date.now() + offsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
	const body = Buffer.from(JSON.stringify({ ...json, updatedAt }));
	const first = name === 'cermati-application' ? 'trxId' : 'claimId';
	return { body, headers: { 'cermati-signature': cermatiSignature(SECRET, body, first) } };
}

const MINUTE = 60_000;

describe.each([
	['Cermati Application', new CermatiApplicationTrigger(), 'cermati-application'],
	['Cermati Claim', new CermatiClaimTrigger(), 'cermati-claim'],
] as const)('%s with Maximum Age 60 minutes', (_name, node, providerEvent) => {
	const send = (offsetMs: number, maxAge: number | null = 60) =>
		deliver(node, {
			parameters: { authentication: 'signature', options: maxAge === null ? {} : { maxAge } },
			credentials: { cermatiSignatureApi: { secretKey: SECRET } },
			...signedAt(providerEvent, offsetMs),
		});

	it('accepts a change from 59 minutes ago', async () => {
		expect((await send(-59 * MINUTE)).items).toHaveLength(1);
	});

	it('refuses a change from 3 hours ago 401, naming its age', async () => {
		const answer = await send(-3 * 60 * MINUTE);
		expect(answer.status).toBe(401);
		expect(answer.items).toHaveLength(0);
		expect((answer.body as { error: string }).error).toBe(
			'updatedAt is 3 hours old; this trigger accepts signed deliveries up to 60 minutes old (Options → Maximum Age)',
		);
	});

	it('refuses a change more than 5 minutes in the future, accepts one 4 minutes ahead', async () => {
		expect((await send(10 * MINUTE)).status).toBe(401);
		expect((await send(4 * MINUTE)).items).toHaveLength(1);
	});

	it('is off by default: an old change is accepted', async () => {
		expect((await send(-30 * 24 * 60 * MINUTE, null)).items).toHaveLength(1);
	});
});

it('is a Cermati option only: other triggers do not offer it', () => {
	const options = (node: {
		description: { properties: Array<{ name: string; options?: unknown }> };
	}) =>
		(
			node.description.properties.find((property) => property.name === 'options')
				?.options as Array<{
				name: string;
			}>
		).map((option) => option.name);
	expect(options(new CermatiClaimTrigger())).toContain('maxAge');
	expect(options(new QoalaClaimTrigger())).not.toContain('maxAge');
	expect(options(new QoalaClaimTrigger())).toContain('allowedIps');
});
