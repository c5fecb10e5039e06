/**
 * `InternalServerError` and `isInternalServerError`.
 * @module
 */
import { APIError } from './api-error.js';

const marker = Symbol.for('loopguard.error.InternalServerError');

/** 500 `internal_error` (and other 5xx without a closer class); retried. */
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
  readonly [marker] = true;
}

/** True when `value` is an `InternalServerError` (or a subclass), even one from another copy of the package. */
export function isInternalServerError(value: unknown): value is InternalServerError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
