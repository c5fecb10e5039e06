/**
 * The in-process state of a ledger (used by the memory and file ledgers) and the pure decision of
 * whether a reservation fits every limit. No I/O here.
 * @module
 */
import {
  DAY_MS,
  HOUR_MS,
  type LedgerTotals,
  type Reservation,
  type ReserveRequest,
  type ReserveResult,
  type SpendEntry,
} from './ledger.js';

/** Spend and reservations held in memory. */
export class LedgerState {
  spent = 0;
  readonly entries: SpendEntry[] = [];
  readonly runSpent = new Map<string, number>();
  readonly reservations = new Map<string, Reservation>();

  /** Records a settled spend. */
  addSpend(entry: SpendEntry): void {
    this.spent += entry.credits;
    this.entries.push(entry);
    this.runSpent.set(entry.runId, (this.runSpent.get(entry.runId) ?? 0) + entry.credits);
  }

  /** Forgets entries older than a day (windows never look further back). */
  prune(now: number): void {
    let drop = 0;
    while (drop < this.entries.length && (this.entries[drop]?.at ?? 0) <= now - DAY_MS) drop += 1;
    if (drop > 0) this.entries.splice(0, drop);
  }

  spentSince(since: number): number {
    let sum = 0;
    for (const entry of this.entries) if (entry.at > since) sum += entry.credits;
    return sum;
  }

  /** Decides a reservation; when it fits, records it. */
  reserve(request: ReserveRequest): ReserveResult {
    const { limits, now, runId } = request;
    let reserved = 0;
    let runReserved = 0;
    for (const reservation of this.reservations.values()) {
      reserved += reservation.credits;
      if (reservation.runId === runId) runReserved += reservation.credits;
    }
    const candidates: Array<{ reason: 'limit' | 'per_run' | 'window'; available: number }> = [];
    if (limits.total !== undefined)
      candidates.push({ reason: 'limit', available: limits.total - this.spent - reserved });
    if (limits.perRun !== undefined) {
      candidates.push({ reason: 'per_run', available: limits.perRun - (this.runSpent.get(runId) ?? 0) - runReserved });
    }
    if (limits.hourly !== undefined)
      candidates.push({ reason: 'window', available: limits.hourly - this.spentSince(now - HOUR_MS) - reserved });
    if (limits.daily !== undefined)
      candidates.push({ reason: 'window', available: limits.daily - this.spentSince(now - DAY_MS) - reserved });
    let tightest: { reason: 'limit' | 'per_run' | 'window'; available: number } | undefined;
    for (const candidate of candidates) if (!tightest || candidate.available < tightest.available) tightest = candidate;
    const available = tightest?.available ?? Number.POSITIVE_INFINITY;
    if (tightest && available < request.minimum)
      return { ok: false, reason: tightest.reason, available: Math.max(0, available) };
    const granted = Math.min(request.amount, available);
    this.reservations.set(request.id, { credits: granted, runId, at: now });
    return { ok: true, granted };
  }

  /** Settles a reservation into spend. */
  settle(id: string, credits: number, now: number, fallbackRunId = 'unknown'): void {
    const reservation = this.reservations.get(id);
    this.reservations.delete(id);
    this.addSpend({ at: now, credits, runId: reservation?.runId ?? fallbackRunId });
  }

  totals(now: number): LedgerTotals {
    let reserved = 0;
    for (const reservation of this.reservations.values()) reserved += reservation.credits;
    return {
      spent: this.spent,
      reserved,
      hourly: this.spentSince(now - HOUR_MS),
      daily: this.spentSince(now - DAY_MS),
      perRun: Object.fromEntries(this.runSpent),
      outstanding: this.reservations.size,
    };
  }
}
