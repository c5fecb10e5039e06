/**
 * Reading the Redis ledger's script replies: the totals and the report rows of a `TOTALS` reply
 * (`redis-ledger-scripts.ts` says what each field holds).
 * @module
 */
import { DAY_MS, type LedgerReportRow, type LedgerTotals } from './ledger.js';
import { dayOf } from './ledger-state.js';

/** The totals of a `TOTALS` reply: its first eight fields (sums, counts, spend per run as a flat list). */
export function totalsOf(reply: unknown[]): LedgerTotals {
  const runs = reply[7] as string[];
  const perRun: Record<string, number> = {};
  for (let i = 0; i < runs.length; i += 2) perRun[runs[i] as string] = Number(runs[i + 1]);
  return {
    spent: Number(reply[0]),
    reserved: Math.max(0, Number(reply[1])),
    possiblyBilled: Number(reply[2]),
    hourly: Number(reply[3]),
    daily: Number(reply[4]),
    outstanding: Number(reply[5]),
    expired: Number(reply[6]),
    perRun,
  };
}

/**
 * The report rows of a `TOTALS` reply with `withReport`: the spend cells ("day\0run\0model\0s|p|n", flat with
 * their values) and the open reservations (JSON), by UTC day, run and model, sorted, empty rows left out.
 */
export function reportRowsOf(cells: string[], reservations: string[]): LedgerReportRow[] {
  const rows = new Map<string, LedgerReportRow>();
  const row = (day: string, runId: string, model: string) => {
    const key = `${day}\u0000${runId}\u0000${model}`;
    let found = rows.get(key);
    if (!found) {
      found = { day, runId, model, spent: 0, possiblyBilled: 0, reserved: 0, settlements: 0 };
      rows.set(key, found);
    }
    return found;
  };
  for (let i = 0; i < cells.length; i += 2) {
    const parts = (cells[i] as string).split('\u0000');
    const kind = parts.pop();
    const model = parts.pop() as string;
    const dayIndex = Number(parts.shift());
    const target = row(dayOf(dayIndex * DAY_MS), parts.join('\u0000'), model);
    const value = Number(cells[i + 1]);
    if (kind === 's') target.spent += value;
    else if (kind === 'p') target.possiblyBilled += value;
    else target.settlements += value;
  }
  for (const text of reservations) {
    const reservation = JSON.parse(text) as { c: string; a: string; r: string; m: string };
    row(dayOf(Number(reservation.a)), reservation.r, reservation.m).reserved += Number(reservation.c);
  }
  return [...rows.values()]
    .filter((row) => row.spent !== 0 || row.reserved !== 0 || row.possiblyBilled !== 0 || row.settlements !== 0)
    .sort((a, b) => a.day.localeCompare(b.day) || a.runId.localeCompare(b.runId) || a.model.localeCompare(b.model));
}
