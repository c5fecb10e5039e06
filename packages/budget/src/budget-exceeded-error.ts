/**
 * `BudgetExceededError`: a request was refused (or stopped by the gateway) because money ran out.
 * It carries `stopReason: 'budget_exceeded'`, so `runAgent` ends the run cleanly instead of failing.
 * @module
 */
import { LoopguardError } from '@loopguard/messages';

/** Why a budget stopped a request. */
export type BudgetExceededReason = 'limit' | 'per_run' | 'window' | 'balance' | 'insufficient_credits' | 'spend_limit';

/** A budget refused a request. `requested` and `available` are in credits. */
export class BudgetExceededError extends LoopguardError {
  override name = 'BudgetExceededError';
  readonly reason: BudgetExceededReason;
  /** Credits the request needed in the worst case. */
  readonly requested: number;
  /** Credits that were left under the tightest limit. */
  readonly available: number;

  constructor(
    reason: BudgetExceededReason,
    message: string,
    details: { requested?: number; available?: number; cause?: unknown } = {},
  ) {
    super(message, { code: 'budget_exceeded', stopReason: 'budget_exceeded', cause: details.cause });
    this.reason = reason;
    this.requested = details.requested ?? 0;
    this.available = details.available ?? 0;
  }
}

export { LedgerError } from './ledger-error.js';
