/**
 * The ledger contract: where a budget keeps what was spent and what is reserved. Reserve is an atomic
 * check-and-take against every limit at once; settle turns a reservation into spend; release drops it.
 * @module
 */

/** The caps a reservation must fit under, in credits. Absent means no cap. */
export interface LedgerLimits {
  total?: number | undefined;
  perRun?: number | undefined;
  hourly?: number | undefined;
  daily?: number | undefined;
}

/** A reservation request. */
export interface ReserveRequest {
  /** Unique id of the reservation. */
  id: string;
  runId: string;
  /** Credits wanted (the worst case). */
  amount: number;
  /** Smallest grant accepted (`amount` unless clamping). */
  minimum: number;
  limits: LedgerLimits;
  /** Time of the reservation (ms since epoch). */
  now: number;
}

/** What a settlement records beside its amount. */
export interface SettleDetail {
  /** The model the request named. */
  model?: string | undefined;
  /**
   * The attempt may or may not have been billed (a timeout, reset, abort or cut stream after the request was
   * sent): it is counted in full, and `budget.reconcile()` may later turn it into known spend.
   */
  possiblyBilled?: boolean | undefined;
}

/** What a reservation got. */
export type ReserveResult =
  | { ok: true; granted: number }
  | { ok: false; reason: 'limit' | 'per_run' | 'window'; available: number };

/** Spend and reservations as the ledger sees them now. */
export interface LedgerTotals {
  spent: number;
  reserved: number;
  /** Spent in the last hour and day (rolling). */
  hourly: number;
  daily: number;
  /** Spent per run id. */
  perRun: Record<string, number>;
  /** Reservations not yet settled or released. */
  outstanding: number;
}

/** A ledger. Every method is atomic with respect to every other user of the same ledger. */
export interface Ledger {
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  /**
   * Turns the reservation into spend of `credits` at `now`. Unknown ids are spent as given. `detail` says what
   * the spend was (its model; whether it is only possibly billed), for reports and reconciliation.
   */
  settle(id: string, credits: number, now: number, detail?: SettleDetail): Promise<void>;
  /** Drops the reservation (the request failed and cost nothing). */
  release(id: string): Promise<void>;
  totals(now: number): Promise<LedgerTotals>;
  /** Frees connections and handles. */
  close(): Promise<void>;
}

/** One settled spend. */
export interface SpendEntry {
  at: number;
  credits: number;
  runId: string;
}

/** One open reservation. */
export interface Reservation {
  credits: number;
  runId: string;
  at: number;
}

/** One hour and one day, in ms. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
