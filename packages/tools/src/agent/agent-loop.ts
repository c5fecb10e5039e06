/**
 * `agentLoop`: the run as a short sequence of named steps — check the transcript, build the turn's request,
 * send it, record the reply, run its tools, checkpoint, decide whether to stop — each in its own file under
 * `turn/`. Every exit goes through `end`, so a `done` event always carries the result the run resolves with.
 * @module
 */
import type { Message, MessageParam, ToolUseBlock } from '@loopguard/messages';
import { buildTurnRequest } from '../turn/build-turn-request.js';
import { FINAL_ANSWER_REQUEST, FINAL_ANSWER_TOOL } from '../turn/final-answer.js';
import { recordTurn } from '../turn/record-turn.js';
import { requestTurn } from '../turn/request-turn.js';
import { runTurnTools } from '../turn/run-turn-tools.js';
import type { TurnStep } from '../turn/turn-step.js';
import { attachPartialResult } from './agent-run.js';
import type { AgentResult, AgentStep, AgentStopReason } from './agent-types.js';
import type { RunContext } from './run-context.js';
import type { PendingCalls, RunState } from './run-state.js';
import { stopReasonOfError } from './stop-reason-of-error.js';

/** How a turn ended the run (undefined: the run goes on). */
type TurnEnd = { reason: AgentStopReason; error?: unknown } | undefined;

/** The stop reasons of a reply whose tool calls must not run (the message was cut or refused). */
const CUT_REPLIES = new Set(['max_tokens', 'refusal', 'model_context_window_exceeded']);

type CheckpointPoint = 'tools_started' | 'turn_ended';

/** Hands the state to `onCheckpoint` (with `calls` as the pending calls, when given) and waits for it. */
async function callCheckpoint<Output>(
  run: RunContext<Output>,
  state: RunState<Output>,
  point: CheckpointPoint,
  calls: PendingCalls | undefined,
): Promise<void> {
  await run.options.onCheckpoint?.(state.state(calls ?? state.pending), point);
}

/** `callCheckpoint`, awaited by the caller; without `onCheckpoint`, nothing is made (no promise). */
function checkpoint<Output>(
  run: RunContext<Output>,
  state: RunState<Output>,
  point: CheckpointPoint,
  calls?: PendingCalls,
): Promise<void> | undefined {
  return run.options.onCheckpoint ? callCheckpoint(run, state, point, calls) : undefined;
}

async function conditionsHold<Output>(run: RunContext<Output>, steps: AgentStep[]): Promise<boolean> {
  const lastStep = steps[steps.length - 1];
  if (!lastStep) return false;
  for (const condition of run.stopWhen) if (await condition({ steps, lastStep })) return true;
  return false;
}

/** Whether a stop condition holds (awaited by the caller); false at once when the run has none. */
function stopConditionHolds<Output>(run: RunContext<Output>, steps: AgentStep[]): boolean | Promise<boolean> {
  return run.stopWhen.length === 0 ? false : conditionsHold(run, steps);
}

/** After a turn's tools ran: aborted, answered, or on to the next turn. */
function afterTools<Output>(run: RunContext<Output>, state: RunState<Output>): TurnEnd {
  if (run.signal.aborted) return { reason: 'aborted' };
  if (state.finalOutput !== undefined) return { reason: 'end_turn' };
  return undefined;
}

/** A reply with no tool call: the run ends, unless a final answer is still owed. */
async function endOfAnswer<Output>(
  run: RunContext<Output>,
  state: RunState<Output>,
  message: Message,
): Promise<TurnEnd> {
  if (!run.output) {
    if (await stopConditionHolds(run, state.steps)) return { reason: 'stop_condition' };
    // The gateway's own reason (`stop_sequence`, or one this library does not know) is kept.
    const reason = message.stop_reason;
    return { reason: reason === null || reason === 'tool_use' ? 'end_turn' : reason };
  }
  state.messages.push({ role: 'user', content: FINAL_ANSWER_REQUEST });
  state.forceFinalAnswer = true;
  return undefined;
}

/** What the reply means for the run: cut, paused, tool calls, or an answer. */
async function handleReply<Output>(
  run: RunContext<Output>,
  state: RunState<Output>,
  message: Message,
  step: TurnStep,
  finish: () => void,
): Promise<TurnEnd> {
  if (CUT_REPLIES.has(message.stop_reason as string)) {
    // A cut or refused message runs no tool: drop its tool_use blocks so the transcript stays valid.
    const kept = message.content.filter((block) => block.type !== 'tool_use');
    if (kept.length > 0) state.messages.push({ role: 'assistant', content: kept as MessageParam['content'] });
    finish();
    return { reason: message.stop_reason as AgentStopReason };
  }
  // The transcript shares the reply's content with `step.response` (one copy per turn, not two);
  // what the run returns (`messages`, `state`) is its own copy.
  const assistant: MessageParam = { role: 'assistant', content: message.content as MessageParam['content'] };
  if (message.stop_reason === 'pause_turn') {
    state.messages.push(assistant);
    finish();
    await checkpoint(run, state, 'turn_ended');
    return undefined;
  }
  const toolUses = message.content.filter((block): block is ToolUseBlock => block.type === 'tool_use');
  if (toolUses.length > 0) {
    await checkpoint(run, state, 'tools_started', { assistant, toolUses });
    const ran = await runTurnTools(run, state, assistant, toolUses, step);
    finish();
    if (!ran) return { reason: 'awaiting_approval' };
    const end = afterTools(run, state);
    if (end) return end;
    state.forceFinalAnswer = run.output !== undefined && toolUses.some((block) => block.name === FINAL_ANSWER_TOOL);
  } else {
    state.messages.push(assistant);
    finish();
    const end = await endOfAnswer(run, state, message);
    if (end) return end;
  }
  await checkpoint(run, state, 'turn_ended');
  return (await stopConditionHolds(run, state.steps)) ? { reason: 'stop_condition' } : undefined;
}

/** One turn: request, record, handle. A spent budget or an abort while requesting ends the run cleanly. */
async function takeTurn<Output>(run: RunContext<Output>, state: RunState<Output>): Promise<TurnEnd> {
  state.turn += 1;
  run.emit({ type: 'turn_start', turn: state.turn });
  state.checkBeforeSend(run.emit);
  const started = performance.now();
  const request = buildTurnRequest(run, state);
  let message: Message;
  try {
    message = await requestTurn(run, state.turn, request, state.runId);
  } catch (error) {
    state.turn -= 1;
    if (run.signal.aborted) return { reason: 'aborted' };
    const reason = stopReasonOfError(error);
    if (reason) return { reason, error };
    throw error;
  }
  const step = recordTurn(run, state, request, message);
  const finish = (): void => {
    step.durationMs = performance.now() - started;
    run.emit({ type: 'turn_end', turn: state.turn, step });
  };
  return handleReply(run, state, message, step, finish);
}

/** A resumed run first runs the calls it was waiting on. */
async function runPending<Output>(
  run: RunContext<Output>,
  state: RunState<Output>,
  pending: PendingCalls,
): Promise<TurnEnd> {
  if (!(await runTurnTools(run, state, pending.assistant, pending.toolUses, undefined)))
    return { reason: 'awaiting_approval' };
  return afterTools(run, state);
}

async function runUntilStop<Output>(run: RunContext<Output>, state: RunState<Output>): Promise<NonNullable<TurnEnd>> {
  state.checkBeforeSend(run.emit);
  if (state.pending) {
    const end = await runPending(run, state, state.pending);
    if (end) return end;
  }
  for (;;) {
    if (run.signal.aborted) return { reason: 'aborted' };
    if (state.turn >= run.maxTurns) return { reason: 'max_turns' };
    const end = await takeTurn(run, state);
    if (end) return end;
  }
}

/**
 * @internal Runs turns until the run stops; emits `done` with the result. A run that fails rejects with the
 * error, its partial result (stop reason `error`) attached for `partialResultOf`.
 */
export async function agentLoop<Output>(
  run: RunContext<Output>,
  state: RunState<Output>,
): Promise<AgentResult<Output>> {
  let end: NonNullable<TurnEnd>;
  try {
    end = await runUntilStop(run, state);
  } catch (error) {
    attachPartialResult(error, state.result('error') as AgentResult);
    throw error;
  }
  const result = state.result(end.reason, end.error);
  run.emit({ type: 'done', result });
  return result;
}
