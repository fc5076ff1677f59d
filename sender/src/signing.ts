/**
 * Signing a delivery the way a genuine partner does: the other side of the trigger's checks in
 * nodes/shared/authSchemes.ts. Only the sender and the tests sign, so this lives here, outside
 * the node package's tarball; n8n never loads it. It reuses the trigger's own description of
 * what is signed (`signedBytes`) and how (`digestOf`), so a delivery signed here is signed
 * exactly as the trigger recomputes it — verification never calls this.
 */
import { digestOf, signedBytes, type AuthScheme } from '../../nodes/shared/authSchemes';

/** The headers a genuine partner would send for this body (names as the scheme spells them). */
export function signDelivery(
	scheme: AuthScheme,
	rawBody: Buffer,
	payload?: unknown,
): Record<string, string> {
	switch (scheme.type) {
		case 'none':
			return {};
		case 'sharedSecret':
			return { [scheme.header]: scheme.secret };
		case 'authorization':
			return { Authorization: `${scheme.scheme} ${scheme.credentials}` };
		case 'signature': {
			const content = signedBytes(scheme.signed, rawBody, payload);
			if (content === undefined) {
				const fields = scheme.signed.from === 'fields' ? scheme.signed.fields.join(', ') : '';
				throw new Error(`Cannot sign: the body needs string fields ${fields}`);
			}
			const digest = digestOf(scheme, content).toString(scheme.encoding);
			return { [scheme.header]: scheme.version ? `${scheme.version}=${digest}` : digest };
		}
	}
}
