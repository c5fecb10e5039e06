/**
 * The retry policy as pure decisions over explicit values: whether a failed attempt is tried again, and
 * after how long. Nothing here reads state another object wrote.
 * @module
 */
import { AbortedError, isLoopguardError, type LoopguardError } from '../errors/errors.js';

/** @internal What the retry decision looks at. */
export interface RetryQuestion {
  /** The attempt's (normalised) error. */
  error: unknown;
  /** Retries still allowed after this attempt. */
  retriesLeft: number;
  /** Part of the answer was already handed to the caller (a stream's listeners saw it): a retry would show it twice. */
  handedOn: boolean;
  /** The caller aborted. */
  aborted: boolean;
}

/** @internal True when the attempt may be tried again: a retryable error, retries left, nothing shown, no abort. */
export function shouldRetry(question: RetryQuestion): boolean {
  const { error, retriesLeft, handedOn, aborted } = question;
  return retriesLeft > 0 && !aborted && !handedOn && isLoopguardError(error) && error.retryable;
}

/** The longest exponential wait between attempts, in ms. */
const MAX_BACKOFF_MS = 8_000;

/**
 * @internal The wait before attempt `attemptNumber + 1`: what the server asked (`retry-after-ms` /
 * `retry-after`, on the error), else `baseDelayMs` doubling per attempt up to 8 s, with ±25% jitter.
 */
export function retryDelay(error: unknown, attemptNumber: number, baseDelayMs: number, random = Math.random): number {
  const asked = isLoopguardError(error) ? error.retryAfterMs : undefined;
  if (asked !== undefined) return asked;
  const exponential = Math.min(MAX_BACKOFF_MS, baseDelayMs * 2 ** (attemptNumber - 1));
  return exponential * (0.75 + random() * 0.5);
}

/** @internal The typed error of an abort: the reason itself when it is one of ours, else an `AbortedError`. */
export function toAbortError(reason: unknown): LoopguardError {
  if (isLoopguardError(reason)) return reason;
  return new AbortedError('The request was aborted.', { code: 'aborted', cause: reason });
}
