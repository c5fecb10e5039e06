/**
 * Runs one tool call to a `tool_result`, whatever happens: unknown tool, invalid input, refusal, a throw,
 * a timeout or an abort all become an `is_error` result; a stack is never sent to the model.
 * Input is always validated before `execute` is called.
 * @module
 */
import type { ToolResultBlock, ToolUseBlock } from '@loopguard/messages';
import type { Logger } from 'pino';
import { type Tool, type ToolCall, toolCallOf } from './define-tool.js';
import { toolResultContent } from './tool-output.js';

/** How a call ended. `duplicate_id`: several calls of the turn shared its id, so it did not run. */
export type ToolCallOutcome =
  | 'ok'
  | 'unknown_tool'
  | 'invalid_input'
  | 'refused'
  | 'error'
  | 'timeout'
  | 'aborted'
  | 'duplicate_id';

/** A finished call. */
export interface ToolCallReport {
  result: ToolResultBlock;
  outcome: ToolCallOutcome;
  durationMs: number;
}

/** Decides whether a call that needs approval may run. */
export type ApproveToolCall = (call: ToolCall) => boolean | Promise<boolean>;

/** What a call needs from the run. */
export interface ToolCallContext {
  signal: AbortSignal;
  turn: number;
  logger: Logger;
  /** Asked for calls whose tool needs approval; without it such calls are refused. */
  approve?: ApproveToolCall | undefined;
  /** Decisions already taken (by tool_use id), e.g. from a resumed state. */
  decisions?: Readonly<Record<string, boolean>> | undefined;
}

function errorResult(block: ToolUseBlock, text: string): ToolResultBlock {
  return { type: 'tool_result', tool_use_id: block.id, content: text, is_error: true };
}

class ToolTimeout extends Error {}

/** The input of a call that may run, or the `is_error` result (and outcome) of one that may not. */
type Admission =
  | { run: true; tool: Tool; input: unknown }
  | { run: false; result: ToolResultBlock; outcome: ToolCallOutcome };

/** The `is_error` admission of a call that may not run. */
function refused(block: ToolUseBlock, text: string, outcome: ToolCallOutcome): Admission {
  return { run: false, result: errorResult(block, text), outcome };
}

/** Asks for (or reads) the approval of a call whose tool needs one. */
async function approval(block: ToolUseBlock, tool: Tool, input: unknown, context: ToolCallContext): Promise<Admission> {
  const decided = context.decisions?.[block.id];
  const approved = decided ?? (context.approve ? await context.approve(toolCallOf(block, context.turn)) : false);
  if (!approved)
    return refused(block, `The call of "${tool.name}" was refused by the user; do not retry it as is.`, 'refused');
  return { run: true, tool, input };
}

/**
 * Checks a call before it runs: a known tool, a valid input, no abort, an approval when one is needed.
 * Synchronous unless an approval must be asked for.
 */
function admit(
  block: ToolUseBlock,
  tools: ReadonlyMap<string, Tool>,
  context: ToolCallContext,
): Admission | Promise<Admission> {
  const tool = tools.get(block.name);
  if (!tool) {
    const known = [...tools.keys()].join(', ') || 'none';
    return refused(block, `Unknown tool "${block.name}". Available tools: ${known}.`, 'unknown_tool');
  }
  const validated = tool.validate(block.input);
  if (!validated.success) {
    const issues = validated.issues.map((issue) => `- ${issue}`).join('\n');
    return refused(
      block,
      `Invalid input for tool "${tool.name}":\n${issues}\nFix the input and call the tool again.`,
      'invalid_input',
    );
  }
  if (context.signal.aborted) return refused(block, 'The run was aborted before this tool ran.', 'aborted');
  if (tool.needsApproval(validated.data)) return approval(block, tool, validated.data, context);
  return { run: true, tool, input: validated.data };
}

/** The listener options of the run's signal, made once. */
const ONCE: AddEventListenerOptions = Object.freeze({ once: true });

/**
 * Runs `execute` against the tool's time limit and the run's abort; rejects with a `ToolTimeout` or the abort
 * reason. One promise holds both limits; `execute` starts a microtask later, a throw in it a rejection.
 */
async function executeWithLimits(
  tool: Tool,
  input: unknown,
  block: ToolUseBlock,
  context: ToolCallContext,
): Promise<unknown> {
  const controller = new AbortController();
  const runSignal = context.signal;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const limits = new Promise<never>((_resolve, reject) => {
    onAbort = (): void => {
      controller.abort(runSignal.reason);
      reject(controller.signal.reason);
    };
    timer = setTimeout(() => {
      const error = new ToolTimeout(`Tool "${tool.name}" timed out after ${tool.timeoutMs} ms.`);
      controller.abort(error);
      reject(error);
    }, tool.timeoutMs);
  });
  runSignal.addEventListener('abort', onAbort as () => void, ONCE);
  try {
    const toolContext = { signal: controller.signal, toolUseId: block.id, turn: context.turn, logger: context.logger };
    return await Promise.race([Promise.resolve().then(() => tool.execute(input, toolContext)), limits]);
  } finally {
    clearTimeout(timer);
    runSignal.removeEventListener('abort', onAbort as () => void);
  }
}

/** Runs `block` with the tool of its name from `tools`. Never throws. */
export async function runToolCall(
  block: ToolUseBlock,
  tools: ReadonlyMap<string, Tool>,
  context: ToolCallContext,
): Promise<ToolCallReport> {
  const started = performance.now();
  const report = (result: ToolResultBlock, outcome: ToolCallOutcome): ToolCallReport => ({
    result,
    outcome,
    durationMs: performance.now() - started,
  });
  const admission = await admit(block, tools, context);
  if (!admission.run) return report(admission.result, admission.outcome);
  const { tool, input } = admission;
  try {
    const output = await executeWithLimits(tool, input, block, context);
    return report({ type: 'tool_result', tool_use_id: block.id, content: toolResultContent(output) }, 'ok');
  } catch (error) {
    if (error instanceof ToolTimeout) return report(errorResult(block, error.message), 'timeout');
    if (context.signal.aborted)
      return report(errorResult(block, 'The run was aborted while this tool ran.'), 'aborted');
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    context.logger.warn({ tool: tool.name, toolUseId: block.id, error: message }, 'tool failed');
    return report(errorResult(block, `Tool "${tool.name}" failed: ${message}`), 'error');
  }
}
