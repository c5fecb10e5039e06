/**
 * Makes a value valid for a JSON Schema: the inputs the schema-driven model sends to tools.
 * Deterministic: the same schema gives the same value.
 * @module
 */

type Schema = Record<string, unknown>;

function resolveRef(ref: string, root: Schema): Schema {
  const path = ref.replace(/^#\//, '').split('/');
  let node: unknown = root;
  for (const part of path) node = (node as Schema | undefined)?.[part];
  return (node as Schema | undefined) ?? {};
}

function sampleString(schema: Schema, name: string): string {
  const format = schema.format;
  if (format === 'date-time') return '2026-01-01T00:00:00Z';
  if (format === 'date') return '2026-01-01';
  if (format === 'email') return 'someone@example.com';
  if (format === 'uri' || format === 'url') return 'https://example.com/';
  if (format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  let value = `${name || 'value'} sample`;
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  while (value.length < minLength) value += 'x';
  return value.slice(0, maxLength);
}

function sampleNumber(schema: Schema, integer: boolean): number {
  const minimum = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const exclusiveMinimum = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  const maximum = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  let value = minimum ?? (exclusiveMinimum !== undefined ? exclusiveMinimum + 1 : 1);
  if (maximum !== undefined && value > maximum) value = maximum;
  return integer ? Math.ceil(value) : value;
}

/** A value valid for `schema` (local `$ref`s resolved against `root`). */
export function sampleFromSchema(schema: Schema, root: Schema = schema, name = '', depth = 0): unknown {
  if (depth > 8) return null;
  if (typeof schema.$ref === 'string') return sampleFromSchema(resolveRef(schema.$ref, root), root, name, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ('default' in schema) return schema.default;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) {
      const chosen = (options as Schema[]).find((option) => option.type !== 'null') ?? (options[0] as Schema);
      return sampleFromSchema(chosen, root, name, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Schema = {};
    for (const part of schema.allOf as Schema[]) Object.assign(merged, part);
    return sampleFromSchema(merged, root, name, depth + 1);
  }
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? 'null') : schema.type;
  switch (type) {
    case 'string':
      return sampleString(schema, name);
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      const minItems = typeof schema.minItems === 'number' ? schema.minItems : 1;
      const items = (schema.items as Schema | undefined) ?? {};
      return Array.from({ length: Math.max(minItems, 1) }, () => sampleFromSchema(items, root, name, depth + 1));
    }
    default: {
      if (type !== 'object' && schema.properties === undefined) return type === undefined ? 'sample' : null;
      const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
      const result: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(properties)) {
        result[key] = sampleFromSchema(property, root, key, depth + 1);
      }
      return result;
    }
  }
}
