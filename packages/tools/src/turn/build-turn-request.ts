/**
 * `buildTurnRequest`: the params of the next turn — the whole transcript, the tools, the run's options —
 * from the run's fixed context and its state. The client (and a server-side thread) may send less; budgets
 * and estimates see these params whole.
 * @module
 */
import type { MessageCreateParams } from '@loopguard/messages';
import { AGENT_DEFAULTS } from '../agent/agent-options.js';
import type { RunContext } from '../agent/run-context.js';
import type { RunState } from '../agent/run-state.js';
import { FINAL_ANSWER_TOOL } from './final-answer.js';

/** @internal The params of the state's next turn. */
export function buildTurnRequest<Output>(run: RunContext<Output>, state: RunState<Output>): MessageCreateParams {
  const { options } = run;
  const request: MessageCreateParams = {
    ...(options.requestParams ?? {}),
    model: options.model ?? AGENT_DEFAULTS.model,
    max_tokens: options.maxTokens ?? AGENT_DEFAULTS.maxTokens,
    // A shallow copy: transcript entries are never changed once pushed, so turns share them.
    messages: state.messages.slice(),
    ...(options.system !== undefined ? { system: options.system } : {}),
    ...(run.definitions.length > 0 ? { tools: run.definitions } : {}),
  };
  if (options.thinking === true) request.thinkingFlag = true;
  else if (typeof options.thinking === 'object')
    request.thinking = { type: 'enabled', budget_tokens: options.thinking.budgetTokens };
  // Extended thinking refuses a forced tool_choice (the Anthropic API answers 400): with thinking on, the
  // final answer is asked for in words (the last user turn says so) and tool_choice stays auto.
  if (state.forceFinalAnswer && !options.thinking) request.tool_choice = { type: 'tool', name: FINAL_ANSWER_TOOL };
  return request;
}
