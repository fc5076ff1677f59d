import { z } from 'zod/v4';

type JsonSchema = { [keyword: string]: unknown };

/**
 * The JSON Schema of a trigger's output item in the form n8n's editor reads from
 * `__schema__/v1.0.0.json`: plain `type`/`properties`/`items`, as in n8n's own schemas. A
 * nullable field is shown with its non-null type (the editor maps fields, it does not validate).
 */
export function outputJsonSchema(item: z.ZodType): JsonSchema {
	const schema = z.toJSONSchema(item, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
	delete schema.$schema;
	return simplify(schema);
}

function simplify(node: JsonSchema): JsonSchema {
	const variants = Array.isArray(node.anyOf) ? (node.anyOf as JsonSchema[]) : undefined;
	if (variants) {
		const nonNull = variants.filter((variant) => variant.type !== 'null');
		if (nonNull.length === 1) {
			const rest = { ...node };
			delete rest.anyOf;
			return simplify({ ...nonNull[0], ...rest });
		}
	}
	const result: JsonSchema = {};
	for (const [keyword, value] of Object.entries(node)) {
		if (keyword === 'additionalProperties' || keyword === 'required') continue;
		if (keyword === 'properties') {
			result.properties = Object.fromEntries(
				Object.entries(value as Record<string, JsonSchema>).map(([name, child]) => [
					name,
					simplify(child),
				]),
			);
		} else if (keyword === 'items' && typeof value === 'object' && value !== null) {
			result.items = simplify(value as JsonSchema);
		} else if (keyword === 'anyOf' && Array.isArray(value)) {
			result.anyOf = (value as JsonSchema[]).map(simplify);
		} else {
			result[keyword] = value;
		}
	}
	return result;
}
