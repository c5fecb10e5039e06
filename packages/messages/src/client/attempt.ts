/**
 * `startAttempt`: one attempt's abort plumbing — a single controller aborted by the caller's signal and by
 * the attempt's time limits (one timer for all of them: attempt-clock.ts) — and what the attempt learns as
 * it goes (sent? which status?). `done()` clears the timer and the listener on the caller's signal.
 * @module
 */
import { AttemptClock } from './attempt-clock.js';
import type { RequestOptions, ResolvedClientOptions } from './client-options.js';
import { toAbortError } from './retry-policy.js';

/** @internal One attempt of a request. */
export interface Attempt {
  /** 1 for the first attempt. */
  readonly number: number;
  /** Aborts the attempt: the caller's abort, or a time limit (its reason is the typed error). */
  readonly signal: AbortSignal;
  /** Set when the request is handed to the network; cleared again when the connection surely never opened. */
  requestSent: boolean;
  /** The status of the answer, once its headers arrived. */
  status: number | undefined;
  /** The headers arrived: stops the time-to-headers limit and starts the idle one. */
  headersReceived(): void;
  /** Records stream activity for the idle limit (streams only). */
  touch(): void;
  /** Clears the attempt's timers and its listener on the caller's signal. */
  done(): void;
}

/** The listener options of the caller's signal, made once. */
const ONCE: AddEventListenerOptions = Object.freeze({ once: true });

/** An attempt as it runs: its controller, its clock, its listener on the caller's signal. */
class RunningAttempt implements Attempt {
  readonly number: number;
  readonly signal: AbortSignal;
  requestSent = false;
  status: number | undefined = undefined;
  readonly #clock: AttemptClock;
  readonly #caller: AbortSignal | undefined;
  readonly #onAbort: (() => void) | undefined;

  constructor(number: number, options: RequestOptions, resolved: ResolvedClientOptions, streaming: boolean) {
    const controller = new AbortController();
    this.number = number;
    this.signal = controller.signal;
    const caller = options.signal;
    if (caller) {
      this.#caller = caller;
      this.#onAbort = (): void => controller.abort(toAbortError(caller.reason));
      caller.addEventListener('abort', this.#onAbort, ONCE);
    }
    this.#clock = new AttemptClock(controller, {
      timeoutMs: options.timeoutMs ?? resolved.timeoutMs,
      headersTimeoutMs: options.headersTimeoutMs ?? resolved.headersTimeoutMs,
      idleTimeoutMs: streaming ? (options.idleTimeoutMs ?? resolved.idleTimeoutMs) : undefined,
    });
  }

  headersReceived(): void {
    this.#clock.headersReceived();
  }

  /** A bound function: streams pass it on as their per-chunk callback. */
  readonly touch = (): void => this.#clock.touch();

  done(): void {
    this.#clock.stop();
    if (this.#onAbort) this.#caller?.removeEventListener('abort', this.#onAbort);
  }
}

/** @internal Starts attempt `number` of a request with `options` over the client's `resolved` options. */
export function startAttempt(
  number: number,
  options: RequestOptions,
  resolved: ResolvedClientOptions,
  streaming: boolean,
): Attempt {
  return new RunningAttempt(number, options, resolved, streaming);
}
