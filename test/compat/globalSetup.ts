/** The compatibility suite's n8n: N8N_VERSION picks which (see scenario.ts for what it holds). */
import { setUpN8n } from '../e2e/globalSetup';
import { COMPAT_SCENARIO } from './scenario';

export default async function globalSetup(): Promise<void> {
	await setUpN8n(COMPAT_SCENARIO);
}
