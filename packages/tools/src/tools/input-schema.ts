/**
 * Turns a tool's `input` into the JSON Schema sent as `input_schema` and a validator: zod 4 through its
 * own JSON Schema output, zod 3 through zod-to-json-schema, or a plain JSON Schema with a validator you give.
 * @module
 */
import { toJSONSchema } from 'zod/v4/core';
import { zodToJsonSchema } from 'zod-to-json-schema';
import { ToolDefinitionError } from './tool-definition-error.js';

/** The outcome of validating a tool input. */
export type ValidationResult<T> = { success: true; data: T } | { success: false; issues: string[] };

/** A plain JSON Schema with the validator you choose (ajv, a hand check…). */
export interface JsonSchemaInput<T> {
  jsonSchema: Record<string, unknown>;
  validate: (value: unknown) => ValidationResult<T>;
}

/** A zod schema of either major version (structurally: what we call on it). */
export interface ZodLikeSchema<T = unknown> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

/** The parsed input type of a zod 3/4 schema or a `JsonSchemaInput`. */
export type InferInput<S> = S extends { _zod: { output: infer O } }
  ? O
  : S extends { _output: infer O }
    ? O
    : S extends JsonSchemaInput<infer T>
      ? T
      : unknown;

/** What a tool's `input` may be. */
export type ToolInput = ZodLikeSchema | JsonSchemaInput<unknown>;

/** The converted schema and validator of a tool input. */
export interface CompiledInput<T> {
  inputSchema: Record<string, unknown>;
  validate: (value: unknown) => ValidationResult<T>;
}

function isZodSchema(input: unknown): input is ZodLikeSchema {
  return typeof input === 'object' && input !== null && typeof (input as ZodLikeSchema).safeParse === 'function';
}

/** Removes what is noise to a model: `$schema`, and zod 4's safe-integer bounds on `.int()`. */
function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (typeof node !== 'object' || node === null) return node;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === '$schema') continue;
    if (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) continue;
    if (key === 'minimum' && value === Number.MIN_SAFE_INTEGER) continue;
    result[key] = tidy(value);
  }
  return result;
}

/** Writes zod issues so that a model can fix its call: one line per issue, with the path. */
export function formatIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string[] {
  return issues.map(
    (issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`,
  );
}

/** Converts and checks a tool's input; throws `ToolDefinitionError` naming `input` when it is not an object schema. */
export function compileInput<T>(input: ToolInput, toolName: string): CompiledInput<T> {
  let inputSchema: Record<string, unknown>;
  let validate: (value: unknown) => ValidationResult<T>;
  if (isZodSchema(input)) {
    try {
      inputSchema =
        '_zod' in input
          ? (toJSONSchema(input as never, { target: 'draft-7', unrepresentable: 'any' }) as Record<string, unknown>)
          : (zodToJsonSchema(input as never, { target: 'jsonSchema7', $refStrategy: 'root' }) as Record<
              string,
              unknown
            >);
    } catch (error) {
      throw new ToolDefinitionError(
        'input',
        `Tool "${toolName}": \`input\` cannot be turned into JSON Schema: ${(error as Error).message}`,
      );
    }
    validate = (value) => {
      const parsed = input.safeParse(value);
      return parsed.success
        ? { success: true, data: parsed.data as T }
        : { success: false, issues: formatIssues(parsed.error.issues) };
    };
  } else if (
    typeof input === 'object' &&
    input !== null &&
    typeof (input as JsonSchemaInput<T>).validate === 'function'
  ) {
    const plain = input as JsonSchemaInput<T>;
    inputSchema = plain.jsonSchema;
    validate = plain.validate;
  } else {
    throw new ToolDefinitionError(
      'input',
      `Tool "${toolName}": \`input\` must be a zod object schema or { jsonSchema, validate }.`,
    );
  }
  // A schema made from zod is tidied; one given as JSON Schema (yours, an MCP server's) is sent as given.
  if (isZodSchema(input)) inputSchema = tidy(inputSchema) as Record<string, unknown>;
  if (inputSchema.type !== 'object') {
    throw new ToolDefinitionError(
      'input',
      `Tool "${toolName}": \`input\` must describe an object (the root of input_schema is "${String(inputSchema.type ?? 'untyped')}"). Wrap it: z.object({ value: … }).`,
    );
  }
  return { inputSchema, validate };
}
