/**
 * `InsufficientCreditsError` and `isInsufficientCreditsError`.
 * @module
 */
import { APIError } from './api-error.js';

const marker = Symbol.for('loopguard.error.InsufficientCreditsError');

/** 402 `insufficient_credits`: the balance is too low. Ends an agent run with `budget_exceeded`; not retried. */
export class InsufficientCreditsError extends APIError {
  override name = 'InsufficientCreditsError';
  readonly [marker] = true;
}

/** True when `value` is an `InsufficientCreditsError` (or a subclass), even one from another copy of the package. */
export function isInsufficientCreditsError(value: unknown): value is InsufficientCreditsError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
