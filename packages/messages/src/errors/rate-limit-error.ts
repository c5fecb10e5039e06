/**
 * `RateLimitError` and `isRateLimitError`.
 * @module
 */
import { APIError } from './api-error.js';

const marker = Symbol.for('loopguard.error.RateLimitError');

/** 429 `rate_limit_exceeded`: retried honouring `retry-after`; thrown once retries run out. */
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
  readonly [marker] = true;
}

/** True when `value` is a `RateLimitError` (or a subclass), even one from another copy of the package. */
export function isRateLimitError(value: unknown): value is RateLimitError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
