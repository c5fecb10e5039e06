/**
 * `startAttempt`: one attempt's abort plumbing — a single controller aborted by the caller's signal, the
 * whole-attempt limit (`timeoutMs`), the time-to-headers limit and, once the response began, the idle limit —
 * and what the attempt learns as it goes (sent? which status?). `done()` clears every timer and listener.
 * @module
 */
import { TimeoutError } from '../errors/errors.js';
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

/** A timer that aborts `controller` with a retryable `TimeoutError` of `code`. */
function abortAfter(controller: AbortController, ms: number, code: string, message: string): NodeJS.Timeout {
  return setTimeout(() => controller.abort(new TimeoutError(message, { code, retryable: true })), ms);
}

/**
 * The idle limit of a stream. A chunk only records when it came; the timer, when it fires, re-arms for what
 * is left of the idle window (re-arming a timer per chunk would cost more than decoding a small chunk).
 */
function idleWatch(controller: AbortController, idleTimeoutMs: number): { touch(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let lastActivity = 0;
  const check = (): void => {
    const idleFor = Date.now() - lastActivity;
    if (idleFor < idleTimeoutMs) {
      timer = setTimeout(check, idleTimeoutMs - idleFor);
      return;
    }
    const error = new TimeoutError(`The stream was idle for ${idleTimeoutMs} ms.`, {
      code: 'idle_timeout',
      retryable: true,
    });
    controller.abort(error);
  };
  return {
    touch() {
      lastActivity = Date.now();
      timer ??= setTimeout(check, idleTimeoutMs);
    },
    stop: () => clearTimeout(timer),
  };
}

/** @internal Starts attempt `number` of a request with `options` over the client's `resolved` options. */
export function startAttempt(
  number: number,
  options: RequestOptions,
  resolved: ResolvedClientOptions,
  streaming: boolean,
): Attempt {
  const controller = new AbortController();
  const caller = options.signal;
  const onAbort = (): void => controller.abort(toAbortError(caller?.reason));
  caller?.addEventListener('abort', onAbort, { once: true });
  const timeoutMs = options.timeoutMs ?? resolved.timeoutMs;
  const total = abortAfter(controller, timeoutMs, 'timeout', `The request timed out after ${timeoutMs} ms.`);
  const headersTimeoutMs = options.headersTimeoutMs ?? resolved.headersTimeoutMs;
  const headers = abortAfter(
    controller,
    headersTimeoutMs,
    'headers_timeout',
    `No response headers came within ${headersTimeoutMs} ms.`,
  );
  const idle = idleWatch(controller, options.idleTimeoutMs ?? resolved.idleTimeoutMs);
  // The idle limit starts with the response: a server still working before its headers is the
  // time-to-headers limit's business, not the idle one's.
  let started = false;
  const touch = (): void => {
    if (streaming && started) idle.touch();
  };
  return {
    number,
    signal: controller.signal,
    requestSent: false,
    status: undefined,
    headersReceived() {
      clearTimeout(headers);
      started = true;
      touch();
    },
    touch,
    done() {
      clearTimeout(total);
      clearTimeout(headers);
      idle.stop();
      caller?.removeEventListener('abort', onAbort);
    },
  };
}
