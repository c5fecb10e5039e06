/**
 * `AttemptOutcome`: what the client knows about one attempt of a request when it ends — whether the request
 * may have reached the server, and what status came back — so that middleware (the budget guard) can decide
 * from explicit values whether the gateway may have billed it.
 * @module
 */

/** What the client knows about one attempt when it ends; passed to `onRetry` and `onError` hooks. */
export interface AttemptOutcome {
  /** 1-based number of the attempt. */
  readonly number: number;
  /**
   * True once the request was handed to the network: from then on the server may have received it, and the
   * client cannot know otherwise. False only when it surely was not sent (aborted before sending, the
   * connection was refused or the host not found).
   */
  readonly requestSent: boolean;
  /** The HTTP status of the answer, when its headers arrived; `undefined` when none did. */
  readonly status: number | undefined;
  /** The `code` of the error that ended the attempt (`upstream_error`, `headers_timeout`, …); `undefined` when it succeeded. */
  readonly errorCode: string | undefined;
  /** True when the whole answer was read (a message came back). */
  readonly completed: boolean;
}

/** Error causes (Node's `error.cause.code`) that prove a connection was never made, so nothing was sent. */
export const NOT_SENT_CAUSES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** True for a 2xx status (an answer began). */
export function isSuccessStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}
