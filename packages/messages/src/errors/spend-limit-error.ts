/**
 * `SpendLimitError` and `isSpendLimitError`.
 * @module
 */
import { APIError } from './api-error.js';

const marker = Symbol.for('loopguard.error.SpendLimitError');

/** 429 `spend_limit_exceeded`: the key's hourly/daily/total limit is reached. Ends a run with `budget_exceeded`; never retried. */
export class SpendLimitError extends APIError {
  override name = 'SpendLimitError';
  readonly [marker] = true;
}

/** True when `value` is a `SpendLimitError` (or a subclass), even one from another copy of the package. */
export function isSpendLimitError(value: unknown): value is SpendLimitError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
