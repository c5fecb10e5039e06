/**
 * `AbortedError` and `isAbortedError`.
 * @module
 */
import { LoopguardError } from './loopguard-error.js';

const marker = Symbol.for('loopguard.error.AbortedError');

/** The caller aborted the request through its `AbortSignal` or `abort()`; never retried. */
export class AbortedError extends LoopguardError {
  override name = 'AbortedError';
  readonly [marker] = true;
}

/** True when `value` is an `AbortedError` (or a subclass), even one from another copy of the package. */
export function isAbortedError(value: unknown): value is AbortedError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
