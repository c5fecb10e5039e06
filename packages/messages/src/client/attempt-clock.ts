/**
 * `AttemptClock`: the three time limits of one attempt — the whole attempt (`timeoutMs`), time to headers
 * (`headersTimeoutMs`) and, for a stream once its response began, the idle limit — kept by a single timer.
 * The timer is armed for the earliest moment a limit could pass; when it fires it checks the limits against
 * the clock and either aborts the attempt with the typed error of the limit that passed, or re-arms for the
 * next moment one could. A chunk of a stream only sets a flag — no timer work and no clock read per chunk (at
 * 7-byte chunks a clock read per chunk was a tenth of the whole client's time) — and once the headers came the
 * timer also fires every eighth of the idle limit (rounded up to whole ms, at least 1 ms), taking a flag it
 * finds as activity at that moment: the idle limit passes no later than that interval after one limit from
 * the last chunk, and never before it.
 * @module
 */
import { TimeoutError } from '../errors/errors.js';
import { keepShape } from '../internal/keep-shape.js';

/** @internal The limits of one attempt, in ms. */
export interface AttemptLimits {
  timeoutMs: number;
  headersTimeoutMs: number;
  /** Only for streams: the idle limit runs from the headers on. */
  idleTimeoutMs: number | undefined;
}

/** The longest delay Node's timers take (2³¹ − 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

function timeoutError(code: string, message: string): TimeoutError {
  return new TimeoutError(message, { code, retryable: true });
}

/** @internal One timer for every time limit of an attempt; it aborts `controller` when one passes. */
export class AttemptClock {
  readonly #controller: AbortController;
  readonly #limits: AttemptLimits;
  readonly #totalAt: number;
  readonly #headersAt: number;
  #timer: NodeJS.Timeout | undefined;
  /** When the timer fires (`performance.now()` time). */
  #armedAt = Number.POSITIVE_INFINITY;
  #headers = false;
  /**
   * The headers' time, or that of the last check that found `#touched`: never earlier than the last chunk
   * once `#touched` was read, which is why limits are only judged (`#passed`) in `#fire`, right after reading it.
   */
  #lastActivity = 0;
  /** Set by a chunk, cleared by the check that reads it. */
  #touched = false;
  /** How often the idle limit is checked once the headers came: an eighth of it, rounded up (at least 1 ms). */
  readonly #idleCheckMs: number;
  #stopped = false;

  constructor(controller: AbortController, limits: AttemptLimits) {
    this.#controller = controller;
    this.#limits = limits;
    const now = performance.now();
    this.#totalAt = now + limits.timeoutMs;
    this.#headersAt = now + limits.headersTimeoutMs;
    this.#idleCheckMs = Math.max(1, Math.ceil((limits.idleTimeoutMs ?? 0) / 8));
    // No idle window can close before one idle limit from now (the idle limit starts with the headers):
    // arming for it too means the headers never need the timer moved.
    const idleAt = limits.idleTimeoutMs === undefined ? Number.POSITIVE_INFINITY : now + limits.idleTimeoutMs;
    this.#arm(Math.min(this.#totalAt, this.#headersAt, idleAt) - now, now);
  }

  /** The headers arrived: the time-to-headers limit no longer applies; a stream's idle limit starts. */
  headersReceived(): void {
    this.#headers = true;
    const now = performance.now();
    this.#lastActivity = now;
    // The idle limit is checked every `#idleCheckMs` from now on: bring the timer forward.
    if (this.#limits.idleTimeoutMs !== undefined && !this.#stopped && this.#armedAt > now + this.#idleCheckMs) {
      clearTimeout(this.#timer);
      this.#arm(this.#idleCheckMs, now);
    }
  }

  /** Records stream activity for the idle limit (a flag: the timer reads it). */
  touch(): void {
    this.#touched = true;
  }

  /** Clears the timer; the clock never fires after this. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(delay: number, now: number): void {
    // A timer may fire a little before its time by the wall clock: at least 1 ms, then check again. Node sets
    // a delay over MAX_TIMER_MS to 1 ms (with a warning): a longer limit is reached in several arms.
    const ms = Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(delay)));
    this.#armedAt = now + ms;
    this.#timer = setTimeout(this.#fire, ms);
  }

  /**
   * The limit that passed first by `now`, if any (on a tie: the whole attempt, then the headers, then the
   * idle limit — the order their separate timers fired in before).
   */
  #passed(now: number): TimeoutError | undefined {
    const { timeoutMs, headersTimeoutMs, idleTimeoutMs } = this.#limits;
    const otherAt = this.#otherAt();
    if (now >= this.#totalAt && this.#totalAt <= otherAt)
      return timeoutError('timeout', `The request timed out after ${timeoutMs} ms.`);
    if (now < otherAt) return undefined;
    if (!this.#headers)
      return timeoutError('headers_timeout', `No response headers came within ${headersTimeoutMs} ms.`);
    return timeoutError('idle_timeout', `The stream was idle for ${idleTimeoutMs} ms.`);
  }

  /** When the limit other than the whole attempt's passes: the headers', else (a stream) the idle one's. */
  #otherAt(): number {
    if (!this.#headers) return this.#headersAt;
    const idle = this.#limits.idleTimeoutMs;
    return idle === undefined ? Number.POSITIVE_INFINITY : this.#lastActivity + idle;
  }

  /** When the timer next fires: the earliest limit, and while a stream's idle limit runs, its next check. */
  #nextAt(now: number): number {
    const at = Math.min(this.#totalAt, this.#otherAt());
    return this.#headers && this.#limits.idleTimeoutMs !== undefined ? Math.min(at, now + this.#idleCheckMs) : at;
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    if (this.#stopped) return;
    const now = performance.now();
    if (this.#touched) {
      // Activity since the last check, at most `#idleCheckMs` ago: counted as now, which is never too early.
      this.#touched = false;
      this.#lastActivity = now;
    }
    const error = this.#passed(now);
    if (error) this.#controller.abort(error);
    else this.#arm(this.#nextAt(now) - now, now);
  };
}

// Its hidden class outlives every stream's instances (`keepShape`): the one a stream's clock has once its
// headers came (a time in `#lastActivity` changes the hidden class the constructor's 0 gave it).
const kept = keepShape(
  new AttemptClock(new AbortController(), { timeoutMs: 1, headersTimeoutMs: 1, idleTimeoutMs: 1 }),
);
kept.headersReceived();
kept.stop();
