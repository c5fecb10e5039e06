/**
 * The pure part of `budget.reconcile()`: from the gateway's balance now and at a baseline, and the ledger's
 * spend now and at that baseline, the signed correction that turns "possibly billed" spend into known spend.
 * What the gateway billed since the baseline is `baseline.balance - balance`; what the ledger counted is
 * `spent - baseline.spent`. A positive difference (the gateway billed more) is always settled: it only makes
 * the ledger stricter. A negative one lowers the ledger, so it waits until nothing is in flight and the last
 * possibly-billed attempt is `quietMs` old (the gateway may still bill work it was doing when the client gave
 * up), and never lowers by more than the possibly-billed spend not yet reconciled.
 * @module
 */

/** The balance and ledger spend taken together when nothing was in flight. */
export interface ReconcileBaseline {
  balance: number;
  spent: number;
  at: number;
}

/** What one `reconcile()` did. */
export interface ReconcileResult {
  /**
   * `baseline`: recorded the baseline (the first call, or `{ baseline: true }`); `corrected`: settled a
   * correction; `in_sync`: the ledger and the gateway agree; `deferred`: not now (`reason` says why).
   */
  status: 'baseline' | 'corrected' | 'in_sync' | 'deferred';
  /** Why it was deferred: requests in flight, or a possibly-billed attempt more recent than `quietMs`. */
  reason?: 'in_flight' | 'too_recent';
  /** The gateway's balance read now, in credits. */
  balance: number;
  /** Credits the gateway billed since the baseline. */
  billed: number;
  /** Credits the ledger counted since the baseline, before the correction. */
  counted: number;
  /** The signed correction settled (0 when none). */
  correction: number;
}

/** What the decision reads. */
export interface ReconcileInput {
  baseline: ReconcileBaseline;
  balance: number;
  spent: number;
  /** Open reservations in the ledger. */
  outstanding: number;
  /** Possibly-billed spend this guard settled and has not reconciled yet. */
  possiblyBilled: number;
  /** When the last possibly-billed attempt was settled (ms since epoch), if any. */
  lastPossiblyBilledAt: number | undefined;
  now: number;
  quietMs: number;
}

/** Differences smaller than this are rounding, not spend. */
const EPSILON = 1e-9;

/** Decides the correction; see the module's comment. */
export function reconcileCorrection(input: ReconcileInput): ReconcileResult {
  const { baseline, balance, spent, now } = input;
  const billed = baseline.balance - balance;
  const counted = spent - baseline.spent;
  const result = { balance, billed, counted, correction: 0 };
  if (input.outstanding > 0) return { ...result, status: 'deferred', reason: 'in_flight' };
  const difference = billed - counted;
  if (Math.abs(difference) < EPSILON) return { ...result, status: 'in_sync' };
  if (difference > 0) return { ...result, status: 'corrected', correction: difference };
  if (input.lastPossiblyBilledAt !== undefined && now - input.lastPossiblyBilledAt < input.quietMs)
    return { ...result, status: 'deferred', reason: 'too_recent' };
  const correction = Math.max(difference, -input.possiblyBilled);
  if (Math.abs(correction) < EPSILON) return { ...result, status: 'in_sync' };
  return { ...result, status: 'corrected', correction };
}
