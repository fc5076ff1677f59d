import type {
	ICredentialDataDecryptedObject,
	INodeProperties,
	IWebhookFunctions,
} from 'n8n-workflow';

import { CredentialReads } from './credentialReads';
import { MisconfiguredTriggerError } from './errors';
import type { AuthScheme } from './authSchemes';

/** One choice of the node's `authentication` parameter and the credential it asks for. */
export interface AuthenticationMethod {
	/** Shown in the `authentication` dropdown. */
	name: string;
	description: string;
	/** The credential type the user picks; absent for `none`. */
	credentialType?: string;
	/** Turns the stored credential into the check the pipeline runs. */
	scheme(credentials: ICredentialDataDecryptedObject): AuthScheme;
}

export type AuthenticationMethods = Readonly<Record<string, AuthenticationMethod>>;

export const noAuthentication: AuthenticationMethod = {
	name: 'None (Not Recommended)',
	description: 'Accept deliveries from anyone who knows the URL',
	scheme: () => ({ type: 'none' }),
};

/** The node's `authentication` dropdown, built from the methods so both always agree. */
export function authenticationProperty(
	methods: AuthenticationMethods,
	defaultMethod: string,
): INodeProperties {
	return {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: Object.entries(methods).map(([value, method]) => ({
			name: method.name,
			value,
			description: method.description,
		})),
		default: defaultMethod,
		description: 'How the partner proves that a delivery comes from them',
	};
}

/** The check configured on this node, and how to check again with its credential read anew. */
export interface ConfiguredScheme {
	scheme: AuthScheme;
	/** Whether `scheme` comes from an earlier read of the credential (within a few seconds). */
	reused: boolean;
	/** The check with the credential as it is stored now (read after the delivery arrived). */
	readAgain(): Promise<AuthScheme>;
}

/**
 * Credentials of every trigger in this process, by type and id (see credentialReads.ts). What
 * is kept is the credential as n8n gave it, never a check built from it: two triggers sharing a
 * credential check different things with it (Cermati's applications and claims sign other
 * fields), so each builds its own check from the same read.
 */
const credentialReads = new CredentialReads<ICredentialDataDecryptedObject>();

/**
 * The check configured on this node, with its credential loaded. The test URL always reads
 * the credential: someone is editing it.
 */
export async function configuredScheme(
	context: IWebhookFunctions,
	methods: AuthenticationMethods,
): Promise<ConfiguredScheme> {
	const ticket = credentialReads.ticket();
	const chosen = context.getNodeParameter('authentication') as string;
	const method = methods[chosen];
	if (method === undefined) {
		throw new MisconfiguredTriggerError(`unknown authentication "${chosen}"`);
	}
	const { credentialType } = method;
	if (credentialType === undefined) {
		const scheme = method.scheme({});
		return { scheme, reused: false, readAgain: async () => scheme };
	}
	const read = () => context.getCredentials(credentialType);
	const id = context.getNode().credentials?.[credentialType]?.id;
	if (!id) {
		const readAgain = async () => method.scheme(await read());
		return { scheme: await readAgain(), reused: false, readAgain };
	}

	const key = `${credentialType}\u0000${id}`;
	const readAgain = async () => method.scheme(await credentialReads.since(key, read, ticket));
	if (context.getMode() === 'manual')
		return { scheme: await readAgain(), reused: false, readAgain };
	const { value, reused } = await credentialReads.current(key, read);
	return { scheme: method.scheme(value), reused, readAgain };
}

/** A credential field as text, or `fallback` when the user left it empty. */
export function optionalField(
	credentials: ICredentialDataDecryptedObject,
	field: string,
	fallback: string,
): string {
	const value = credentials[field];
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}

/**
 * A secret the check cannot do without. An empty one would make every signature forgeable,
 * so it stops the trigger (500, the partner retries) instead of accepting anything. Spaces or
 * line breaks alone are empty too: nobody chose them as a key, and anyone could guess them.
 */
export function requiredSecret(credentials: ICredentialDataDecryptedObject, field: string): string {
	const value = secretText(credentials, field);
	if (value === undefined) {
		throw new MisconfiguredTriggerError(`the credential's "${field}" is empty`);
	}
	return value;
}

/**
 * A secret the user may leave empty (a Previous Secret while rotating): undefined when empty
 * or blank, so an empty field can never be a key that anything matches.
 */
export function optionalSecret(
	credentials: ICredentialDataDecryptedObject,
	field: string,
): string | undefined {
	return secretText(credentials, field);
}

/** A secret as stored (never trimmed: it is the partner's key), or undefined when blank. */
function secretText(
	credentials: ICredentialDataDecryptedObject,
	field: string,
): string | undefined {
	const value = credentials[field];
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * A credential field that must be one of `allowed` (empty means `fallback`). Anything else is
 * a misconfiguration (500, the partner retries), never silently read as the default: a
 * setting replaced behind the user's back makes every genuine delivery fail a check they
 * cannot see.
 */
export function oneOf<const Allowed extends string>(
	credentials: ICredentialDataDecryptedObject,
	field: string,
	allowed: readonly Allowed[],
	fallback: Allowed,
): Allowed {
	const value = optionalField(credentials, field, fallback);
	if (!(allowed as readonly string[]).includes(value)) {
		throw new MisconfiguredTriggerError(
			`the credential's "${field}" is "${value}"; it must be one of ${allowed.join(', ')}`,
		);
	}
	return value as Allowed;
}

/** A header-name field: an HTTP token (RFC 9110), or `fallback` when empty. */
export function headerNameField(
	credentials: ICredentialDataDecryptedObject,
	field: string,
	fallback: string,
): string {
	const value = optionalField(credentials, field, fallback);
	if (!HTTP_TOKEN.test(value)) {
		throw new MisconfiguredTriggerError(
			`the credential's "${field}" is not a valid HTTP header name`,
		);
	}
	return value;
}
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
