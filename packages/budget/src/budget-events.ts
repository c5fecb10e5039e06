/**
 * The events a budget guard emits and the report it gives.
 * @module
 */
import type { BillingRule } from './billing-outcome.js';
import type { BudgetExceededReason } from './budget-exceeded-error.js';
import type { ReconcileResult } from './reconcile-correction.js';

/** How the input tokens of a reservation were counted (see docs/budgets.md, "the reservation rule"). */
export type InputRule =
  /** The byte bound of the whole prompt. */
  | 'bound'
  /** The input the gateway reported for this run's previous prompt, plus the byte bound of what is new. */
  | 'anchored'
  /** The opt-in estimate (`reserve: 'estimate'`): characters / `charsPerToken`, calibrated; not a bound. */
  | 'estimate';

/** The events of a budget. */
export interface BudgetEvents {
  /** A reservation was taken before a request, or again before a retry. */
  reserve: (event: {
    reservationId: string;
    runId: string;
    model: string;
    credits: number;
    /** Input tokens the reservation counts. */
    inputTokens: number;
    inputRule: InputRule;
    maxTokens: number;
    clampedFrom?: number;
  }) => void;
  /**
   * A reservation was settled: to the message's cost, or — `possiblyBilled` — in full, because the attempt
   * may have been billed and its cost is unknown (a timeout, reset or cut answer after sending).
   */
  settle: (event: {
    reservationId: string;
    runId: string;
    model: string;
    reserved: number;
    credits: number;
    possiblyBilled: boolean;
    /** The row of the outcome table that decided. */
    rule: BillingRule;
  }) => void;
  /** A reservation was released: the attempt was surely not billed. */
  release: (event: { reservationId: string; runId: string; reserved: number; rule: BillingRule }) => void;
  /** A request was refused, or the gateway said money ran out. */
  exceeded: (event: { reason: BudgetExceededReason; runId: string; requested: number; available: number }) => void;
  /** `reconcile()` compared the ledger with the gateway's balance. */
  reconcile: (result: ReconcileResult) => void;
}

/** What `report()` returns; credits and USD side by side. */
export interface BudgetReport {
  limit: { credits: number; usd: number };
  spent: { credits: number; usd: number };
  reserved: { credits: number; usd: number };
  remaining: { credits: number; usd: number };
  /** Settled in full by this guard because the attempt may have been billed (not yet reconciled). */
  possiblyBilled: { credits: number; usd: number };
  outstandingReservations: number;
  windows: { hourly?: { spent: number; limit: number }; daily?: { spent: number; limit: number } };
  perRun: Record<string, { credits: number; usd: number }>;
  /** Settled through this guard, by the model each request named. */
  perModel: Record<
    string,
    { requests: number; inputTokens: number; outputTokens: number; credits: number; usd: number }
  >;
}
