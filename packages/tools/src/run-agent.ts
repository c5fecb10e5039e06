/**
 * `runAgent`: the tool-calling loop. Request → (stream) → complete message → validate and run tools →
 * tool_results in one user turn → again, until the model ends, a stop condition holds, the budget is
 * spent, the caller aborts or `maxTurns` is reached. Tools only ever run on a complete message, so a
 * retried request never runs a tool twice.
 * @module
 */
import { randomUUID } from 'node:crypto';
import {
  ConfigurationError,
  creditsOfMessage,
  DEFAULT_MODEL,
  DEFAULT_PRICES,
  isLoopguardError,
  type Message,
  type MessageCreateParams,
  type MessageParam,
  type MessagesClient,
  type PriceTable,
  type TextBlock,
  type ToolResultBlock,
  type ToolUseBlock,
  type Usage,
} from '@loopguard/messages';
import type { Context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { AgentRun, attachPartialResult } from './agent-run.js';
import { AgentTracing } from './agent-tracing.js';
import type { AgentEvent, AgentResult, AgentState, AgentStep, AgentStopReason } from './agent-types.js';
import { checkTranscript } from './check-transcript.js';
import { type AnyTool, toolCallOf } from './define-tool.js';
import { duplicateIdResult, duplicateToolUseIds } from './duplicate-tool-uses.js';
import { type CompiledInput, compileInput, type ZodLikeSchema } from './input-schema.js';
import type { ApproveToolCall } from './run-tool-call.js';
import { ServerThread } from './server-thread.js';
import { checkStateSecret, type StateSecret, signAgentState } from './state-signature.js';
import type { StopCondition } from './stop-condition.js';
import { ToolRegistry } from './tool-registry.js';

/** The name of the tool that carries a structured final answer. */
export const FINAL_ANSWER_TOOL = 'final_answer';

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

const emptyUsage = (): Usage => ({ input_tokens: 0, output_tokens: 0 });

function addUsage(total: Usage, part: Usage): void {
  total.input_tokens += part.input_tokens ?? 0;
  total.output_tokens += part.output_tokens ?? 0;
  for (const key of ['cache_creation_input_tokens', 'cache_read_input_tokens'] as const) {
    if (typeof part[key] === 'number') total[key] = (total[key] ?? 0) + (part[key] as number);
  }
}

function textOf(message: Message | undefined): string {
  if (!message) return '';
  return message.content
    .filter((block): block is TextBlock => block.type === 'text')
    .map((block) => block.text)
    .join('');
}

function checkOptions(options: AgentOptions<unknown>): void {
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

/** @internal Runs an agent from a state (a fresh one, or one being resumed). */
export function startAgent<Output>(options: AgentOptions<Output>, initial: AgentState): AgentRun<Output> {
  const controller = new AbortController();
  if (options.signal) {
    if (options.signal.aborted) controller.abort(options.signal.reason);
    else options.signal.addEventListener('abort', () => controller.abort(options.signal?.reason), { once: true });
  }
  return new AgentRun<Output>((emit, signal) => {
    const tracing = new AgentTracing(
      options.client,
      options.name ?? 'agent',
      initial.runId,
      options.model ?? DEFAULT_MODEL,
      options.traceContext,
    );
    const observed = (event: AgentEvent<Output>): void => {
      tracing.observe(event as AgentEvent<unknown>);
      emit(event);
    };
    return loop(options, initial, observed, signal, tracing.context).catch((error: unknown) => {
      tracing.fail(error);
      throw error;
    });
  }, controller);
}

async function loop<Output>(
  options: AgentOptions<Output>,
  initial: AgentState,
  emit: (event: AgentEvent<Output>) => void,
  signal: AbortSignal,
  traceContext: Context,
): Promise<AgentResult<Output>> {
  const client = options.client;
  const logger = options.logger ?? client.logger;
  const registry = options.tools instanceof ToolRegistry ? options.tools : new ToolRegistry(options.tools ?? []);
  const output: CompiledInput<Output> | undefined = options.output
    ? compileInput<Output>(options.output, FINAL_ANSWER_TOOL)
    : undefined;
  if (output && registry.get(FINAL_ANSWER_TOOL)) {
    throw new ConfigurationError(`A tool may not be named "${FINAL_ANSWER_TOOL}" when \`output\` is given.`, {
      code: 'invalid_option',
    });
  }
  const definitions = registry.definitions();
  if (output) {
    definitions.push({
      name: FINAL_ANSWER_TOOL,
      description: 'Give your final answer. Call this exactly once, when you are done.',
      input_schema: output.inputSchema,
    });
  }
  const stopWhen =
    options.stopWhen === undefined ? [] : Array.isArray(options.stopWhen) ? options.stopWhen : [options.stopWhen];
  const maxTurns = options.maxTurns ?? 20;
  const streaming = options.stream ?? true;
  const turnRetries = options.turnRetries ?? 2;
  const thread = new ServerThread(options.threads === true);
  const pricing = options.pricing ?? DEFAULT_PRICES;
  const messages: MessageParam[] = structuredClone(initial.messages);
  const usage: Usage = { ...initial.usage };
  let credits = initial.credits;
  let turn = initial.turn;
  let pending = initial.pendingApproval;
  const steps: AgentStep[] = [];
  let lastMessage: Message | undefined;
  let finalOutput: Output | undefined;
  let forceFinalAnswer = false;

  const unsigned = (): AgentState => ({
    version: 1,
    runId: initial.runId,
    messages: structuredClone(messages),
    turn,
    usage: { ...usage },
    credits,
    ...(pending ? { pendingApproval: structuredClone(pending) } : {}),
  });
  const state = (): AgentState =>
    options.stateSecret === undefined ? unsigned() : signAgentState(unsigned(), options.stateSecret);
  /** Hands the state to `onCheckpoint` (with `calls` as the pending calls, when given) and waits for it. */
  const checkpoint = async (point: 'tools_started' | 'turn_ended', calls?: AgentState['pendingApproval']) => {
    if (!options.onCheckpoint) return;
    const before = pending;
    if (calls) pending = calls;
    const current = state();
    pending = before;
    await options.onCheckpoint(current, point);
  };
  /** The transcript check, before anything is sent: repairs are reported, anything else throws. */
  let checkedFrom = 0;
  const checkBeforeSend = (): void => {
    const checked = checkTranscript(messages, checkedFrom);
    if (checked.repairs.length > 0) {
      messages.splice(0, messages.length, ...checked.messages);
      emit({ type: 'transcript_repaired', turn, repairs: checked.repairs });
    }
    checkedFrom = Math.max(0, messages.length - 2);
  };
  const snapshot = (stopReason: AgentStopReason, stopError?: unknown): AgentResult<Output> => ({
    runId: initial.runId,
    stopReason,
    text: textOf(lastMessage),
    output: finalOutput,
    messages: structuredClone(messages),
    steps,
    usage: { ...usage },
    credits,
    state: state(),
    ...(stopError === undefined ? {} : { stopError }),
  });
  const result = (stopReason: AgentStopReason, stopError?: unknown): AgentResult<Output> => {
    const value = snapshot(stopReason, stopError);
    emit({ type: 'done', result: value });
    return value;
  };

  /** Runs a turn's tool calls; appends their results as one user turn. Returns false when waiting for approval. */
  const runTools = async (
    assistant: MessageParam,
    toolUses: ToolUseBlock[],
    step: Pick<AgentStep, 'toolCalls' | 'toolResults' | 'toolOutcomes'>,
  ): Promise<boolean> => {
    const decisions = { ...(options.approvals ?? {}) };
    // Calls sharing an id never run: their id gets one is_error result (see duplicate-tool-uses.ts).
    const duplicated = duplicateToolUseIds(toolUses);
    const callable = duplicated.size === 0 ? toolUses : toolUses.filter((block) => !duplicated.has(block.id));
    if (!options.approve) {
      const waiting = callable.some((block) => {
        const tool = registry.get(block.name);
        if (!tool || decisions[block.id] !== undefined) return false;
        const validated = tool.validate(block.input);
        return validated.success && tool.needsApproval(validated.data);
      });
      if (waiting) {
        pending = { assistant, toolUses };
        return false;
      }
    }
    pending = undefined;
    messages.push(assistant);
    const finalAnswers = callable.filter((block) => output && block.name === FINAL_ANSWER_TOOL);
    const others = callable.filter((block) => !finalAnswers.includes(block));
    const reports = await registry.runWithReports(others, {
      signal,
      turn,
      logger,
      approve: options.approve,
      decisions,
      concurrency: options.toolConcurrency ?? 4,
      onCallStart: (block) => emit({ type: 'tool_call', turn, call: toolCallOf(block, turn) }),
      onCallEnd: (block, report) =>
        emit({
          type: 'tool_result',
          turn,
          call: toolCallOf(block, turn),
          result: report.result,
          outcome: report.outcome,
          durationMs: report.durationMs,
        }),
    });
    const byId = new Map<string, ToolResultBlock>();
    others.forEach((block, index) => {
      const report = reports[index];
      if (!report) return;
      byId.set(block.id, report.result);
      step.toolOutcomes.push(report.outcome);
    });
    for (const block of finalAnswers) {
      const validated = output?.validate(block.input);
      const call = toolCallOf(block, turn);
      emit({ type: 'tool_call', turn, call });
      const answer: ToolResultBlock = validated?.success
        ? { type: 'tool_result', tool_use_id: block.id, content: 'Final answer received.' }
        : {
            type: 'tool_result',
            tool_use_id: block.id,
            is_error: true,
            content: `Invalid final answer:\n${(validated && !validated.success ? validated.issues : []).map((issue) => `- ${issue}`).join('\n')}\nCall ${FINAL_ANSWER_TOOL} again with a corrected input.`,
          };
      if (validated?.success) finalOutput = validated.data;
      emit({
        type: 'tool_result',
        turn,
        call,
        result: answer,
        outcome: validated?.success ? 'ok' : 'invalid_input',
        durationMs: 0,
      });
      byId.set(block.id, answer);
      step.toolOutcomes.push(validated?.success ? 'ok' : 'invalid_input');
    }
    for (const [id, times] of duplicated) {
      const answer = duplicateIdResult(id, times);
      const call = toolCallOf(toolUses.find((block) => block.id === id) as ToolUseBlock, turn);
      emit({ type: 'tool_result', turn, call, result: answer, outcome: 'duplicate_id', durationMs: 0 });
      byId.set(id, answer);
      step.toolOutcomes.push('duplicate_id');
    }
    const results = [...new Set(toolUses.map((block) => block.id))].map((id) => byId.get(id) as ToolResultBlock);
    step.toolCalls.push(...toolUses.map((block) => toolCallOf(block, turn)));
    step.toolResults.push(...results);
    messages.push({ role: 'user', content: results });
    return true;
  };

  /**
   * One turn's request. A retryable failure the client could not retry itself (a stream cut after text was
   * shown) is tried again here, up to `turnRetries` times: no tool ran, so nothing is done twice; a
   * `turn_retry` event tells listeners to drop the turn's partial text.
   */
  const requestTurn = async (
    request: MessageCreateParams,
    requestOptions: { signal: AbortSignal; runId: string; traceContext: Context },
  ): Promise<Message> => {
    for (let attempt = 0; ; ) {
      const shaped = thread.shape(request);
      const sendOptions = {
        ...requestOptions,
        ...(shaped.threadContext ? { threadContext: shaped.threadContext } : {}),
        ...(shaped.headers ? { headers: shaped.headers } : {}),
      };
      try {
        let message: Message;
        if (!streaming) message = await client.create(shaped.params, sendOptions);
        else {
          const stream = client.stream(shaped.params, sendOptions);
          stream.on('text', (delta) => emit({ type: 'text', turn, delta }));
          stream.on('thinking', (delta) => emit({ type: 'thinking', turn, delta }));
          message = await stream.finalMessage();
        }
        thread.replied(message.id, request.messages);
        return message;
      } catch (error) {
        if (!signal.aborted && thread.recover(error)) {
          logger.info(
            { turn, code: (error as { code?: string }).code, threads: thread.enabled },
            thread.enabled ? 'thread lost; sending the turn whole on a new thread' : 'no threads; sending turns whole',
          );
          continue;
        }
        const retryable = isLoopguardError(error) && error.retryable && !signal.aborted;
        if (!retryable || attempt >= turnRetries) throw error;
        attempt += 1;
        emit({ type: 'turn_retry', turn, attempt, error });
        logger.warn({ turn, attempt, code: (error as { code?: string }).code }, 'retrying turn');
      }
    }
  };

  try {
    checkBeforeSend();
    if (pending) {
      const step = { toolCalls: [], toolResults: [], toolOutcomes: [] };
      if (!(await runTools(pending.assistant, pending.toolUses, step))) return result('awaiting_approval');
      if (signal.aborted) return result('aborted');
      if (finalOutput !== undefined) return result('end_turn');
    }
    for (;;) {
      if (signal.aborted) return result('aborted');
      if (turn >= maxTurns) return result('max_turns');
      turn += 1;
      emit({ type: 'turn_start', turn });
      checkBeforeSend();
      const started = performance.now();
      const request: MessageCreateParams = {
        ...(options.requestParams ?? {}),
        model: options.model ?? DEFAULT_MODEL,
        max_tokens: options.maxTokens ?? 4096,
        // A shallow copy: transcript entries are never changed once pushed, so turns share them.
        messages: messages.slice(),
        ...(options.system !== undefined ? { system: options.system } : {}),
        ...(definitions.length > 0 ? { tools: definitions } : {}),
      };
      if (options.thinking === true) request.thinkingFlag = true;
      else if (typeof options.thinking === 'object')
        request.thinking = { type: 'enabled', budget_tokens: options.thinking.budgetTokens };
      // Extended thinking refuses a forced tool_choice (the Anthropic API answers 400): with thinking on,
      // the final answer is asked for in words (the last user turn says so) and tool_choice stays auto.
      if (forceFinalAnswer && !options.thinking) request.tool_choice = { type: 'tool', name: FINAL_ANSWER_TOOL };
      const requestOptions = { signal, runId: initial.runId, traceContext };
      let message: Message;
      try {
        message = await requestTurn(request, requestOptions);
      } catch (error) {
        turn -= 1;
        if (signal.aborted) return result('aborted');
        if (isLoopguardError(error) && error.stopReason === 'budget_exceeded') return result('budget_exceeded', error);
        throw error;
      }
      lastMessage = message;
      let stepCredits = 0;
      try {
        stepCredits = creditsOfMessage(message, pricing, request.model);
      } catch {
        logger.warn({ model: message.model }, 'no price for model; credits counted as 0');
      }
      credits += stepCredits;
      addUsage(usage, message.usage);
      emit({
        type: 'usage',
        turn,
        usage: message.usage,
        credits: stepCredits,
        totalUsage: { ...usage },
        totalCredits: credits,
      });
      // What this turn sent, rebuilt on demand from the transcript (which only grows past what was sent):
      // holding a copy per step made a run's memory quadratic in its turns.
      const { messages: _sent, ...sentParams } = request;
      const sentCount = request.messages.length;
      const step: AgentStep = {
        turn,
        get request(): MessageCreateParams {
          return { ...sentParams, messages: messages.slice(0, sentCount) };
        },
        response: message,
        toolCalls: [],
        toolResults: [],
        toolOutcomes: [],
        usage: message.usage,
        credits: stepCredits,
        durationMs: 0,
      };
      steps.push(step);
      const finishStep = (): void => {
        step.durationMs = performance.now() - started;
        emit({ type: 'turn_end', turn, step });
      };
      const toolUses = message.content.filter((block): block is ToolUseBlock => block.type === 'tool_use');
      const stopReason = message.stop_reason;
      if (stopReason === 'max_tokens' || stopReason === 'refusal' || stopReason === 'model_context_window_exceeded') {
        // A cut or refused message runs no tool: drop its tool_use blocks so the transcript stays valid.
        const kept = message.content.filter((block) => block.type !== 'tool_use');
        if (kept.length > 0) messages.push({ role: 'assistant', content: kept as MessageParam['content'] });
        finishStep();
        return result(stopReason);
      }
      // The transcript shares the reply's content with `step.response` (one copy per turn, not two);
      // what the run returns (`messages`, `state`) is its own copy.
      const assistant: MessageParam = { role: 'assistant', content: message.content as MessageParam['content'] };
      if (stopReason === 'pause_turn') {
        messages.push(assistant);
        finishStep();
        await checkpoint('turn_ended');
        continue;
      }
      if (toolUses.length > 0) {
        await checkpoint('tools_started', { assistant, toolUses });
        const ran = await runTools(assistant, toolUses, step);
        finishStep();
        if (!ran) return result('awaiting_approval');
        if (signal.aborted) return result('aborted');
        if (finalOutput !== undefined) return result('end_turn');
        forceFinalAnswer = output !== undefined && toolUses.some((block) => block.name === FINAL_ANSWER_TOOL);
      } else {
        messages.push(assistant);
        finishStep();
        if (!output) {
          if (await stopped(stopWhen, steps)) return result('stop_condition');
          // The gateway's own reason (`stop_sequence`, or one this library does not know) is kept.
          return result(stopReason === null || stopReason === 'tool_use' ? 'end_turn' : stopReason);
        }
        messages.push({ role: 'user', content: `Now call the ${FINAL_ANSWER_TOOL} tool with your final answer.` });
        forceFinalAnswer = true;
      }
      await checkpoint('turn_ended');
      if (await stopped(stopWhen, steps)) return result('stop_condition');
    }
  } catch (error) {
    // The run failed: the partial result (no 'done' event) says where it was.
    attachPartialResult(error, snapshot('aborted') as AgentResult);
    throw error;
  }
}

async function stopped(conditions: StopCondition[], steps: AgentStep[]): Promise<boolean> {
  const lastStep = steps[steps.length - 1];
  if (!lastStep) return false;
  for (const condition of conditions) if (await condition({ steps, lastStep })) return true;
  return false;
}

/** Starts an agent run. `await` it for the result, or iterate it for events. */
export function runAgent<Output = unknown>(options: AgentOptions<Output>): AgentRun<Output> {
  checkOptions(options as AgentOptions<unknown>);
  const messages = structuredClone(options.messages ?? []);
  if (options.prompt !== undefined) messages.push({ role: 'user', content: options.prompt });
  // Refused at once (a TranscriptError naming the place); what the loop can repair, it repairs and reports.
  checkTranscript(messages);
  return startAgent(options, {
    version: 1,
    runId: options.runId ?? randomUUID(),
    messages,
    turn: 0,
    usage: emptyUsage(),
    credits: 0,
  });
}
