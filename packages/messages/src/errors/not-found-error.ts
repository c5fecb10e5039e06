/**
 * `NotFoundError` and `isNotFoundError`.
 * @module
 */
import { APIError } from './api-error.js';

const marker = Symbol.for('loopguard.error.NotFoundError');

/** 404 `model_not_found` / `task_not_found` (or an unknown route); not retried. */
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
  readonly [marker] = true;
}

/** True when `value` is a `NotFoundError` (or a subclass), even one from another copy of the package. */
export function isNotFoundError(value: unknown): value is NotFoundError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
