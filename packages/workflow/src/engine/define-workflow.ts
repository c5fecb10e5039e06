/**
 * `defineWorkflow`: a named workflow — zod schemas for its input and output, and `run(ctx, input)`, an ordinary
 * async function whose durable parts go through `ctx` (steps, agents, approvals, sleeps).
 * @module
 */
import type { WorkflowContext } from '../context/workflow-context.js';
import { WorkflowError } from './workflow-error.js';

/** A zod schema of either major version (what the workflow calls on it). */
export interface WorkflowSchema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

/** How `defineWorkflow` is called. */
export interface WorkflowDefinition<Input, Output> {
  /** Unique among the workflows an engine runs: `^[A-Za-z0-9_.-]{1,64}$`. */
  name: string;
  input: WorkflowSchema<Input>;
  output: WorkflowSchema<Output>;
  /** The workflow's code. It runs again from the top on every resume: finished steps return their journaled results. */
  run: (ctx: WorkflowContext, input: Input) => Promise<Output>;
}

/** A defined workflow. */
export interface Workflow<Input = unknown, Output = unknown> extends Readonly<WorkflowDefinition<Input, Output>> {}

/** Defines a workflow; throws `WorkflowError` `invalid_definition` naming the field. */
export function defineWorkflow<Input, Output>(definition: WorkflowDefinition<Input, Output>): Workflow<Input, Output> {
  const fail = (field: string, rule: string): never => {
    throw new WorkflowError(`defineWorkflow: \`${field}\` ${rule}.`, { code: 'invalid_definition' });
  };
  if (typeof definition !== 'object' || definition === null) fail('definition', 'must be { name, input, output, run }');
  if (typeof definition.name !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(definition.name))
    fail('name', 'must match ^[A-Za-z0-9_.-]{1,64}$');
  for (const field of ['input', 'output'] as const)
    if (typeof definition[field]?.safeParse !== 'function') fail(field, 'must be a zod schema');
  if (typeof definition.run !== 'function') fail('run', 'must be an async function (ctx, input) => output');
  return Object.freeze({ ...definition });
}

/** Parses `value` with `schema`, or throws `WorkflowError` with `code` listing each issue with its path. */
export function parseWith<T>(
  schema: WorkflowSchema<T>,
  value: unknown,
  code: 'invalid_input' | 'invalid_output',
  what: string,
  runId?: string,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map(
    (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`,
  );
  throw new WorkflowError(`${what} is not valid: ${issues.join('; ')}`, { code, runId });
}
