/**
 * `recordTurn`: counts a reply — its credits (`credits_consumed`, or the price of its usage), the run's
 * totals, a `usage` event — and keeps it as the run's next `AgentStep`.
 * @module
 */
import { creditsOfMessage, type Message, type MessageCreateParams } from '@loopguard/messages';
import type { AgentStep } from '../agent/agent-types.js';
import type { RunContext } from '../agent/run-context.js';
import type { RunState } from '../agent/run-state.js';

/** The reply's credits; a model with no price counts 0 (and says so in the log). */
function creditsOf<Output>(run: RunContext<Output>, message: Message, model: string | undefined): number {
  try {
    return creditsOfMessage(message, run.pricing, model);
  } catch {
    run.logger.warn({ model: message.model }, 'no price for model; credits counted as 0');
    return 0;
  }
}

/** @internal Counts the reply and appends its step (tool parts empty, filled in as the calls run). */
export function recordTurn<Output>(
  run: RunContext<Output>,
  state: RunState<Output>,
  request: MessageCreateParams,
  message: Message,
): AgentStep {
  state.lastMessage = message;
  const credits = creditsOf(run, message, request.model);
  state.count(message.usage, credits);
  run.emit({
    type: 'usage',
    turn: state.turn,
    usage: message.usage,
    credits,
    totalUsage: { ...state.usage },
    totalCredits: state.credits,
  });
  // What this turn sent, rebuilt on demand from the transcript (which only grows past what was sent):
  // holding a copy per step made a run's memory quadratic in its turns.
  const { messages: _sent, ...sentParams } = request;
  const sentCount = request.messages.length;
  const transcript = state.messages;
  const step: AgentStep = {
    turn: state.turn,
    get request(): MessageCreateParams {
      return { ...sentParams, messages: transcript.slice(0, sentCount) };
    },
    response: message,
    toolCalls: [],
    toolResults: [],
    toolOutcomes: [],
    usage: message.usage,
    credits,
    durationMs: 0,
  };
  state.steps.push(step);
  return step;
}
