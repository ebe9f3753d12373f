import { isJsonObject, type WarningCollector } from '@gw/ir';

/**
 * The keywords of Gemini's `Schema` (an OpenAPI 3.0 subset), the only ones `parameters` and `responseSchema`
 * take: anything else is an "Invalid JSON payload received. Unknown name" 400 for the whole request.
 * @see https://ai.google.dev/api/caching#Schema
 */
const SCHEMA_KEYWORDS = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'anyOf',
  'propertyOrdering',
  'default',
  'items',
  'minimum',
  'maximum',
]);
const MAX_REF_DEPTH = 8;

/**
 * A JSON Schema (what OpenAI and Anthropic tools carry) → Gemini's `Schema`:
 * - `$ref` to `#/$defs/...` or `#/definitions/...` is inlined (up to 8 levels; deeper or recursive ones become
 *   an unconstrained value), `oneOf` becomes `anyOf`, `const` a one-value `enum`, a type list with `null`
 *   (`["string","null"]`) a type with `nullable: true`;
 * - every other keyword Gemini does not take is dropped: `$schema`, `$id`, `$defs`, `additionalProperties`,
 *   `strict`, `allOf`, `not`, `exclusiveMinimum`/`exclusiveMaximum`, `multipleOf`, `uniqueItems`,
 *   `patternProperties`, `examples`, `if`/`then`/`else`, `contentEncoding`, ...: they constrain, so the model
 *   sees a looser schema, never a wrong one;
 * - an object with no properties loses `properties: {}` (Gemini refuses an empty one).
 * - a string `format` other than `enum` and `date-time` (`uri`, `email`, ...) is dropped: Gemini refuses it.
 * The dropped keywords are added to `dropped`, for one warning per request (`warnDroppedKeywords`).
 */
export function geminiSchema(schema: Record<string, unknown>, dropped: Set<string>): Record<string, unknown> {
  const definitions = {
    ...(isJsonObject(schema.$defs) ? schema.$defs : {}),
    ...(isJsonObject(schema.definitions) ? schema.definitions : {}),
  };
  const clean = (node: unknown, depth: number): unknown => {
    if (!isJsonObject(node)) return node;
    let source = node;
    if (typeof node.$ref === 'string') {
      const target = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(node.$ref)?.[1];
      const resolved = target === undefined ? undefined : definitions[target];
      if (!isJsonObject(resolved) || depth >= MAX_REF_DEPTH) {
        dropped.add('$ref');
        return {};
      }
      source = { ...resolved, ...Object.fromEntries(Object.entries(node).filter(([key]) => key !== '$ref')) };
      depth++;
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(source)) {
      if (key === 'oneOf' && Array.isArray(value)) out.anyOf = value.map((entry) => clean(entry, depth));
      else if (key === 'const') out.enum = [value];
      else if (key === 'type' && Array.isArray(value)) {
        const types = value.filter((entry) => entry !== 'null');
        if (types.length < value.length) out.nullable = true;
        if (types.length === 1) out.type = types[0];
        else if (types.length > 1) out.anyOf = types.map((type: unknown) => ({ type }));
      } else if (!SCHEMA_KEYWORDS.has(key)) {
        if (key !== '$defs' && key !== 'definitions') dropped.add(key);
      } else if (key === 'properties' && isJsonObject(value)) {
        if (Object.keys(value).length > 0)
          out.properties = Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, clean(inner, depth)]));
      } else if (key === 'items' || key === 'anyOf') {
        out[key] = Array.isArray(value) ? value.map((entry) => clean(entry, depth)) : clean(value, depth);
      } else if (key === 'format' && source.type === 'string' && value !== 'enum' && value !== 'date-time') {
        dropped.add(`format: ${String(value)}`);
      } else out[key] = value;
    }
    // `required` may only name properties that are there.
    if (Array.isArray(out.required)) {
      const names = isJsonObject(out.properties) ? Object.keys(out.properties) : [];
      out.required = out.required.filter((name) => typeof name === 'string' && names.includes(name));
      if ((out.required as unknown[]).length === 0) delete out.required;
    }
    return out;
  };
  return clean(schema, 0) as Record<string, unknown>;
}

export function warnDroppedKeywords(dropped: Set<string>, what: string, warnings: WarningCollector): void {
  if (dropped.size === 0) return;
  warnings.add('parameter_dropped', `${what}: JSON Schema keywords Gemini does not take were dropped (${[...dropped].sort().join(', ')})`);
}
