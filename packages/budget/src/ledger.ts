/**
 * The ledger contract: where a budget keeps what was spent and what is reserved. Reserve is an atomic
 * check-and-take against every limit at once; settle turns a reservation into spend; release drops it.
 * A reservation whose lease runs out (its process died, or its request outlived the lease) counts as
 * spent, possibly billed, until it is settled or released. Every ledger here (memory, file, Redis) keeps
 * this contract, and costs the same per operation however many entries it holds.
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
  /** Credits wanted (the worst case), finite and >= 0. */
  amount: number;
  /** Smallest grant accepted (`amount` unless clamping), finite and >= 0. */
  minimum: number;
  limits: LedgerLimits;
  /** Time of the reservation (ms since epoch); its lease runs from here. */
  now: number;
  /** The model the request names, for reports. @default 'unknown' */
  model?: string | undefined;
}

/** What a settlement records beside its amount. */
export interface SettleDetail {
  /** The model the request named. @default the reservation's model, else 'unknown' */
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
  /** Everything counted as spent: settled, and reservations whose lease ran out. */
  spent: number;
  /** Open reservations (lease still running). */
  reserved: number;
  /** The part of `spent` that is only possibly billed: settled as such, or from expired leases. */
  possiblyBilled: number;
  /** Spent in the last hour and day (rolling: spend at `at` counts while `at > now - window`). */
  hourly: number;
  daily: number;
  /** Spent per run id. */
  perRun: Record<string, number>;
  /** Reservations not yet settled or released whose lease still runs. */
  outstanding: number;
  /** Reservations whose lease ran out in the last day, counted in `spent` and `possiblyBilled` until settled or released. */
  expired: number;
}

/** One line of a ledger report: what one run spent on one model on one UTC day. */
export interface LedgerReportRow {
  /** UTC day, `YYYY-MM-DD`: of the settlement (or lease expiry) for spend, of the reservation for `reserved`. */
  day: string;
  runId: string;
  /** `unknown` when neither the reservation nor the settlement named one. */
  model: string;
  /** Credits counted as spent (includes `possiblyBilled`); may be negative for a reconciliation correction. */
  spent: number;
  /** Credits of `spent` that are only possibly billed. */
  possiblyBilled: number;
  /** Credits held by open reservations. */
  reserved: number;
  /** Settlements (and expired leases) counted in `spent`. */
  settlements: number;
}

/**
 * Spend by day, run and model: what `loopguard spend <ledger>` prints. `rows` are sorted by day, run, model;
 * sum them by any of the three for a coarser view. Totals are the ledger's `totals(now)`.
 */
export interface LedgerReport {
  totals: LedgerTotals;
  rows: LedgerReportRow[];
}

/** A ledger. Every method is atomic with respect to every other user of the same ledger. */
export interface Ledger {
  /** Takes `request.amount` (or at least `request.minimum`) if it fits every limit, counting open reservations. */
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  /**
   * Turns the reservation into spend of `credits` at `now`. Unknown ids are spent as given (a negative amount
   * is a reconciliation correction); a reservation whose lease ran out is corrected to `credits`. `detail`
   * says what the spend was (its model; whether it is only possibly billed), for reports and reconciliation.
   */
  settle(id: string, credits: number, now: number, detail?: SettleDetail): Promise<void>;
  /** Drops the reservation (the request was proven not billed); an expired one is taken back out of spend. */
  release(id: string): Promise<void>;
  /** Totals at `now` (leases that ran out by `now` count as spent). */
  totals(now: number): Promise<LedgerTotals>;
  /**
   * Spend by day, run and model at `now`, for reports (`loopguard spend`). Reads every row the ledger kept:
   * its cost grows with the number of distinct (day, run, model), unlike the other methods.
   */
  report(now: number): Promise<LedgerReport>;
  /** Frees connections and handles. */
  close(): Promise<void>;
}

/** One open reservation. */
export interface Reservation {
  credits: number;
  runId: string;
  /** When it was taken (ms since epoch). */
  at: number;
  /** When its lease runs out and it counts as spent (ms since epoch). */
  expiresAt: number;
  model: string;
}

/** One hour, in ms. */
export const HOUR_MS = 3_600_000;
/** One day, in ms: the rolling daily window, and how long an expired lease is remembered. */
export const DAY_MS = 24 * HOUR_MS;

/**
 * How long a reservation stays reserved before it counts as spent (possibly billed), in ms: 10 minutes.
 * Long enough for any single request (a reply of 32K tokens streams in a few minutes); a request that
 * outlives it is counted in full until it settles, then corrected.
 */
export const DEFAULT_LEASE_MS = 600_000;
