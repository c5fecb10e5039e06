/**
 * `runAgent`: the tool-calling loop. Request → (stream) → complete message → validate and run tools →
 * tool_results in one user turn → again, until the model ends, a stop condition holds, the budget is
 * spent, the caller aborts or `maxTurns` is reached. Tools only ever run on a complete message, so a
 * retried request never runs a tool twice. The loop itself is `agentLoop` (agent-loop.ts); its steps live
 * under `turn/`.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Usage } from '@loopguard/messages';
import { checkTranscript } from '../transcript/check-transcript.js';
import { agentLoop } from './agent-loop.js';
import { AGENT_DEFAULTS, type AgentOptions, checkAgentOptions } from './agent-options.js';
import { AgentRun } from './agent-run.js';
import { AgentTracing } from './agent-tracing.js';
import type { AgentEvent, AgentState } from './agent-types.js';
import { createRunContext } from './run-context.js';
import { RunState } from './run-state.js';

export { FINAL_ANSWER_TOOL } from '../turn/final-answer.js';
export { AGENT_DEFAULTS, type AgentOptions } from './agent-options.js';

const emptyUsage = (): Usage => ({ input_tokens: 0, output_tokens: 0 });

/** A controller that aborts with the caller's signal (the run's own `abort()` aborts it too). */
function runController(signal: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  if (signal?.aborted) controller.abort(signal.reason);
  else signal?.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  return controller;
}

/** @internal Runs an agent from a state (a fresh one, or one being resumed). */
export function startAgent<Output>(options: AgentOptions<Output>, initial: AgentState): AgentRun<Output> {
  return new AgentRun<Output>(async (emit, signal) => {
    const tracing = new AgentTracing(
      options.client,
      options.name ?? AGENT_DEFAULTS.name,
      initial.runId,
      options.model ?? AGENT_DEFAULTS.model,
      options.traceContext,
    );
    const observed = (event: AgentEvent<Output>): void => {
      tracing.observe(event as AgentEvent<unknown>);
      emit(event);
    };
    try {
      const run = createRunContext(options, observed, signal, tracing.context);
      return await agentLoop(run, new RunState<Output>(initial, options.stateSecret));
    } catch (error) {
      tracing.fail(error);
      throw error;
    }
  }, runController(options.signal));
}

/** Starts an agent run. `await` it for the result, or iterate it for events. */
export function runAgent<Output = unknown>(options: AgentOptions<Output>): AgentRun<Output> {
  checkAgentOptions(options as AgentOptions<unknown>);
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
