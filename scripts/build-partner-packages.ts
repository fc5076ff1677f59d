// After the pack is built: writes one package per partner from it (scripts/partner-packages.ts).
import * as path from 'node:path';

import { REPO_DIR } from './paths';
import { writePartnerPackages } from './partner-packages';

for (const pkg of writePartnerPackages()) {
	const { nodes, credentials } = pkg.manifest.n8n;
	console.log(
		`partner package: ${path.relative(REPO_DIR, pkg.dir)} (${pkg.manifest.name}): ${nodes.length} nodes, ${credentials.length} credentials`,
	);
}
