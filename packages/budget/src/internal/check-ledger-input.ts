/**
 * Checks what callers hand a ledger, before anything is decided or written: every ledger refuses the same
 * bad input with the same `LedgerError` (`ledger_invalid_amount`, naming the field).
 * @module
 */

import type { ReserveRequest } from '../ledger.js';
import { LedgerError } from '../ledger-error.js';

function fail(field: string, value: unknown, rule: string, path: string | undefined): never {
  throw new LedgerError(`Ledger: \`${field}\` must be ${rule}; got ${String(value)}.`, {
    code: 'ledger_invalid_amount',
    path,
  });
}

function checkId(field: string, value: unknown, path: string | undefined): void {
  if (typeof value !== 'string' || value.length === 0) fail(field, value, 'a non-empty string', path);
}

function checkTime(value: unknown, path: string | undefined): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail('now', value, 'a finite time in ms', path);
}

/** Throws unless the request has ids, finite amounts >= 0 and finite limits. */
export function checkReserveRequest(request: ReserveRequest, path?: string): void {
  checkId('id', request.id, path);
  checkId('runId', request.runId, path);
  checkTime(request.now, path);
  for (const field of ['amount', 'minimum'] as const) {
    const value = request[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      fail(field, value, 'a finite number >= 0', path);
  }
  for (const [name, value] of Object.entries(request.limits ?? {})) {
    if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value) || value < 0))
      fail(`limits.${name}`, value, 'a number >= 0', path);
  }
}

/** Throws unless a settlement has an id, a finite amount (negative is a correction) and a finite time. */
export function checkSettle(id: string, credits: number, now: number, path?: string): void {
  checkId('id', id, path);
  if (typeof credits !== 'number' || !Number.isFinite(credits)) fail('credits', credits, 'a finite number', path);
  checkTime(now, path);
}

/** Throws `ledger_invalid_option` unless the lease is a whole number of ms > 0. */
export function checkLeaseMs(leaseMs: unknown, path?: string): number {
  if (typeof leaseMs !== 'number' || !Number.isInteger(leaseMs) || leaseMs <= 0) {
    throw new LedgerError(`Ledger option \`leaseMs\` must be a whole number of ms > 0; got ${String(leaseMs)}.`, {
      code: 'ledger_invalid_option',
      path,
    });
  }
  return leaseMs;
}
