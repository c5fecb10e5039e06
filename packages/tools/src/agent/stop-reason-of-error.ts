/**
 * `stopReasonOfError`: the agent's policy for errors that end a run cleanly instead of failing it. A spent
 * budget — the local one (`budget_exceeded`), the account's balance (`insufficient_credits`, 402) or the
 * key's spend limit (`spend_limit_exceeded`) — ends the run `budget_exceeded`, with the error as
 * `result.stopError`. Decided here, in the loop's package, from the error's code; the transport only
 * reports what happened.
 * @module
 */
import { isLoopguardError } from '@loopguard/messages';
import type { AgentStopReason } from './agent-types.js';

/** The error codes that end a run with `budget_exceeded`. */
export const BUDGET_STOP_CODES: ReadonlySet<string> = new Set([
  'budget_exceeded',
  'insufficient_credits',
  'spend_limit_exceeded',
]);

/** The stop reason `error` ends a run with, or undefined when the run should fail with it. */
export function stopReasonOfError(error: unknown): AgentStopReason | undefined {
  if (!isLoopguardError(error)) return undefined;
  if (BUDGET_STOP_CODES.has(error.code) || error.status === 402) return 'budget_exceeded';
  // An error of another package copy (or a user's own) may still name its stop reason.
  return error.stopReason;
}
