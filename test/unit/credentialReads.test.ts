/**
 * A trigger reuses a credential it read a few seconds ago (n8n's read costs a V8 isolate per
 * request), without costing the user anything they rely on: an edit counts for the very next
 * delivery, a replaced or deleted credential stops working within 5 seconds, two credentials
 * never share a read, and no secret leaves memory.
 */
import { CermatiApplicationTrigger } from '../../nodes/Cermati/ApplicationTrigger/CermatiApplicationTrigger.node';
import { CermatiClaimTrigger } from '../../nodes/Cermati/ClaimTrigger/CermatiClaimTrigger.node';
import { CuracelTrigger } from '../../nodes/Curacel/CuracelTrigger/CuracelTrigger.node';
import { CREDENTIAL_REUSE_SECONDS, CredentialReads } from '../../nodes/shared/credentialReads';
import { cermatiSignature, hmacHex } from '../helpers/partners';
import { sample } from '../helpers/samples';
import { deliver, freshN8n, type DeliveryOptions } from '../helpers/webhookContext';

const node = new CuracelTrigger();
const body = sample('curacel-claim.vetted');
const TYPE = 'curacelSignatureApi';

let nextCredential = 0;
/** A credential of its own for each test: reads are kept per process, by type and id. */
function newCredentialId(): string {
	nextCredential += 1;
	return `credential-${nextCredential}`;
}

function send(
	credentialId: string,
	stored: string | undefined,
	signedWith: string,
	extra: Partial<DeliveryOptions> = {},
) {
	return deliver(node, {
		parameters: { authentication: 'signature' },
		credentials: stored === undefined ? undefined : { [TYPE]: { webhookSecret: stored } },
		credentialType: TYPE,
		credentialId,
		headers: { 'x-curacel-signature': hmacHex('sha256', signedWith, body) },
		body,
		...extra,
	});
}

let clock = 1_750_000_000_000;
beforeEach(() => {
	jest.spyOn(Date, 'now').mockImplementation(() => clock);
});
afterEach(() => jest.restoreAllMocks());
const advance = (seconds: number) => {
	clock += seconds * 1_000;
};

describe('reusing a credential read', () => {
	it('reads the credential once for the deliveries of the next 5 seconds', async () => {
		const id = newCredentialId();
		const first = await send(id, 'secret-a', 'secret-a');
		advance(CREDENTIAL_REUSE_SECONDS - 0.1);
		const second = await send(id, 'secret-a', 'secret-a');
		expect([first.status, second.status]).toEqual([200, 200]);
		expect(second.items).toHaveLength(1);
		expect([first.credentialReads, second.credentialReads]).toEqual([1, 0]);
	});

	it('reads it again after 5 seconds', async () => {
		const id = newCredentialId();
		await send(id, 'secret-a', 'secret-a');
		advance(CREDENTIAL_REUSE_SECONDS);
		expect((await send(id, 'secret-a', 'secret-a')).credentialReads).toBe(1);
	});

	it('counts an edit for the very next delivery signed with the new secret', async () => {
		const id = newCredentialId();
		await send(id, 'secret-a', 'secret-a');
		advance(1);
		const next = await send(id, 'secret-b', 'secret-b');
		expect(next.status).toBe(200);
		expect(next.items).toHaveLength(1);
		// And the new secret is what is reused from then on.
		advance(1);
		const after = await send(id, 'secret-b', 'secret-b');
		expect([after.status, after.credentialReads]).toEqual([200, 0]);
	});

	it('accepts a replaced secret for at most 5 seconds after the change', async () => {
		const id = newCredentialId();
		await send(id, 'secret-a', 'secret-a');
		advance(1); // the user replaces secret-a with secret-b
		advance(CREDENTIAL_REUSE_SECONDS - 1.1);
		expect((await send(id, 'secret-b', 'secret-a')).status).toBe(200);
		advance(0.1);
		const late = await send(id, 'secret-b', 'secret-a');
		expect(late.status).toBe(401);
		expect(late.executionStarted).toBe(false);
	});

	it('stops deliveries within 5 seconds of the credential being deleted', async () => {
		const id = newCredentialId();
		await send(id, 'secret-a', 'secret-a');
		advance(CREDENTIAL_REUSE_SECONDS);
		const deleted = await send(id, undefined, 'secret-a');
		expect(deleted.status).toBe(500);
		expect(deleted.executionStarted).toBe(false);
		// Not reused afterwards either: every delivery asks n8n, which has no such credential.
		const again = await send(id, undefined, 'secret-a');
		expect([again.status, again.credentialReads]).toEqual([500, 1]);
	});

	it('never lets one credential decide for another', async () => {
		const first = newCredentialId();
		const second = newCredentialId();
		await send(first, 'secret-a', 'secret-a');
		const other = await send(second, 'secret-b', 'secret-a');
		expect(other.status).toBe(401);
		expect((await send(second, 'secret-b', 'secret-b')).status).toBe(200);
		expect((await send(first, 'secret-a', 'secret-a')).credentialReads).toBe(0);
	});

	it('checks many refused deliveries at once against one new read', async () => {
		const id = newCredentialId();
		await send(id, 'secret-a', 'secret-a');
		const forged = await Promise.all(
			Array.from({ length: 10 }, () => send(id, 'secret-a', 'not-the-secret')),
		);
		expect(forged.map((answer) => answer.status)).toEqual(Array(10).fill(401));
		expect(forged.reduce((reads, answer) => reads + answer.credentialReads, 0)).toBe(1);
	});

	it('starts one execution for copies arriving at once, the credential reused or read anew', async () => {
		const id = newCredentialId();
		const n8n = freshN8n();
		await send(id, 'secret-a', 'secret-a', { body: sample('curacel-claim.settled'), n8n });
		const vetted = sample('curacel-claim.vetted');
		// Signed with the edited secret: each copy is decided again after a new read.
		const answers = await Promise.all(
			Array.from({ length: 8 }, () =>
				send(id, 'secret-b', 'secret-b', {
					body: vetted,
					headers: { 'x-curacel-signature': hmacHex('sha256', 'secret-b', vetted) },
					n8n,
				}),
			),
		);
		expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
		expect(answers.reduce((sum, answer) => sum + answer.items.length, 0)).toBe(1);
	});

	it('lets two triggers that check different things share one credential', async () => {
		// Cermati's application and claim triggers sign other fields with the same secret.
		const id = newCredentialId();
		const cermati = (
			node: CermatiApplicationTrigger | CermatiClaimTrigger,
			name: string,
			first: string,
		) => {
			const body = sample(name);
			return deliver(node, {
				parameters: { authentication: 'signature' },
				credentials: { cermatiSignatureApi: { secretKey: 'shared-secret' } },
				credentialId: id,
				headers: { 'cermati-signature': cermatiSignature('shared-secret', body, first) },
				body,
			});
		};
		const application = new CermatiApplicationTrigger();
		const claim = new CermatiClaimTrigger();
		const answers = await Promise.all([
			cermati(application, 'cermati-application', 'trxId'),
			cermati(claim, 'cermati-claim', 'claimId'),
			cermati(application, 'cermati-application', 'trxId'),
			cermati(claim, 'cermati-claim', 'claimId'),
		]);
		expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
		// And one after the other, each reusing the read the other made.
		expect((await cermati(claim, 'cermati-claim', 'claimId')).status).toBe(200);
		expect((await cermati(application, 'cermati-application', 'trxId')).status).toBe(200);
	});

	it('always reads the credential for the test URL', async () => {
		const id = newCredentialId();
		await send(id, 'secret-a', 'secret-a');
		const manual = await send(id, 'secret-a', 'secret-a', { mode: 'manual' });
		expect([manual.status, manual.credentialReads]).toEqual([200, 1]);
	});

	it('keeps the secret out of logs, answers and static data', async () => {
		const id = newCredentialId();
		const n8n = freshN8n();
		const answers = [
			await send(id, 'very-secret-value', 'very-secret-value', { n8n }),
			await send(id, 'very-secret-value', 'forged', { n8n }),
			await send(id, 'very-secret-value', 'very-secret-value', { n8n }),
		];
		const seen = JSON.stringify({
			logs: answers.map((answer) => answer.logs),
			bodies: answers.map((answer) => answer.body),
			items: answers.map((answer) => answer.items),
			staticData: n8n.staticData,
		});
		expect(seen).not.toContain('very-secret-value');
	});
});

describe('CredentialReads', () => {
	const read = (value: string) => jest.fn(async () => value);

	it('keeps at most its capacity, forgetting the least recently used first', async () => {
		const reads = new CredentialReads<string>(5_000, 3);
		for (const key of ['a', 'b', 'c']) await reads.current(key, read(key));
		await reads.current('a', read('a')); // a is used again: b is now the oldest
		await reads.current('d', read('d'));
		expect(reads.size).toBe(3);
		const b = read('b');
		const a = read('a');
		expect((await reads.current('b', b)).reused).toBe(false);
		expect((await reads.current('a', a)).reused).toBe(true);
		expect([b.mock.calls.length, a.mock.calls.length]).toEqual([1, 0]);
	});

	it('does not share a read that started before the ticket was taken', async () => {
		const reads = new CredentialReads<string>();
		let finish: (value: string) => void = () => undefined;
		const slow = reads.since('k', () => new Promise<string>((resolve) => (finish = resolve)), 0);
		const ticket = reads.ticket(); // a delivery arrives while that read is under way
		const later = read('edited');
		const after = reads.since('k', later, ticket);
		finish('before the edit');
		expect(await slow).toBe('before the edit');
		expect(await after).toBe('edited');
		expect((await reads.current('k', read('unused'))).value).toBe('edited');
	});
});
