/**
 * The types of an agent run: its steps, events, result and serialisable state.
 * @module
 */
import type {
  Message,
  MessageCreateParams,
  MessageParam,
  ToolResultBlock,
  ToolUseBlock,
  Usage,
} from '@loopguard/messages';
import type { ToolCall } from '../tools/define-tool.js';
import type { ToolCallOutcome } from '../tools/run-tool-call.js';
import type { TranscriptRepair } from '../transcript/check-transcript.js';

/**
 * Why a run ended. `awaiting_approval`: a tool needs approval and no `approve` was given; resume with
 * decisions. `error`: only on the partial result of a run that failed (`partialResultOf(error)`). A stop reason of the gateway this list does not name (`stop_sequence`,
 * `model_context_window_exceeded`, a new one) is kept as the gateway said it.
 */
export type AgentStopReason =
  | 'end_turn'
  | 'max_turns'
  | 'stop_condition'
  | 'budget_exceeded'
  | 'aborted'
  | 'error'
  | 'max_tokens'
  | 'refusal'
  | 'awaiting_approval'
  | 'stop_sequence'
  | 'model_context_window_exceeded'
  | (string & {});

/** One turn: the request, the response, the tool calls and their results. */
export interface AgentStep {
  turn: number;
  /**
   * The params this turn sent (the whole transcript so far, even when a server-side thread sent only the new
   * turn). Built on each read from the run's transcript, so a run's memory stays linear in its turns: read it
   * once and keep the result rather than reading it in a loop.
   */
  readonly request: MessageCreateParams;
  response: Message;
  /**
   * The turn's calls (the objects its `tool_call` events carried). On a run's steps, a new array on each read:
   * changing it does not change the step; assign an array to replace the calls.
   */
  toolCalls: ToolCall[];
  /** The turn's results: the array the transcript's user turn holds. */
  toolResults: ToolResultBlock[];
  /** Each call's outcome, in the calls' order. On a run's steps, a new array on each read (as `toolCalls`). */
  toolOutcomes: ToolCallOutcome[];
  /** The reply's usage. On a run's steps, the response's until assigned or the response replaced. */
  usage: Usage;
  credits: number;
  durationMs: number;
}

/** The plain-JSON state of a run; `resumeAgent(state, options)` continues it, in any process. */
export interface AgentState {
  version: 1;
  runId: string;
  messages: MessageParam[];
  turn: number;
  usage: Usage;
  credits: number;
  /** The assistant turn whose tool calls wait for approval (not yet in `messages`). */
  pendingApproval?: { assistant: MessageParam; toolUses: ToolUseBlock[] } | undefined;
  /** HMAC-SHA256 of the rest of the state, when the run was given a `stateSecret` (`hmac-sha256:v1:…`). */
  signature?: string | undefined;
}

/** What a run resolves with. */
export interface AgentResult<Output = unknown> {
  runId: string;
  stopReason: AgentStopReason;
  /** The text of the last assistant turn. */
  text: string;
  /** The validated final answer, when `output` was given. */
  output: Output | undefined;
  /** The whole transcript, valid to send again. */
  messages: MessageParam[];
  steps: AgentStep[];
  usage: Usage;
  credits: number;
  state: AgentState;
  /** The error that ended the run with `budget_exceeded`, if any. */
  stopError?: unknown;
}

/** The events of a run, in order. */
export type AgentEvent<Output = unknown> =
  | { type: 'turn_start'; turn: number }
  | { type: 'text'; turn: number; delta: string }
  | { type: 'thinking'; turn: number; delta: string }
  /** The turn's request failed after part of it was shown and is sent again: drop the turn's partial text. */
  | { type: 'turn_retry'; turn: number; attempt: number; error: unknown }
  | { type: 'tool_call'; turn: number; call: ToolCall }
  | {
      type: 'tool_result';
      turn: number;
      call: ToolCall;
      result: ToolResultBlock;
      outcome: ToolCallOutcome;
      durationMs: number;
    }
  | { type: 'usage'; turn: number; usage: Usage; credits: number; totalUsage: Usage; totalCredits: number }
  | { type: 'turn_end'; turn: number; step: AgentStep }
  /** The transcript check gave calls that had no result an `is_error` one before the turn was sent. */
  | { type: 'transcript_repaired'; turn: number; repairs: TranscriptRepair[] }
  | { type: 'done'; result: AgentResult<Output> };
