/**
 * `LedgerState`: the in-process state of a ledger (held by the memory and file ledgers) and the pure
 * decisions on it — whether a reservation fits every limit, which leases ran out. No I/O here. Every
 * operation costs the same however many entries were recorded: totals, per-run sums and window sums are
 * kept running; only the report reads every (day, run, model) cell.
 * @module
 */

import { SpendWindows } from './internal/spend-windows.js';
import type {
  LedgerReport,
  LedgerReportRow,
  LedgerTotals,
  Reservation,
  ReserveRequest,
  ReserveResult,
  SettleDetail,
} from './ledger.js';
import { DAY_MS } from './ledger.js';
import { LedgerError } from './ledger-error.js';

/** A reservation whose lease ran out: counted as spent (possibly billed) at `at`, until settled or released. */
export interface ExpiredLease {
  credits: number;
  runId: string;
  model: string;
  /** When the lease ran out and the spend was counted. */
  at: number;
}

/** Spend of one (day, run, model). */
export interface ReportCell {
  spent: number;
  possiblyBilled: number;
  settlements: number;
}

/** The UTC day of a time, `YYYY-MM-DD`. */
export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

const SEPARATOR = '\u0000';
const cellKey = (day: string, runId: string, model: string) => `${day}${SEPARATOR}${runId}${SEPARATOR}${model}`;

function addTo(map: Map<string, number>, key: string, credits: number): void {
  const next = (map.get(key) ?? 0) + credits;
  if (Math.abs(next) < 1e-9) map.delete(key);
  else map.set(key, next);
}

/** Spend and reservations held in memory. */
export class LedgerState {
  /** Operations applied since the ledger began (reserve, settle, release, expire). */
  seq = 0;
  spent = 0;
  possiblyBilled = 0;
  reserved = 0;
  readonly runSpent = new Map<string, number>();
  readonly runReserved = new Map<string, number>();
  /** Open reservations, oldest first. */
  readonly reservations = new Map<string, Reservation>();
  /** Leases that ran out in the last day, oldest first (a late settle corrects them). */
  readonly expired = new Map<string, ExpiredLease>();
  readonly windows = new SpendWindows();
  /** Spend per (day, run, model). */
  readonly cells = new Map<string, ReportCell>();

  /** Whether `request` fits every limit at its `now`, and how much it gets. Changes nothing. */
  decide(request: ReserveRequest): ReserveResult {
    const existing = this.reservations.get(request.id);
    if (existing) return { ok: true, granted: existing.credits };
    const { limits, now, runId } = request;
    let tightest: { reason: 'limit' | 'per_run' | 'window'; available: number } | undefined;
    const consider = (reason: 'limit' | 'per_run' | 'window', available: number) => {
      if (!tightest || available < tightest.available) tightest = { reason, available };
    };
    if (limits.total !== undefined) consider('limit', limits.total - this.spent - this.reserved);
    if (limits.perRun !== undefined)
      consider('per_run', limits.perRun - (this.runSpent.get(runId) ?? 0) - (this.runReserved.get(runId) ?? 0));
    if (limits.hourly !== undefined) consider('window', limits.hourly - this.windows.hourly(now) - this.reserved);
    if (limits.daily !== undefined) consider('window', limits.daily - this.windows.daily(now) - this.reserved);
    const available = tightest?.available ?? Number.POSITIVE_INFINITY;
    if (tightest && available < request.minimum)
      return { ok: false, reason: tightest.reason, available: Math.max(0, available) };
    return { ok: true, granted: Math.min(request.amount, available) };
  }

  /** Ids of the open reservations whose lease ran out by `now` (oldest first; stops at the first still running). */
  dueLeases(now: number): string[] {
    const due: string[] = [];
    for (const [id, reservation] of this.reservations) {
      if (reservation.expiresAt > now) break;
      due.push(id);
    }
    return due;
  }

  /** Records a reservation. */
  applyReserve(id: string, reservation: Reservation): void {
    this.seq += 1;
    if (this.reservations.has(id)) return;
    this.reservations.set(id, reservation);
    this.reserved += reservation.credits;
    addTo(this.runReserved, reservation.runId, reservation.credits);
  }

  /**
   * Settles `id` at `at`: an open reservation becomes spend of `credits`; an expired one is corrected to
   * `credits`; an unknown id is spent as given under `fallbackRunId`. A negative amount is refused for an open
   * reservation (a bug in the caller), accepted otherwise (a correction).
   */
  applySettle(id: string, credits: number, at: number, detail: SettleDetail = {}, fallbackRunId = 'unknown'): void {
    const open = this.reservations.get(id);
    if (open && credits < 0) {
      throw new LedgerError(`Ledger: settle(${id}) of an open reservation needs credits >= 0; got ${credits}.`, {
        code: 'ledger_invalid_amount',
      });
    }
    this.seq += 1;
    let runId = fallbackRunId;
    let model = detail.model ?? 'unknown';
    if (open) {
      this.#dropReservation(id, open);
      runId = open.runId;
      model = detail.model ?? open.model;
    } else {
      const expired = this.expired.get(id);
      if (expired) {
        this.#undoExpired(id, expired);
        runId = expired.runId;
        model = detail.model ?? expired.model;
      }
    }
    this.#spend(at, credits, runId, model, detail.possiblyBilled === true);
  }

  /** Drops `id`: an open reservation is freed, an expired one taken back out of spend. */
  applyRelease(id: string): void {
    this.seq += 1;
    const open = this.reservations.get(id);
    if (open) {
      this.#dropReservation(id, open);
      return;
    }
    const expired = this.expired.get(id);
    if (expired) this.#undoExpired(id, expired);
  }

  /** The lease of `id` ran out at `at`: its reservation counts as spent, possibly billed. */
  applyExpire(id: string, at: number): void {
    this.seq += 1;
    const open = this.reservations.get(id);
    if (!open) return;
    this.#dropReservation(id, open);
    this.expired.set(id, { credits: open.credits, runId: open.runId, model: open.model, at });
    this.#spend(at, open.credits, open.runId, open.model, true);
  }

  /** Forgets what no operation at `now` can need: window buckets past a day, expired leases past a day. */
  prune(now: number): void {
    this.windows.prune(now);
    for (const [id, expired] of this.expired) {
      if (expired.at > now - DAY_MS) break;
      this.expired.delete(id);
    }
  }

  /** Totals at `now`; reservations whose lease ran out by `now` count as spent (without changing the state). */
  totals(now: number): LedgerTotals {
    const due = this.dueLeases(now);
    let dueCredits = 0;
    const perRun = Object.fromEntries(this.runSpent);
    for (const id of due) {
      const reservation = this.reservations.get(id) as Reservation;
      dueCredits += reservation.credits;
      perRun[reservation.runId] = (perRun[reservation.runId] ?? 0) + reservation.credits;
    }
    return {
      spent: this.spent + dueCredits,
      reserved: Math.max(0, this.reserved - dueCredits),
      possiblyBilled: this.possiblyBilled + dueCredits,
      hourly: this.windows.hourly(now) + dueCredits,
      daily: this.windows.daily(now) + dueCredits,
      perRun,
      outstanding: this.reservations.size - due.length,
      expired: this.expired.size + due.length,
    };
  }

  /** Spend by day, run and model at `now` (reads every cell). */
  report(now: number): LedgerReport {
    const rows = new Map<string, LedgerReportRow>();
    const row = (day: string, runId: string, model: string): LedgerReportRow => {
      const key = cellKey(day, runId, model);
      let found = rows.get(key);
      if (!found) {
        found = { day, runId, model, spent: 0, possiblyBilled: 0, reserved: 0, settlements: 0 };
        rows.set(key, found);
      }
      return found;
    };
    for (const [key, cell] of this.cells) {
      const [day, runId, model] = key.split(SEPARATOR) as [string, string, string];
      Object.assign(row(day, runId, model), cell);
    }
    for (const reservation of this.reservations.values()) {
      if (reservation.expiresAt <= now) {
        const target = row(dayOf(now), reservation.runId, reservation.model);
        target.spent += reservation.credits;
        target.possiblyBilled += reservation.credits;
        target.settlements += 1;
      } else row(dayOf(reservation.at), reservation.runId, reservation.model).reserved += reservation.credits;
    }
    const sorted = [...rows.values()]
      .filter((r) => r.spent !== 0 || r.reserved !== 0 || r.possiblyBilled !== 0 || r.settlements !== 0)
      .sort((a, b) => a.day.localeCompare(b.day) || a.runId.localeCompare(b.runId) || a.model.localeCompare(b.model));
    return { totals: this.totals(now), rows: sorted };
  }

  #dropReservation(id: string, reservation: Reservation): void {
    this.reservations.delete(id);
    this.reserved = this.reservations.size === 0 ? 0 : this.reserved - reservation.credits;
    addTo(this.runReserved, reservation.runId, -reservation.credits);
  }

  #undoExpired(id: string, expired: ExpiredLease): void {
    this.expired.delete(id);
    this.#spend(expired.at, -expired.credits, expired.runId, expired.model, true, -1);
  }

  #spend(at: number, credits: number, runId: string, model: string, possiblyBilled: boolean, count = 1): void {
    this.spent += credits;
    if (possiblyBilled) this.possiblyBilled += credits;
    this.runSpent.set(runId, (this.runSpent.get(runId) ?? 0) + credits);
    this.windows.add(at, credits);
    const key = cellKey(dayOf(at), runId, model);
    const cell = this.cells.get(key) ?? { spent: 0, possiblyBilled: 0, settlements: 0 };
    cell.spent += credits;
    if (possiblyBilled) cell.possiblyBilled += credits;
    cell.settlements += count;
    this.cells.set(key, cell);
  }
}
