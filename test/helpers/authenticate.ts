/**
 * A delivery's credential checked exactly as the triggers check it: `processDelivery`
 * (nodes/shared/pipeline.ts) calls `presentedCredential` on the headers, then `verifyPresented`
 * on the bytes (and, for schemes signing body fields, the parsed body). The tests of the
 * signature checks call the same two production functions in the same order, without a
 * payload contract around them; throws the `AuthenticationError` naming the failed check.
 */
import {
	presentedCredential,
	verifyPresented,
	type AuthScheme,
	type DeliveryRequest,
} from '../../index';

export function authenticate(
	scheme: AuthScheme,
	request: DeliveryRequest,
	payload?: unknown,
): void {
	verifyPresented(scheme, presentedCredential(scheme, request.headers), request.rawBody, payload);
}
