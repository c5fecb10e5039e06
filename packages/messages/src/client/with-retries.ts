/**
 * `withRetries`: runs a request's attempts in a plain loop — start an attempt, run it, and on failure ask
 * the retry policy with explicit values (the error, retries left, whether anything was handed on, abort),
 * tell the middleware, wait, go again. Each attempt's outcome goes to the middleware as it ends.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { AbortedError, type LoopguardError } from '../errors/errors.js';
import { type Attempt, startAttempt } from './attempt.js';
import type { AttemptOutcome } from './attempt-outcome.js';
import { isSuccessStatus } from './attempt-outcome.js';
import type { RequestOptions, ResolvedClientOptions } from './client-options.js';
import type { SendHooks } from './middleware.js';
import { retryDelay, shouldRetry, toAbortError } from './retry-policy.js';

/** @internal What a request's attempts share. */
export interface RetryPlan {
  options: RequestOptions;
  resolved: ResolvedClientOptions;
  logger: Logger;
  /** Turns any failure into the typed, key-scrubbed error of the attempt. */
  normalise: (error: unknown, attempt: Attempt) => unknown;
  /** Streams only: true once part of the answer reached the caller (then no retry). */
  handedOn?: () => boolean;
  hooks?: SendHooks | undefined;
}

function outcomeOf(attempt: Attempt, failure: unknown): AttemptOutcome {
  return Object.freeze({
    number: attempt.number,
    requestSent: attempt.requestSent,
    status: attempt.status,
    errorCode: failure === undefined ? undefined : ((failure as LoopguardError).code ?? 'unknown'),
    completed: failure === undefined,
  });
}

/** A failed attempt: its normalised error and what is known of it. */
class Failure {
  constructor(
    readonly error: unknown,
    readonly outcome: AttemptOutcome,
  ) {}
}

/**
 * Runs one attempt: resolves its value, or a `Failure` (the error normalised). One object per failure and
 * none per success besides the attempt itself: the first attempt of most requests is the only one.
 */
async function attemptOnce<T>(
  plan: RetryPlan,
  number: number,
  run: (attempt: Attempt) => Promise<T>,
): Promise<T | Failure> {
  const signal = plan.options.signal;
  if (signal?.aborted) throw toAbortError(signal.reason);
  const attempt = startAttempt(number, plan.options, plan.resolved, plan.handedOn !== undefined);
  let value: T;
  try {
    value = await run(attempt);
  } catch (caught) {
    const error = plan.normalise(caught, attempt);
    attempt.done();
    const outcome = outcomeOf(attempt, error);
    plan.hooks?.attemptEnded(outcome);
    return new Failure(error, outcome);
  }
  attempt.done();
  plan.hooks?.attemptEnded(outcomeOf(attempt, undefined));
  return value;
}

/** Waits `delay` ms, or throws the typed abort error as soon as the caller aborts. */
async function wait(delay: number, signal: AbortSignal | undefined): Promise<void> {
  await sleep(delay, undefined, signal ? { signal } : {}).catch(() => {
    throw toAbortError(signal?.reason);
  });
}

/** @internal Runs `run` once per attempt until it succeeds or the policy says stop; throws the last error. */
export async function withRetries<T>(plan: RetryPlan, run: (attempt: Attempt) => Promise<T>): Promise<T> {
  const maxRetries = plan.options.maxRetries ?? plan.resolved.maxRetries;
  const signal = plan.options.signal;
  for (let number = 1; ; number += 1) {
    const tried = await attemptOnce(plan, number, run);
    if (!(tried instanceof Failure)) return tried;
    const { error, outcome } = tried;
    const retry = shouldRetry({
      error,
      retriesLeft: maxRetries + 1 - number,
      handedOn: plan.handedOn?.() ?? false,
      aborted: signal?.aborted ?? false,
    });
    if (!retry) {
      if (signal?.aborted && !(error instanceof AbortedError)) throw toAbortError(signal.reason);
      throw error;
    }
    await plan.hooks?.onRetry({
      error,
      attemptNumber: number,
      responseStarted: isSuccessStatus(outcome.status),
      attempt: outcome,
    });
    const delay = retryDelay(error, number, plan.resolved.retryBaseDelayMs);
    const code = (error as LoopguardError).code;
    plan.logger.warn({ attempt: number, code, delayMs: Math.round(delay) }, 'retrying request');
    await wait(delay, signal);
  }
}
