/** The reliability run's own n8n (it restarts n8n and counts every execution): see scenario.ts. */
import { setUpN8n } from '../e2e/globalSetup';
import { RELIABILITY_SCENARIO } from './scenario';

export default async function globalSetup(): Promise<void> {
	await setUpN8n(RELIABILITY_SCENARIO);
}
