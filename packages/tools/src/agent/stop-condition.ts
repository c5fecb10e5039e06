/**
 * Stop conditions: predicates over the steps of a run, checked after each step (`runAgent({ stopWhen })`).
 * @module
 */
import type { AgentStep } from './agent-types.js';

/** What a stop condition sees. */
export interface StopConditionContext {
  readonly steps: readonly AgentStep[];
  readonly lastStep: AgentStep;
}

/** A predicate: true ends the run with stop reason `stop_condition`. */
export type StopCondition = (context: StopConditionContext) => boolean | Promise<boolean>;

/** Stops once a tool of this name was called (in any step so far). */
export function toolCalled(name: string): StopCondition {
  return ({ lastStep }) => lastStep.toolCalls.some((call) => call.name === name);
}

/** Stops once this many steps ran. */
export function stepCountIs(count: number): StopCondition {
  return ({ steps }) => steps.length >= count;
}
