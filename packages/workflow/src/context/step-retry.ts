/**
 * `runWithRetry`: the attempts of `ctx.step` — p-retry as designed (its backoff, its `shouldRetry`), each
 * attempt inside the step's trace context. A spent budget is never retried: it suspends the run instead.
 * @module
 */
import { stopReasonOfError } from '@loopguard/tools';
import { type Context, context as otelContext } from '@opentelemetry/api';
import pRetry from 'p-retry';

/** Retries of a step (p-retry underneath). */
export interface StepRetry {
  /** Attempts in all. @default 1 (no retry) */
  attempts?: number;
  /** Delay before the first retry, in ms; then `factor` times longer each time. @default 1000 */
  minTimeoutMs?: number;
  /** @default 2 */
  factor?: number;
  /** Which errors are retried. @default every error but a spent budget */
  retryIf?: (error: unknown) => boolean;
}

/** @internal True when `error` is a spent budget (the run suspends on it, as an agent run stops on it). */
export function isBudgetStop(error: unknown): boolean {
  return stopReasonOfError(error) === 'budget_exceeded';
}

/** @internal Runs `fn` up to `retry.attempts` times; `onRetry` hears each failure that is retried. */
export function runWithRetry<T>(
  fn: (info: { attempt: number }) => T | Promise<T>,
  retry: StepRetry,
  traceContext: Context,
  onRetry: (error: unknown, attempt: number) => void,
): Promise<T> {
  return pRetry((attempt) => otelContext.with(traceContext, () => fn({ attempt })), {
    retries: (retry.attempts ?? 1) - 1,
    minTimeout: retry.minTimeoutMs ?? 1000,
    factor: retry.factor ?? 2,
    shouldRetry: ({ error }) => !isBudgetStop(error) && (retry.retryIf?.(error) ?? true),
    onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
      if (retriesLeft > 0) onRetry(error, attemptNumber);
    },
  });
}
