/**
 * @loopguard/budget: a hard spend cap for agents and automations.
 * @module
 */
export { BudgetExceededError, type BudgetExceededReason, LedgerError } from './budget-exceeded-error.js';
export { type BudgetEvents, BudgetGuard, type BudgetReport, createBudget } from './budget-guard.js';
export {
  type Amount,
  type BudgetOptions,
  type ResolvedBudgetOptions,
  resolveBudgetOptions,
  toCredits,
} from './budget-options.js';
export { fileLedger } from './file-ledger.js';
export { InputCalibration } from './input-calibration.js';
export {
  DAY_MS,
  HOUR_MS,
  type Ledger,
  type LedgerLimits,
  type LedgerTotals,
  type Reservation,
  type ReserveRequest,
  type ReserveResult,
  type SpendEntry,
} from './ledger.js';
export { LedgerState } from './ledger-state.js';
export { memoryLedger } from './memory-ledger.js';
export { type RedisLedgerOptions, redisLedger } from './redis-ledger.js';
