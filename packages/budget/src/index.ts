/**
 * @loopguard/budget: a hard spend cap for agents and automations.
 * @module
 */

export { billedCredits } from './billed-credits.js';
export {
  type BilledAttempt,
  type BillingDecision,
  type BillingRule,
  type BillingVerdict,
  billingOutcome,
  REFUNDED_ERROR_CODE,
} from './billing-outcome.js';
export type { BudgetEvents, BudgetReport, InputRule } from './budget-events.js';
export { BudgetExceededError, type BudgetExceededReason, LedgerError } from './budget-exceeded-error.js';
export { BudgetGuard, createBudget } from './budget-guard.js';
export {
  type Amount,
  type BudgetOptions,
  type ResolvedBudgetOptions,
  resolveBudgetOptions,
  toCredits,
} from './budget-options.js';
export { BudgetReconciler, type ReconcileOptions } from './budget-reconciler.js';
export { type FileLedgerOptions, fileLedger } from './file-ledger.js';
export { InputCalibration } from './input-calibration.js';
export { inputTokenBound, TOOL_USE_SYSTEM_PROMPT_TOKENS } from './input-token-bound.js';
export {
  DAY_MS,
  DEFAULT_LEASE_MS,
  HOUR_MS,
  type Ledger,
  type LedgerLimits,
  type LedgerReport,
  type LedgerReportRow,
  type LedgerTotals,
  type Reservation,
  type ReserveRequest,
  type ReserveResult,
  type SettleDetail,
} from './ledger.js';
export { isLedgerError, type LedgerErrorCode } from './ledger-error.js';
export { type ExpiredLease, LedgerState, type ReportCell } from './ledger-state.js';
export { type MemoryLedgerOptions, memoryLedger } from './memory-ledger.js';
export {
  type ReconcileBaseline,
  type ReconcileInput,
  type ReconcileResult,
  reconcileCorrection,
} from './reconcile-correction.js';
export { type RedisLedgerOptions, redisLedger } from './redis-ledger.js';
export { SpendWindows } from './spend-windows.js';
