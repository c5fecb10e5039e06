/**
 * `memoryLedger()`: the default ledger, in this process's memory. Atomic because JavaScript runs one
 * operation at a time; shared by every budget given the same instance. Failure model: everything is lost
 * when the process ends (use `fileLedger` or `redisLedger` to keep spend); a reservation never settled or
 * released (a request abandoned by its caller) counts as spent once its lease runs out.
 * @module
 */
import { checkLeaseMs, checkReserveRequest, checkSettle } from './internal/check-ledger-input.js';
import { DEFAULT_LEASE_MS, type Ledger } from './ledger.js';
import { LedgerState } from './ledger-state.js';

/** Options of `memoryLedger`. */
export interface MemoryLedgerOptions {
  /** How long a reservation stays reserved before it counts as spent (possibly billed), in ms. @default 600000 (10 minutes) */
  leaseMs?: number;
}

/** A ledger in memory. Lost when the process ends: use `fileLedger` or `redisLedger` to keep spend. */
export function memoryLedger(options: MemoryLedgerOptions = {}): Ledger {
  const leaseMs = checkLeaseMs(options.leaseMs ?? DEFAULT_LEASE_MS);
  const state = new LedgerState();
  const expireDue = (now: number) => {
    state.prune(now);
    for (const id of state.dueLeases(now)) state.applyExpire(id, now);
  };
  return {
    reserve: async (request) => {
      checkReserveRequest(request);
      expireDue(request.now);
      const result = state.decide(request);
      if (result.ok)
        state.applyReserve(request.id, {
          credits: result.granted,
          runId: request.runId,
          at: request.now,
          expiresAt: request.now + leaseMs,
          model: request.model ?? 'unknown',
        });
      return result;
    },
    settle: async (id, credits, now, detail) => {
      checkSettle(id, credits, now);
      expireDue(now);
      state.applySettle(id, credits, now, detail);
    },
    release: async (id) => {
      state.applyRelease(id);
    },
    totals: async (now) => state.totals(now),
    report: async (now) => state.report(now),
    close: async () => undefined,
  };
}
