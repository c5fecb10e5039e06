/**
 * `runTurnTools`: runs one assistant turn's tool calls and appends the assistant turn and its results (one
 * user turn, results in the calls' order) to the transcript — or, when a call needs an approval nobody can
 * give now, leaves both out and marks the calls pending.
 * @module
 */
import type { MessageParam, ToolResultBlock, ToolUseBlock } from '@loopguard/messages';
import { AGENT_DEFAULTS } from '../agent/agent-options.js';
import type { AgentStep } from '../agent/agent-types.js';
import type { RunContext } from '../agent/run-context.js';
import type { RunState } from '../agent/run-state.js';
import { toolCallOf } from '../tools/define-tool.js';
import { duplicateIdResult, duplicateToolUseIds } from '../tools/duplicate-tool-uses.js';
import type { ToolCallOutcome } from '../tools/run-tool-call.js';
import { answerFinalCall, FINAL_ANSWER_TOOL } from './final-answer.js';

/** @internal The parts of a step the tool calls fill in. */
export type StepToolParts = Pick<AgentStep, 'toolCalls' | 'toolResults' | 'toolOutcomes'>;

type Answered = Map<string, ToolResultBlock>;

/** True when a call needs an approval that neither `approve` nor `approvals` gives. */
function waitsForApproval<Output>(
  run: RunContext<Output>,
  calls: ToolUseBlock[],
  decisions: Record<string, boolean>,
): boolean {
  if (run.options.approve) return false;
  return calls.some((block) => {
    const tool = run.registry.get(block.name);
    if (!tool || decisions[block.id] !== undefined) return false;
    const validated = tool.validate(block.input);
    return validated.success && tool.needsApproval(validated.data);
  });
}

/** Runs the registered tools' calls (at most `toolConcurrency` at once), with events. */
async function runRegistered<Output>(
  run: RunContext<Output>,
  turn: number,
  calls: ToolUseBlock[],
  decisions: Record<string, boolean>,
  answered: Answered,
  outcomes: ToolCallOutcome[],
): Promise<void> {
  const reports = await run.registry.runWithReports(calls, {
    signal: run.signal,
    turn,
    logger: run.logger,
    approve: run.options.approve,
    decisions,
    concurrency: run.options.toolConcurrency ?? AGENT_DEFAULTS.toolConcurrency,
    onCallStart: (block) => run.emit({ type: 'tool_call', turn, call: toolCallOf(block, turn) }),
    onCallEnd: (block, report) =>
      run.emit({
        type: 'tool_result',
        turn,
        call: toolCallOf(block, turn),
        result: report.result,
        outcome: report.outcome,
        durationMs: report.durationMs,
      }),
  });
  calls.forEach((block, index) => {
    const report = reports[index];
    if (!report) return;
    answered.set(block.id, report.result);
    outcomes.push(report.outcome);
  });
}

/** Answers calls that run nothing (a final answer, a duplicated id) with an event pair each. */
function answerInPlace<Output>(
  run: RunContext<Output>,
  turn: number,
  block: ToolUseBlock,
  result: ToolResultBlock,
  outcome: ToolCallOutcome,
  answered: Answered,
  outcomes: ToolCallOutcome[],
): void {
  const call = toolCallOf(block, turn);
  if (outcome !== 'duplicate_id') run.emit({ type: 'tool_call', turn, call });
  run.emit({ type: 'tool_result', turn, call, result, outcome, durationMs: 0 });
  answered.set(block.id, result);
  outcomes.push(outcome);
}

/**
 * @internal Runs a turn's calls; returns false (and leaves the calls pending) when one waits for approval.
 * Calls sharing an id never run: the id gets one `is_error` result (see duplicate-tool-uses.ts).
 */
export async function runTurnTools<Output>(
  run: RunContext<Output>,
  state: RunState<Output>,
  assistant: MessageParam,
  toolUses: ToolUseBlock[],
  step: StepToolParts,
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
  const answered: Answered = new Map();
  await runRegistered(
    run,
    state.turn,
    callable.filter((block) => !isFinal(block)),
    decisions,
    answered,
    step.toolOutcomes,
  );
  for (const block of callable.filter(isFinal)) {
    const final = answerFinalCall(block, run.output as NonNullable<typeof run.output>);
    if (final.valid) state.finalOutput = final.answer;
    answerInPlace(
      run,
      state.turn,
      block,
      final.result,
      final.valid ? 'ok' : 'invalid_input',
      answered,
      step.toolOutcomes,
    );
  }
  for (const [id, times] of duplicated) {
    const block = toolUses.find((candidate) => candidate.id === id) as ToolUseBlock;
    answerInPlace(run, state.turn, block, duplicateIdResult(id, times), 'duplicate_id', answered, step.toolOutcomes);
  }
  const results = [...new Set(toolUses.map((block) => block.id))].map((id) => answered.get(id) as ToolResultBlock);
  step.toolCalls.push(...toolUses.map((block) => toolCallOf(block, state.turn)));
  step.toolResults.push(...results);
  state.messages.push({ role: 'user', content: results });
  return true;
}
