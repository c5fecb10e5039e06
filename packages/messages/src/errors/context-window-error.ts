/**
 * `ContextWindowError` and `isContextWindowError`.
 * @module
 */
import { LoopguardError } from './loopguard-error.js';

const marker = Symbol.for('loopguard.error.ContextWindowError');

/** The request's estimated input is larger than the model's context window; refused locally. */
export class ContextWindowError extends LoopguardError {
  override name = 'ContextWindowError';
  readonly [marker] = true;
}

/** True when `value` is a `ContextWindowError` (or a subclass), even one from another copy of the package. */
export function isContextWindowError(value: unknown): value is ContextWindowError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
