/**
 * `TimeoutError` and `isTimeoutError`.
 * @module
 */
import { LoopguardError } from './loopguard-error.js';

const marker = Symbol.for('loopguard.error.TimeoutError');

/**
 * A time limit passed; retried. `code`: `headers_timeout` (no headers within `headersTimeoutMs`),
 * `idle_timeout` (a begun stream silent for `idleTimeoutMs`), `timeout` (the attempt past `timeoutMs`).
 */
export class TimeoutError extends LoopguardError {
  override name = 'TimeoutError';
  readonly [marker] = true;
}

/** True when `value` is a `TimeoutError` (or a subclass), even one from another copy of the package. */
export function isTimeoutError(value: unknown): value is TimeoutError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
