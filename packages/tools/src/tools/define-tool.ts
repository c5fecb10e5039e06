/**
 * `defineTool`: a typed tool from a name, a description, an input schema and an `execute` function.
 * Definition errors are thrown here, naming the field.
 * @module
 */
import type { ImageBlock, TextBlock, ToolDefinition, ToolUseBlock } from '@loopguard/messages';
import type { Logger } from 'pino';
import { compileInput, type InferInput, type ToolInput, type ValidationResult } from './input-schema.js';
import { ToolDefinitionError } from './tool-definition-error.js';

/** Names the API accepts for tools. */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/** What `execute` receives besides its input. */
export interface ToolContext {
  /** Aborted when the run is aborted or the tool times out. */
  signal: AbortSignal;
  /** The id of the tool_use block being answered. */
  toolUseId: string;
  /** The turn of the run (1-based). */
  turn: number;
  logger: Logger;
}

/** What `execute` may return: a string, content blocks, or any JSON value (serialised). */
export type ToolOutput = string | Array<TextBlock | ImageBlock> | unknown;

/** How `defineTool` is called. */
export interface ToolOptions<Input extends ToolInput> {
  /** `^[a-zA-Z0-9_-]{1,64}$`. */
  name: string;
  /** What the tool does, for the model. Required. */
  description: string;
  /** A zod object schema (v3 or v4) or `{ jsonSchema, validate }`. */
  input: Input;
  /** Runs the tool with the validated, typed input. */
  execute: (input: InferInput<Input>, context: ToolContext) => ToolOutput | Promise<ToolOutput>;
  /** Time limit of one call, in ms; past it the call's result is an error. @default 60_000 */
  timeoutMs?: number;
  /** A call needs human approval first (`runAgent({ approve })`). A function decides per input. @default false */
  needsApproval?: boolean | ((input: InferInput<Input>) => boolean);
}

/** A defined tool. */
export interface Tool<T = unknown> {
  readonly name: string;
  readonly description: string;
  /** The JSON Schema sent as `input_schema`. */
  readonly inputSchema: Record<string, unknown>;
  readonly timeoutMs: number;
  validate(value: unknown): ValidationResult<T>;
  execute(input: T, context: ToolContext): ToolOutput | Promise<ToolOutput>;
  needsApproval(input: T): boolean;
  /** The `tools[]` entry to send. */
  definition(): ToolDefinition;
}

/** A tool of any input type, as registries and runs hold them. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds tools of every input type.
export type AnyTool = Tool<any>;

/** A tool call as approval hooks and events see it. */
export interface ToolCall {
  toolUseId: string;
  name: string;
  input: unknown;
  turn: number;
}

/** A tool call from a tool_use block. */
export function toolCallOf(block: ToolUseBlock, turn: number): ToolCall {
  return { toolUseId: block.id, name: block.name, input: block.input, turn };
}

/**
 * @internal The `needsApproval` of every tool defined without one: a run that sees it knows, without
 * validating the input first, that the call needs no approval.
 */
export const neverNeedsApproval = (): boolean => false;

/** Defines a tool. Throws `ToolDefinitionError` for a bad name, a missing description, a non-object input or a bad timeout. */
export function defineTool<Input extends ToolInput>(options: ToolOptions<Input>): Tool<InferInput<Input>> {
  if (typeof options !== 'object' || options === null) {
    throw new ToolDefinitionError('options', 'defineTool needs { name, description, input, execute }.');
  }
  const { name, description, input, execute, timeoutMs = 60_000, needsApproval = false } = options;
  if (typeof name !== 'string' || !TOOL_NAME_PATTERN.test(name)) {
    throw new ToolDefinitionError(
      'name',
      `Tool name ${JSON.stringify(name)} must match ^[a-zA-Z0-9_-]{1,64}$ (letters, digits, _ and -).`,
    );
  }
  if (typeof description !== 'string' || description.trim() === '') {
    throw new ToolDefinitionError(
      'description',
      `Tool "${name}": \`description\` is required: say what the tool does, for the model.`,
    );
  }
  if (typeof execute !== 'function') {
    throw new ToolDefinitionError(
      'execute',
      `Tool "${name}": \`execute\` must be a function (input, context) => result.`,
    );
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ToolDefinitionError(
      'timeoutMs',
      `Tool "${name}": \`timeoutMs\` must be a positive number of ms; got ${String(timeoutMs)}.`,
    );
  }
  const compiled = compileInput<InferInput<Input>>(input, name);
  return Object.freeze({
    name,
    description,
    inputSchema: compiled.inputSchema,
    timeoutMs,
    validate: compiled.validate,
    execute,
    needsApproval:
      needsApproval === false
        ? neverNeedsApproval
        : (value: InferInput<Input>) => (typeof needsApproval === 'function' ? needsApproval(value) : needsApproval),
    definition: () => ({ name, description, input_schema: compiled.inputSchema }),
  });
}
