/**
 * `InvalidRequestError` and `isInvalidRequestError`.
 * @module
 */
import { APIError } from './api-error.js';

const marker = Symbol.for('loopguard.error.InvalidRequestError');

/** 400 `invalid_request`: the request is wrong; not retried. */
export class InvalidRequestError extends APIError {
  override name = 'InvalidRequestError';
  readonly [marker] = true;
}

/** True when `value` is an `InvalidRequestError` (or a subclass), even one from another copy of the package. */
export function isInvalidRequestError(value: unknown): value is InvalidRequestError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
