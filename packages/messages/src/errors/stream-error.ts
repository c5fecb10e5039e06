/**
 * `StreamError` and `isStreamError`.
 * @module
 */
import { LoopguardError } from './loopguard-error.js';

const marker = Symbol.for('loopguard.error.StreamError');

/** A stream was truncated, malformed, or carried an `error` event; retried when nothing was handed on yet. */
export class StreamError extends LoopguardError {
  override name = 'StreamError';
  readonly [marker] = true;
}

/** True when `value` is a `StreamError` (or a subclass), even one from another copy of the package. */
export function isStreamError(value: unknown): value is StreamError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
