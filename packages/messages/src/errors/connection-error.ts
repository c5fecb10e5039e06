/**
 * `ConnectionError` and `isConnectionError`.
 * @module
 */
import { LoopguardError } from './loopguard-error.js';

const marker = Symbol.for('loopguard.error.ConnectionError');

/** The connection failed or was reset before a response was complete; retried. */
export class ConnectionError extends LoopguardError {
  override name = 'ConnectionError';
  readonly [marker] = true;
}

/** True when `value` is a `ConnectionError` (or a subclass), even one from another copy of the package. */
export function isConnectionError(value: unknown): value is ConnectionError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
