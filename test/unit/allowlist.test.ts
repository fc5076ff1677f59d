/** Options → IP Allowlist: which client addresses may deliver (403 for the others). */
import { QoalaClaimTrigger } from '../../nodes/Qoala/ClaimTrigger/QoalaClaimTrigger.node';
import { parseAllowlist } from '../../nodes/shared/sourceAddress';
import { sample } from '../helpers/samples';
import { deliver } from '../helpers/webhookContext';

function listOf(text: string) {
	const allowlist = parseAllowlist(text);
	if ('invalid' in allowlist) throw new Error(`${allowlist.invalid} is invalid`);
	return allowlist;
}

describe('the allowlist', () => {
	const allowlist = listOf('203.0.113.10, 198.51.100.0/24\n2001:db8::/32 ::1, fe80::1:2:3:4');

	it.each([
		'203.0.113.10',
		'198.51.100.0',
		'198.51.100.255',
		'2001:db8::1',
		'2001:0db8:ffff:ffff:ffff:ffff:ffff:ffff',
		'::1',
		'fe80::1:2:3:4',
		'::ffff:203.0.113.10',
		'::ffff:198.51.100.7',
	])('allows %s', (address) => {
		expect(allowlist.allows(address)).toBe(true);
	});

	it.each([
		'203.0.113.11',
		'198.51.101.0',
		'2001:db9::1',
		'::2',
		'fe80::1:2:3:5',
		'::ffff:203.0.113.11',
		'',
		'not an address',
		'203.0.113.10.1',
	])('refuses %s', (address) => {
		expect(allowlist.allows(address)).toBe(false);
	});

	it('matches IPv4 entries only against IPv4 clients', () => {
		expect(listOf('0.0.0.0/0').allows('2001:db8::1')).toBe(false);
		expect(listOf('::/0').allows('203.0.113.10')).toBe(false);
	});

	it.each(['10.0.0.0/33', '10.0.0.256', '2001:db8::/129', 'example.com', '10.0.0.1/8/2', '1:2:3'])(
		'refuses the entry %s, naming it',
		(entry) => {
			expect(parseAllowlist(`203.0.113.10, ${entry}`)).toEqual({ invalid: entry });
		},
	);
});

describe('a trigger with an IP allowlist', () => {
	const delivery = (remoteAddress: string, allowedIps: string, rejectedOutput = false) =>
		deliver(new QoalaClaimTrigger(), {
			parameters: { authentication: 'none', options: { allowedIps, rejectedOutput } },
			body: sample('qoala-claim'),
			remoteAddress,
		});

	it('starts the workflow for a listed address', async () => {
		expect((await delivery('198.51.100.7', '198.51.100.0/24')).items).toHaveLength(1);
	});

	it('answers any other address 403 and starts nothing', async () => {
		const answer = await delivery('203.0.113.99', '198.51.100.0/24');
		expect(answer.status).toBe(403);
		expect(answer.items).toHaveLength(0);
		expect(answer.body).toEqual({
			error: "Deliveries from 203.0.113.99 are not allowed by this trigger's IP allowlist",
		});
	});

	it('answers 500 "not configured correctly" for an entry that is not an address', async () => {
		const answer = await delivery('198.51.100.7', '198.51.100.0/24, partner.example.com', true);
		expect(answer.status).toBe(500);
		// The bad entry is the owner's to read (the Rejected output, n8n's log), not the caller's.
		expect(answer.body).toEqual({ error: 'This trigger is not configured correctly' });
		expect(answer.rejected).toEqual([
			expect.objectContaining({ reason: expect.stringMatching(/partner\.example\.com/) }),
		]);
	});

	it('accepts every address when empty, as before', async () => {
		expect((await delivery('203.0.113.99', '')).items).toHaveLength(1);
	});
});
