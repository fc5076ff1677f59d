/** The partners' suite's n8n: the package of the partner N8N_INSURANCE_PACKAGE names. */
import { setUpN8n } from '../e2e/globalSetup';
import { PARTNER_SCENARIO } from './scenario';

export default async function globalSetup(): Promise<void> {
	await setUpN8n(PARTNER_SCENARIO);
}
