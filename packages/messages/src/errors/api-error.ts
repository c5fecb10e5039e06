/**
 * `APIError` and `isAPIError`.
 * @module
 */
import { LoopguardError } from './loopguard-error.js';

const marker = Symbol.for('loopguard.error.APIError');

/** An HTTP error answer from the gateway. Subclasses name each code of the error table. */
export class APIError extends LoopguardError {
  override name = 'APIError';
  declare readonly status: number;
  readonly [marker] = true;
}

/** True when `value` is an `APIError` (or a subclass), even one from another copy of the package. */
export function isAPIError(value: unknown): value is APIError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
