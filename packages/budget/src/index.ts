/**
 * @loopguard/budget: a hard spend cap for agents and automations.
 *
 * Only what users import is exported here: `createBudget` with its options, events, report and errors; the
 * ledgers (`memoryLedger`, `fileLedger`, `redisLedger`) and the `Ledger` contract to write another;
 * `billingOutcome`, the pure rule of what each attempt costs. The reservation arithmetic
 * (`plan-reservation.ts`), the ledger's state (`ledger-state.ts`) and the helpers under `internal/` and
 * `file-ledger/` are the package's own. Subpaths: `/redis-server` (a throwaway redis-server for tests),
 * `/file-lock` (the lock the file ledger uses).
 * @module
 */

export {
  type BilledAttempt,
  type BillingDecision,
  type BillingRule,
  type BillingVerdict,
  billingOutcome,
} from './billing-outcome.js';
export type { BudgetEvents, BudgetReport, InputRule } from './budget-events.js';
export { BudgetExceededError, type BudgetExceededReason, LedgerError } from './budget-exceeded-error.js';
export { BudgetGuard, createBudget } from './budget-guard.js';
export type { Amount, BudgetOptions, ResolvedBudgetOptions } from './budget-options.js';
export type { ReconcileOptions } from './budget-reconciler.js';
export { type FileLedgerOptions, fileLedger } from './file-ledger.js';
export { TOOL_USE_SYSTEM_PROMPT_TOKENS } from './input-token-bound.js';
export {
  DAY_MS,
  DEFAULT_LEASE_MS,
  type Ledger,
  type LedgerLimits,
  type LedgerReport,
  type LedgerReportRow,
  type LedgerTotals,
  type ReserveRequest,
  type ReserveResult,
  type SettleDetail,
} from './ledger.js';
export { isLedgerError, type LedgerErrorCode } from './ledger-error.js';
export { type MemoryLedgerOptions, memoryLedger } from './memory-ledger.js';
export type { ReconcileResult } from './reconcile-correction.js';
export { type RedisLedger, type RedisLedgerOptions, redisLedger } from './redis-ledger.js';
