/**
 * One partner's package (scripts/partner-packages.ts) installed in a real n8n the way n8n
 * installs a community package, in place of the pack: its triggers pass the same checks as the
 * pack's, under the package's own name, and it holds no other partner.
 */
import { PARTNERS } from '../../nodes/partners';
import { describeEachTrigger } from '../compat/triggerChecks';
import { instance, readState, runtime, workflows } from '../e2e/harness';
import { PARTNER, PARTNER_MAIN } from './scenario';

beforeAll(() => {
	process.stdout.write(`[partners] ${workflows.PACKAGE_NAME} in n8n ${runtime.N8N_VERSION}\n`);
});

it("is the partner's own package, with none of the other partners", () => {
	expect(workflows.PACKAGE_NAME).toBe(`n8n-nodes-${PARTNER.provider}-webhooks`);
	const { packedFiles } = readState();
	expect(packedFiles).toContain('package.json');
	for (const other of PARTNERS.filter((partner) => partner !== PARTNER)) {
		expect(packedFiles.filter((file) => file.includes(`/${other.name}`))).toEqual([]);
	}
	expect(PARTNER_MAIN.map(({ key }) => key)).toHaveLength(PARTNER.triggers.length);
});

describeEachTrigger(PARTNER_MAIN);

it("has the answer node loaded from it: its schema served under the package's name", async () => {
	const answer = await instance.request(
		'GET',
		`http://127.0.0.1:${readState().port}/schemas/${workflows.PACKAGE_NAME}.partnerAnswer/1.0.0.json`,
	);
	expect(answer.status).toBe(200);
});
