import type { INodeType } from 'n8n-workflow';

import { QoalaClaimTrigger } from '../../nodes/Qoala/ClaimTrigger/QoalaClaimTrigger.node';
import { registry } from '../../nodes/partners';
import { activate, deactivate, runHook } from '../helpers/hookContext';
import { triggerNode } from '../helpers/nodes';
import { sample, variant } from '../helpers/samples';
import { deliver, freshN8n } from '../helpers/webhookContext';

/**
 * What n8n does with a trigger when the workflow is activated and deactivated. The partner
 * registers the URL; the node records which URL is live, warns when it changed, and keeps
 * the record of accepted deliveries across a pause.
 */

const PRODUCTION = 'https://n8n.example.com/webhook/3f0c/webhook';
const MOVED = 'https://automation.example.org/webhook/3f0c/webhook';
const TEST_URL = 'https://n8n.example.com/webhook-test/3f0c/webhook';

const registrationIn = (n8n: { staticData: Record<string, unknown> }) =>
	(n8n.staticData['node:Trigger'] as Record<string, unknown> | undefined)?.registration as
		Record<string, unknown> | undefined;

/** Every trigger of the registry (nodes/partners.ts). */
const triggers: Array<[string, INodeType, string]> = registry.triggers.map((trigger) => [
	trigger.displayName,
	triggerNode(trigger.nodeName),
	// Where its partner says the URL is registered (its guidance in nodes/<Partner>/partner.ts).
	trigger.partner.registrationStep,
]);

describe.each(triggers)('%s lifecycle', (_name, node, howToRegister) => {
	it('records the production URL on activation, and finds it again after an n8n restart', async () => {
		const n8n = freshN8n();
		expect((await runHook(node, 'checkExists', n8n, { url: PRODUCTION })).result).toBe(false);
		const activation = await activate(node, n8n, PRODUCTION);
		expect(activation.result).toBe(true);
		expect(activation.logs.filter((log) => log.level === 'warn')).toEqual([]);
		const registration = registrationIn(n8n);
		expect(registration).toMatchObject({ webhookUrl: PRODUCTION, active: true });
		expect(Date.parse(registration?.activatedAt as string)).not.toBeNaN();
		// n8n restarts with the workflow still active: checkExists says yes, create is skipped.
		expect((await runHook(node, 'checkExists', n8n, { url: PRODUCTION })).result).toBe(true);
	});

	it('marks the registration inactive on deactivation, keeping its URL', async () => {
		const n8n = freshN8n();
		await activate(node, n8n, PRODUCTION);
		expect((await deactivate(node, n8n, PRODUCTION)).result).toBe(true);
		expect(registrationIn(n8n)).toMatchObject({ webhookUrl: PRODUCTION, active: false });
		expect(Date.parse(registrationIn(n8n)?.deactivatedAt as string)).not.toBeNaN();
		expect((await runHook(node, 'checkExists', n8n, { url: PRODUCTION })).result).toBe(false);
	});

	it('reactivates at the same URL without a warning', async () => {
		const n8n = freshN8n();
		await activate(node, n8n, PRODUCTION);
		await deactivate(node, n8n, PRODUCTION);
		const again = await activate(node, n8n, PRODUCTION);
		expect(again.logs.filter((log) => log.level === 'warn')).toEqual([]);
		expect(registrationIn(n8n)).toMatchObject({ webhookUrl: PRODUCTION, active: true });
	});

	it('warns when the URL the partner was given is no longer the live one, and says how to register it', async () => {
		const n8n = freshN8n();
		await activate(node, n8n, PRODUCTION);
		await deactivate(node, n8n, PRODUCTION);
		const moved = await activate(node, n8n, MOVED);
		const warnings = moved.logs.filter((log) => log.level === 'warn').map((log) => log.message);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain(`changed from ${PRODUCTION} to ${MOVED}`);
		expect(warnings[0]).toContain(howToRegister);
		expect(registrationIn(n8n)).toMatchObject({ webhookUrl: MOVED, active: true });
	});

	it('leaves the production registration alone while listening on the test URL', async () => {
		const n8n = freshN8n();
		await activate(node, n8n, PRODUCTION);
		const before = JSON.stringify(n8n.staticData);
		// n8n runs the lifecycle on the test URL, on a copy of static data it never saves; even
		// if it did, the production registration must not change.
		for (const save of [false, true]) {
			const listening = await runHook(node, 'checkExists', n8n, {
				url: TEST_URL,
				mode: 'manual',
				save,
			});
			expect(listening.result).toBe(false);
			await runHook(node, 'create', n8n, { url: TEST_URL, mode: 'manual', save });
			await runHook(node, 'delete', n8n, { url: TEST_URL, mode: 'internal', save });
			expect(JSON.stringify(n8n.staticData)).toBe(before);
		}
	});
});

describe('a retry that arrives across a deactivation', () => {
	const qoalaClaim = new QoalaClaimTrigger();
	const open = { authentication: 'none' };

	it('still starts nothing after the workflow is reactivated, even after an n8n restart', async () => {
		const n8n = freshN8n();
		await activate(qoalaClaim, n8n, PRODUCTION);
		const body = sample('qoala-claim');
		const first = await deliver(qoalaClaim, { parameters: open, body, n8n });
		expect(first.items).toHaveLength(1);

		await deactivate(qoalaClaim, n8n, PRODUCTION);
		// n8n restarts while the workflow is off: only static data remembers.
		const restarted = { ...freshN8n(), staticData: n8n.staticData };
		await activate(qoalaClaim, restarted, PRODUCTION);

		const retried = await deliver(qoalaClaim, { parameters: open, body, n8n: restarted });
		expect(retried.status).toBe(200);
		expect(retried.items).toHaveLength(0);
		expect(retried.body).toMatchObject({ ignored: 'repeated' });

		const next = variant('qoala-claim', (claim) => {
			claim.status = 'INSURANCE_CLAIM_PAID';
		});
		const moved = await deliver(qoalaClaim, { parameters: open, body: next, n8n: restarted });
		expect(moved.items).toHaveLength(1);
	});
});
