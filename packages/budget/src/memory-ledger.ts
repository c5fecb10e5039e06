/**
 * `memoryLedger()`: the default ledger, in this process's memory. Atomic because JavaScript runs one
 * operation at a time; shared by every budget given the same instance.
 * @module
 */
import type { Ledger } from './ledger.js';
import { LedgerState } from './ledger-state.js';

/** A ledger in memory. Lost when the process ends: use `fileLedger` or `redisLedger` to keep spend. */
export function memoryLedger(): Ledger {
  const state = new LedgerState();
  return {
    reserve: async (request) => {
      state.prune(request.now);
      return state.reserve(request);
    },
    settle: async (id, credits, now) => state.settle(id, credits, now),
    release: async (id) => {
      state.reservations.delete(id);
    },
    totals: async (now) => state.totals(now),
    close: async () => undefined,
  };
}
