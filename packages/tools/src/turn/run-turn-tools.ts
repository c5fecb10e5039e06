/**
 * `runTurnTools`: runs one assistant turn's tool calls and appends the assistant turn and its results (one
 * user turn, results in the calls' order) to the transcript — or, when a call needs an approval nobody can
 * give now, leaves both out and marks the calls pending.
 * @module
 */
import type { MessageParam, ToolResultBlock, ToolUseBlock } from '@loopguard/messages';
import { AGENT_DEFAULTS } from '../agent/agent-options.js';
import type { RunContext } from '../agent/run-context.js';
import type { RunState } from '../agent/run-state.js';
import { neverNeedsApproval, type ToolCall, toolCallOf } from '../tools/define-tool.js';
import { duplicateIdResult, duplicateToolUseIds } from '../tools/duplicate-tool-uses.js';
import type { ToolCallOutcome } from '../tools/run-tool-call.js';
import { answerFinalCall, FINAL_ANSWER_TOOL } from './final-answer.js';
import type { TurnStep } from './turn-step.js';

/** What a turn's calls come to, filled in as they end: each id's result, the outcomes in order. */
class TurnCalls<Output> {
  readonly answered = new Map<string, ToolResultBlock>();
  readonly #made = new Map<ToolUseBlock, ToolCall>();

  constructor(
    readonly run: RunContext<Output>,
    readonly turn: number,
    readonly outcomes: ToolCallOutcome[],
  ) {}

  /** The `ToolCall` of a block, made once and shared by its events and the step. */
  callOf(block: ToolUseBlock): ToolCall {
    let call = this.#made.get(block);
    if (call === undefined) {
      call = toolCallOf(block, this.turn);
      this.#made.set(block, call);
    }
    return call;
  }

  /** Records a call's result and outcome. */
  answer(block: ToolUseBlock, result: ToolResultBlock, outcome: ToolCallOutcome): void {
    this.answered.set(block.id, result);
    this.outcomes.push(outcome);
  }

  /** Answers a call that runs nothing (a final answer, a duplicated id), with its events. */
  answerInPlace(block: ToolUseBlock, result: ToolResultBlock, outcome: ToolCallOutcome): void {
    const { run, turn } = this;
    const call = this.callOf(block);
    if (outcome !== 'duplicate_id') run.emit({ type: 'tool_call', turn, call });
    run.emit({ type: 'tool_result', turn, call, result, outcome, durationMs: 0 });
    this.answer(block, result, outcome);
  }
}

/** True when a call needs an approval that neither `approve` nor `approvals` gives. */
function waitsForApproval<Output>(
  run: RunContext<Output>,
  calls: ToolUseBlock[],
  decisions: Record<string, boolean>,
): boolean {
  if (run.options.approve) return false;
  return calls.some((block) => {
    const tool = run.registry.get(block.name);
    if (!tool || tool.needsApproval === neverNeedsApproval || decisions[block.id] !== undefined) return false;
    const validated = tool.validate(block.input);
    return validated.success && tool.needsApproval(validated.data);
  });
}

/** Runs the registered tools' calls (at most `toolConcurrency` at once), with events. */
async function runRegistered<Output>(
  calls: TurnCalls<Output>,
  blocks: ToolUseBlock[],
  decisions: Record<string, boolean>,
): Promise<void> {
  const { run, turn } = calls;
  const reports = await run.registry.runWithReports(blocks, {
    signal: run.signal,
    turn,
    logger: run.logger,
    approve: run.options.approve,
    decisions,
    concurrency: run.options.toolConcurrency ?? AGENT_DEFAULTS.toolConcurrency,
    onCallStart: (block) => run.emit({ type: 'tool_call', turn, call: calls.callOf(block) }),
    onCallEnd: (block, report) =>
      run.emit({
        type: 'tool_result',
        turn,
        call: calls.callOf(block),
        result: report.result,
        outcome: report.outcome,
        durationMs: report.durationMs,
      }),
  });
  blocks.forEach((block, index) => {
    const report = reports[index];
    if (report) calls.answer(block, report.result, report.outcome);
  });
}

/**
 * @internal Runs a turn's calls and puts them on its step (a resumed run's pending calls have none); returns
 * false (and leaves the calls pending) when one waits for approval. Calls sharing an id never run: the id gets
 * one `is_error` result (see duplicate-tool-uses.ts).
 */
export async function runTurnTools<Output>(
  run: RunContext<Output>,
  state: RunState<Output>,
  assistant: MessageParam,
  toolUses: ToolUseBlock[],
  step: TurnStep | undefined,
): Promise<boolean> {
  const decisions = { ...(run.options.approvals ?? {}) };
  const duplicated = duplicateToolUseIds(toolUses);
  const callable = duplicated.size === 0 ? toolUses : toolUses.filter((block) => !duplicated.has(block.id));
  if (waitsForApproval(run, callable, decisions)) {
    state.pending = { assistant, toolUses };
    return false;
  }
  state.pending = undefined;
  state.messages.push(assistant);
  const isFinal = (block: ToolUseBlock): boolean => run.output !== undefined && block.name === FINAL_ANSWER_TOOL;
  const calls = new TurnCalls(run, state.turn, []);
  await runRegistered(
    calls,
    callable.filter((block) => !isFinal(block)),
    decisions,
  );
  for (const block of callable.filter(isFinal)) {
    const final = answerFinalCall(block, run.output as NonNullable<typeof run.output>);
    if (final.valid) state.finalOutput = final.answer;
    calls.answerInPlace(block, final.result, final.valid ? 'ok' : 'invalid_input');
  }
  for (const [id, times] of duplicated) {
    const block = toolUses.find((candidate) => candidate.id === id) as ToolUseBlock;
    calls.answerInPlace(block, duplicateIdResult(id, times), 'duplicate_id');
  }
  const ids = [...new Set(toolUses.map((block) => block.id))];
  const results = ids.map((id) => calls.answered.get(id) as ToolResultBlock);
  // The results array is the one the transcript's user turn holds (never changed once pushed).
  step?.setTools(
    toolUses.map((block) => calls.callOf(block)),
    results,
    calls.outcomes,
  );
  state.messages.push({ role: 'user', content: results });
  return true;
}
