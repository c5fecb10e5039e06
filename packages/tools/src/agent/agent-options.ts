/**
 * `AgentOptions`: what `runAgent` and `resumeAgent` take, their defaults in one place (`AGENT_DEFAULTS`),
 * and the check that refuses a bad option by name before anything runs.
 * @module
 */
import {
  ConfigurationError,
  DEFAULT_MAX_TOKENS,
  DEFAULT_MODEL,
  type MessageCreateParams,
  type MessageParam,
  type MessagesClient,
  type PriceTable,
  type TextBlock,
} from '@loopguard/messages';
import type { Context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { checkStateSecret, type StateSecret } from '../state/state-signature.js';
import type { AnyTool } from '../tools/define-tool.js';
import type { ZodLikeSchema } from '../tools/input-schema.js';
import type { ApproveToolCall } from '../tools/run-tool-call.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import type { AgentState } from './agent-types.js';
import type { StopCondition } from './stop-condition.js';

/** The defaults of `runAgent`'s options, written once (the model and `max_tokens` are the client's own). */
export const AGENT_DEFAULTS = {
  model: DEFAULT_MODEL,
  maxTokens: DEFAULT_MAX_TOKENS,
  maxTurns: 20,
  toolConcurrency: 4,
  turnRetries: 2,
  stream: true,
  name: 'agent',
} as const;

/** Options of `runAgent`. */
export interface AgentOptions<Output = unknown> {
  /** The client requests go through (its middleware — budget, logging — applies). */
  client: MessagesClient;
  /** @default 'claude-opus-4-6' */
  model?: string;
  /**
   * Called at each durable point of the run with its state, and awaited before the run goes on:
   * `tools_started` when a turn's tool calls are about to run (they are the state's `pendingApproval`, so a
   * state saved here resumes by running them — again, if they had started), and `turn_ended` once a turn's
   * results are in the transcript. `@loopguard/workflow` journals runs with it. Each call clones the
   * transcript (linear in its size). @default none
   */
  onCheckpoint?: (state: AgentState, point: 'tools_started' | 'turn_ended') => void | Promise<void>;
  /** The OpenTelemetry context the run's `invoke_agent` span is a child of (a workflow passes its step's). @default the active context */
  traceContext?: Context;
  /** The agent's name in traces (`invoke_agent {name}`, `gen_ai.agent.name`). @default 'agent' */
  name?: string;
  system?: string | TextBlock[];
  /** The user's request; or give `messages`. */
  prompt?: string;
  /** A transcript to continue (appended after it: `prompt`, when given). */
  messages?: MessageParam[];
  /** The tools the model may call. */
  tools?: ReadonlyArray<AnyTool> | ToolRegistry;
  /** `max_tokens` of each request. @default 4096 */
  maxTokens?: number;
  /** Turns (requests) at most. @default 20 */
  maxTurns?: number;
  /** Ends the run with `stop_condition` when any predicate holds after a step. */
  stopWhen?: StopCondition | StopCondition[];
  /** Stream each response (text arrives as it is written). @default true */
  stream?: boolean;
  /** Extended thinking: `true` sends the gateway's `thinkingFlag: true`; `{ budgetTokens }` sends Anthropic's `thinking`. @default false */
  thinking?: boolean | { budgetTokens: number };
  /** Tool calls of one turn running at once; results keep the calls' order. @default 4 */
  toolConcurrency?: number;
  /** Times a turn is requested again after a retryable failure the client did not retry (a stream cut after text was shown). @default 2 */
  turnRetries?: number;
  /**
   * Sends the turns on a server-side thread, where the gateway has them (they are not in its documented
   * contract): each turn after the first sends only the new messages, so neither side re-reads the whole
   * transcript every turn. The run keeps its whole transcript anyway; if the gateway lost the thread or
   * refuses threads, the turn is sent again whole and the run goes on (without threads, in the second case).
   * Estimates (context window, budgets) always count the whole conversation. @default false
   */
  threads?: boolean;
  /** Aborts the run. */
  signal?: AbortSignal;
  /** Human-in-the-loop for tools that `needsApproval`: false refuses the call. Without it the run stops `awaiting_approval`. */
  approve?: ApproveToolCall;
  /** Decisions for the calls a resumed run waits on, by tool_use id. */
  approvals?: Record<string, boolean>;
  /** A zod schema of the final answer: the model must call `final_answer` with a valid input, returned as `result.output`. */
  output?: ZodLikeSchema<Output>;
  /** Extra request fields passed through untouched (`temperature`, `stop_sequences`, `metadata`, `tool_choice`…). */
  requestParams?: Omit<Partial<MessageCreateParams>, 'messages' | 'model' | 'system' | 'tools' | 'max_tokens'>;
  /** Prices used for `credits` when a response has no `credits_consumed`. @default the gateway's prices */
  pricing?: PriceTable;
  /** Identifies the run to middleware (the budget's per-run limit). @default a random UUID */
  runId?: string;
  /** @default the client's logger */
  logger?: Logger;
  /**
   * Signs every `result.state` (HMAC-SHA256) with this secret; `resumeAgent` given the same secret refuses a
   * state that was changed since, or was never signed. At least 16 bytes. @default undefined (states unsigned)
   */
  stateSecret?: StateSecret;
}

/** Throws a `ConfigurationError` (`invalid_option`) naming the first bad option. */
export function checkAgentOptions(options: AgentOptions<unknown>): void {
  if (typeof options !== 'object' || options === null)
    throw new ConfigurationError('runAgent needs options { client, prompt | messages }.', { code: 'invalid_option' });
  if (!options.client || typeof options.client.stream !== 'function') {
    throw new ConfigurationError('`client` must be a MessagesClient.', { code: 'invalid_option' });
  }
  if (options.prompt === undefined && (!Array.isArray(options.messages) || options.messages.length === 0)) {
    throw new ConfigurationError('Give `prompt` or a non-empty `messages`.', { code: 'invalid_option' });
  }
  if (options.stateSecret !== undefined) checkStateSecret(options.stateSecret);
  if (options.onCheckpoint !== undefined && typeof options.onCheckpoint !== 'function')
    throw new ConfigurationError('`onCheckpoint` must be a function (state, point) => void.', {
      code: 'invalid_option',
    });
  for (const [name, value] of [
    ['maxTurns', options.maxTurns],
    ['maxTokens', options.maxTokens],
    ['toolConcurrency', options.toolConcurrency],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new ConfigurationError(`\`${name}\` must be a positive integer; got ${String(value)}.`, {
        code: 'invalid_option',
      });
    }
  }
}
