/**
 * A `LedgerState` as one JSON value and back: what a compacted ledger file starts with. Restoring checks
 * every number and string, so a damaged snapshot is refused (`LedgerError` `ledger_corrupt`), never half-read.
 * @module
 */

import type { Reservation } from '../ledger.js';
import { LedgerError } from '../ledger-error.js';
import { type ExpiredLease, LedgerState } from '../ledger-state.js';

/** Who took a reservation: the file ledger counts a dead owner's reservations as spent at once. */
export interface ReservationOwner {
  pid: number;
  host: string;
  boot: string;
}

/** The JSON form of a ledger state. */
export interface LedgerSnapshot {
  seq: number;
  spent: number;
  possiblyBilled: number;
  runs: Array<[string, number]>;
  reservations: Array<[string, Reservation, ReservationOwner | null]>;
  expired: Array<[string, ExpiredLease]>;
  /** Spend entries of the last day, `[at, credits]`, for the rolling windows. */
  windowEntries: Array<[number, number]>;
  cells: Array<[string, number, number, number]>;
}

/** The snapshot of `state` (owners of open reservations from `owners`). */
export function snapshotOf(state: LedgerState, owners: Map<string, ReservationOwner>): LedgerSnapshot {
  return {
    seq: state.seq,
    spent: state.spent,
    possiblyBilled: state.possiblyBilled,
    runs: [...state.runSpent],
    reservations: [...state.reservations].map(([id, reservation]) => [id, reservation, owners.get(id) ?? null]),
    expired: [...state.expired],
    windowEntries: state.windows.entries(),
    cells: [...state.cells].map(([key, cell]) => [key, cell.spent, cell.possiblyBilled, cell.settlements]),
  };
}

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isText = (value: unknown): value is string => typeof value === 'string';

function isReservation(value: unknown): value is Reservation {
  const r = value as Record<string, unknown> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    isFiniteNumber(r.credits) &&
    r.credits >= 0 &&
    isText(r.runId) &&
    isFiniteNumber(r.at) &&
    isFiniteNumber(r.expiresAt) &&
    isText(r.model)
  );
}

function isExpired(value: unknown): value is ExpiredLease {
  const e = value as Record<string, unknown> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    isFiniteNumber(e.credits) &&
    isText(e.runId) &&
    isText(e.model) &&
    isFiniteNumber(e.at)
  );
}

function isOwner(value: unknown): value is ReservationOwner | null {
  if (value === null) return true;
  const o = value as Record<string, unknown>;
  return typeof o === 'object' && isFiniteNumber(o.pid) && isText(o.host) && isText(o.boot);
}

const isPairList = (value: unknown, check: (item: unknown[]) => boolean): boolean =>
  Array.isArray(value) && value.every((item) => Array.isArray(item) && check(item));

/** Restores a snapshot into a new state; throws `ledger_corrupt` naming `where` when any field is wrong. */
export function restoreSnapshot(
  value: unknown,
  where: string,
  path: string,
): { state: LedgerState; owners: Map<string, ReservationOwner> } {
  const s = value as Partial<Record<keyof LedgerSnapshot, unknown>> | null;
  const valid =
    typeof s === 'object' &&
    s !== null &&
    isFiniteNumber(s.seq) &&
    isFiniteNumber(s.spent) &&
    isFiniteNumber(s.possiblyBilled) &&
    isPairList(s.runs, ([runId, credits]) => isText(runId) && isFiniteNumber(credits)) &&
    isPairList(s.reservations, ([id, r, owner]) => isText(id) && isReservation(r) && isOwner(owner)) &&
    isPairList(s.expired, ([id, e]) => isText(id) && isExpired(e)) &&
    isPairList(s.windowEntries, ([at, credits]) => isFiniteNumber(at) && isFiniteNumber(credits)) &&
    isPairList(
      s.cells,
      (cell) => isText(cell[0]) && isFiniteNumber(cell[1]) && isFiniteNumber(cell[2]) && isFiniteNumber(cell[3]),
    );
  if (!valid) {
    throw new LedgerError(
      `The ledger file ${path} is corrupt at ${where}: the snapshot is damaged. Restore the file from a copy; it is never reset silently.`,
      { code: 'ledger_corrupt', path },
    );
  }
  const snapshot = s as LedgerSnapshot;
  const state = new LedgerState();
  const owners = new Map<string, ReservationOwner>();
  state.seq = snapshot.seq;
  state.spent = snapshot.spent;
  state.possiblyBilled = snapshot.possiblyBilled;
  for (const [runId, credits] of snapshot.runs) state.runSpent.set(runId, credits);
  for (const [id, reservation, owner] of snapshot.reservations) {
    state.reservations.set(id, { ...reservation });
    state.reserved += reservation.credits;
    state.runReserved.set(reservation.runId, (state.runReserved.get(reservation.runId) ?? 0) + reservation.credits);
    if (owner) owners.set(id, owner);
  }
  for (const [id, expired] of snapshot.expired) state.expired.set(id, { ...expired });
  for (const [at, credits] of snapshot.windowEntries) state.windows.add(at, credits);
  for (const [key, spent, possiblyBilled, settlements] of snapshot.cells)
    state.cells.set(key, { spent, possiblyBilled, settlements });
  return { state, owners };
}
