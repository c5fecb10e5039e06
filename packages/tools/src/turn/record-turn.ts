/**
 * `recordTurn`: counts a reply — its credits (`credits_consumed`, or the price of its usage), the run's
 * totals, a `usage` event — and keeps it as the run's next step (`TurnStep`).
 * @module
 */
import { creditsOfMessage, type Message, type MessageCreateParams } from '@loopguard/messages';
import type { RunContext } from '../agent/run-context.js';
import type { RunState } from '../agent/run-state.js';
import { TurnStep } from './turn-step.js';

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
): TurnStep {
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
  const { messages: sent, ...params } = request;
  // Consecutive turns mostly send the same params besides their messages: the table keeps one object for them.
  const step = new TurnStep(state.turn, { params, table: state.stepTable, count: sent.length }, message, credits);
  state.steps.push(step);
  return step;
}
