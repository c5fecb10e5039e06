/**
 * Makes a value valid for a JSON Schema: the inputs the schema-driven model sends to tools.
 * Deterministic: the same schema gives the same value. Bounded: a schema asking for more than
 * {@link MAX_SAMPLE_STRING_LENGTH} characters or {@link MAX_SAMPLE_ITEMS} items gets that many (the value
 * is then invalid for the schema, and the tool's validation says so) — one request with `minLength: 2e8`
 * must not stall or exhaust the server.
 * @module
 */

/** Longest string generated, whatever `minLength` asks. @default 65_536 */
export const MAX_SAMPLE_STRING_LENGTH = 65_536;
/** Most array items generated, whatever `minItems` asks. @default 64 */
export const MAX_SAMPLE_ITEMS = 64;
/** Most values (nodes) and characters one sample holds, nested arrays included. @default 10_000 and 1_048_576 */
export const MAX_SAMPLE_NODES = 10_000;
const MAX_SAMPLE_CHARACTERS = 1024 * 1024;

/** What is left to spend on one sample. */
interface SampleBudget {
  nodes: number;
  characters: number;
}

type Schema = Record<string, unknown>;

function resolveRef(ref: string, root: Schema): Schema {
  const path = ref.replace(/^#\//, '').split('/');
  let node: unknown = root;
  for (const part of path) node = (node as Schema | undefined)?.[part];
  return (node as Schema | undefined) ?? {};
}

function sampleString(schema: Schema, name: string, budget: SampleBudget): string {
  const format = schema.format;
  if (format === 'date-time') return '2026-01-01T00:00:00Z';
  if (format === 'date') return '2026-01-01';
  if (format === 'email') return 'someone@example.com';
  if (format === 'uri' || format === 'url') return 'https://example.com/';
  if (format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  let value = `${name || 'value'} sample`;
  const wanted = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const minLength = Math.max(0, Math.min(wanted, MAX_SAMPLE_STRING_LENGTH, budget.characters));
  budget.characters -= minLength;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  if (value.length < minLength) value += 'x'.repeat(minLength - value.length);
  return value.slice(0, Math.max(0, maxLength));
}

function sampleNumber(schema: Schema, integer: boolean): number {
  const minimum = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const exclusiveMinimum = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  const maximum = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  let value = minimum ?? (exclusiveMinimum !== undefined ? exclusiveMinimum + 1 : 1);
  if (maximum !== undefined && value > maximum) value = maximum;
  return integer ? Math.ceil(value) : value;
}

/**
 * A value valid for `schema` (local `$ref`s resolved against `root`), within the bounds above; `budget` is
 * shared by the recursion (callers leave it out).
 */
export function sampleFromSchema(
  schema: Schema,
  root: Schema = schema,
  name = '',
  depth = 0,
  budget: SampleBudget = { nodes: MAX_SAMPLE_NODES, characters: MAX_SAMPLE_CHARACTERS },
): unknown {
  if (depth > 8 || budget.nodes <= 0) return null;
  budget.nodes -= 1;
  if (typeof schema.$ref === 'string')
    return sampleFromSchema(resolveRef(schema.$ref, root), root, name, depth + 1, budget);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ('default' in schema) return schema.default;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) {
      const chosen = (options as Schema[]).find((option) => option.type !== 'null') ?? (options[0] as Schema);
      return sampleFromSchema(chosen, root, name, depth + 1, budget);
    }
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Schema = {};
    for (const part of schema.allOf as Schema[]) Object.assign(merged, part);
    return sampleFromSchema(merged, root, name, depth + 1, budget);
  }
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? 'null') : schema.type;
  switch (type) {
    case 'string':
      return sampleString(schema, name, budget);
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      const minItems = typeof schema.minItems === 'number' ? Math.min(schema.minItems, MAX_SAMPLE_ITEMS) : 1;
      const items = (schema.items as Schema | undefined) ?? {};
      return Array.from({ length: Math.max(minItems, 1) }, () =>
        sampleFromSchema(items, root, name, depth + 1, budget),
      );
    }
    default: {
      if (type !== 'object' && schema.properties === undefined) return type === undefined ? 'sample' : null;
      const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
      const result: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(properties)) {
        result[key] = sampleFromSchema(property, root, key, depth + 1, budget);
      }
      return result;
    }
  }
}
