import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	INodeCredentialTestResult,
} from 'n8n-workflow';

/**
 * What the **Test** button of each credential's form checks.
 *
 * A webhook secret is only ever checked by the partner's next delivery: no partner offers an
 * endpoint that says "this is the right secret". So the test checks what can go wrong before
 * any delivery arrives — a missing secret, a space or line break pasted around it, a header
 * name HTTP cannot carry, a Bearer token pasted with its "Bearer" word, a setting the trigger
 * does not know — and says what a genuine delivery must then carry. Nothing here echoes a
 * secret: messages name fields, never values.
 *
 * The checks themselves are written once here; what each credential type holds comes from its
 * partner (`credentials` in `nodes/<Partner>/partner.ts`). n8n finds the test through a node:
 * the node's credential slot says `testedBy: '<name>Test'` and the node's
 * `methods.credentialTest` holds the function (see `credentialTestsFor` below).
 */

export interface HeaderField {
	field: string;
	label: string;
	/** What the trigger uses when the field is empty (it trims the value too). */
	fallback: string;
}

/** A setting with a fixed list of values; the form offers `options`, and nothing else is allowed. */
export interface ChoiceField {
	field: string;
	label: string;
	/** What the form's dropdown offers, as n8n's `options` (the allowed values). */
	options: ReadonlyArray<{ name: string; value: string; description: string }>;
	fallback: string;
}

/** The values a choice allows: its options' values. */
export const allowedValues = <const Choice extends ChoiceField>(
	choice: Choice,
): Array<Choice['options'][number]['value']> => choice.options.map((option) => option.value);

/** The checks of one credential type, and what a delivery signed with it must carry. */
export interface CredentialRules {
	/** The partner's name, as its guidance spells it. */
	partner: string;
	/** Fields the trigger cannot do without, by field name → label in the form. */
	required: Readonly<Record<string, string>>;
	/** The fields among `required` that hold a secret (never echoed). */
	secrets: readonly string[];
	/**
	 * Secret fields the user may leave empty, by field name → label (a Previous Secret while the
	 * secret changes): the form shows them as password fields; the Test button checks nothing
	 * about them, since empty is their usual state.
	 */
	optionalSecrets?: Readonly<Record<string, string>>;
	header?: HeaderField;
	choices?: readonly ChoiceField[];
	/** Checks particular to the scheme; each returns problems in plain words. */
	extra?: (data: ICredentialDataDecryptedObject) => string[];
	/** "Deliveries must carry …": shown when the credential looks usable. */
	carries: (data: ICredentialDataDecryptedObject) => string;
}

/** RFC 9110 token characters: what a header name may consist of. */
const HEADER_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Headers HTTP itself sets; none of them can carry a partner's key or signature. */
const FRAMING_HEADERS = new Set(['content-length', 'content-type', 'host', 'transfer-encoding']);

/**
 * Checks one credential as its form holds it. Pure: the same data always gives the same
 * answer, and nothing leaves the process.
 */
export function checkCredentialWith(
	credentialRules: Readonly<Record<string, CredentialRules>>,
	type: string,
	data: ICredentialDataDecryptedObject | undefined,
): INodeCredentialTestResult {
	const rules = Object.prototype.hasOwnProperty.call(credentialRules, type)
		? credentialRules[type]
		: undefined;
	if (!rules) return { status: 'Error', message: `No test for credential type "${type}".` };
	const values = data ?? {};
	const problems = [...requiredProblems(rules, values)];
	if (rules.header) problems.push(...headerProblems(rules.header, values));
	for (const choice of rules.choices ?? []) problems.push(...choiceProblems(choice, values));
	if (rules.extra) problems.push(...rules.extra(values));

	if (problems.length > 0) return { status: 'Error', message: problems.join(' ') };
	return {
		status: 'OK',
		message: `Looks right: deliveries must carry ${rules.carries(values)}. Nothing can check a webhook secret from here: the real test is the first delivery ${rules.partner} signs with it (a wrong secret is answered 401 and ${rules.partner} retries).`,
	};
}

/**
 * A partner's `methods.credentialTest` entries, by the name its credential slots give in
 * `testedBy` (`<credential type>Test`). The node files pick the ones for their own credentials.
 */
export function credentialTestsFor<C extends Readonly<Record<string, CredentialRules>>>(
	credentialRules: C,
): { [Type in keyof C & string as `${Type}Test`]: ICredentialTestFunction } {
	const tests: Record<string, ICredentialTestFunction> = {};
	for (const type of Object.keys(credentialRules)) {
		tests[`${type}Test`] = async function (credential) {
			return checkCredentialWith(credentialRules, type, credential.data);
		};
	}
	return tests as { [Type in keyof C & string as `${Type}Test`]: ICredentialTestFunction };
}

function requiredProblems(rules: CredentialRules, data: ICredentialDataDecryptedObject): string[] {
	const problems: string[] = [];
	for (const [field, label] of Object.entries(rules.required)) {
		const value = text(data[field]);
		if (value === '') {
			problems.push(`${label} is empty: the trigger refuses every delivery until it is set.`);
		} else if (value.trim() === '') {
			problems.push(`${label} holds only spaces or line breaks.`);
		} else if (rules.secrets.includes(field) && value !== value.trim()) {
			problems.push(strayWhitespace(label));
		}
	}
	return problems;
}

function headerProblems(header: HeaderField, data: ICredentialDataDecryptedObject): string[] {
	const name = headerOf(data, header);
	if (!HEADER_TOKEN.test(name)) {
		return [
			`${header.label} "${name}" is not a valid HTTP header name (letters, digits and !#$%&'*+.^_\`|~- only, no spaces or colon).`,
		];
	}
	if (FRAMING_HEADERS.has(name.toLowerCase())) {
		return [`${header.label} "${name}" is set by HTTP itself and cannot carry a key or signature.`];
	}
	return [];
}

function choiceProblems(choice: ChoiceField, data: ICredentialDataDecryptedObject): string[] {
	const value = choiceOf(data, choice.field, choice.fallback);
	const allowed: string[] = allowedValues(choice);
	return allowed.includes(value)
		? []
		: [`${choice.label} "${value}" is not one of ${allowed.join(', ')}.`];
}

export function strayWhitespace(label: string): string {
	return `${label} starts or ends with a space or line break (copy-paste often adds one); the partner's value almost never does, so remove it.`;
}

/** What the trigger reads from a header field: trimmed, or the fallback when empty. */
export function headerOf(data: ICredentialDataDecryptedObject, header: HeaderField): string {
	const value = text(data[header.field]).trim();
	return value === '' ? header.fallback : value;
}

export function choiceOf(
	data: ICredentialDataDecryptedObject,
	field: string,
	fallback: string,
): string {
	const value = text(data[field]).trim();
	return value === '' ? fallback : value;
}

/** A header value may hold visible characters, spaces and tabs: no other control character. */
export function fitsInHeaderValue(value: string): boolean {
	for (const character of value) {
		const code = character.charCodeAt(0);
		if ((code < 0x20 && character !== '\t') || code === 0x7f) return false;
	}
	return true;
}

export function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}
