/**
 * `InvalidResponseError` and `isInvalidResponseError`.
 * @module
 */
import { LoopguardError } from './loopguard-error.js';

const marker = Symbol.for('loopguard.error.InvalidResponseError');

/** A 2xx response whose body is not a message (not JSON, or the wrong shape); not retried. */
export class InvalidResponseError extends LoopguardError {
  override name = 'InvalidResponseError';
  readonly [marker] = true;
}

/** True when `value` is an `InvalidResponseError` (or a subclass), even one from another copy of the package. */
export function isInvalidResponseError(value: unknown): value is InvalidResponseError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
