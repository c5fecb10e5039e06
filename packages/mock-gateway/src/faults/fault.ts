/**
 * Fault injection, the data: rules that pick requests (the nth, every nth, or with a seeded probability) and
 * the failure to inject (`createFaultPicker` picks, `applyFault` injects). The mock bills what the real
 * gateway would: a fault answered before any work (an error status, a plain `reset`) is not charged; once the
 * model has run (`cut`, `stall`, `malformed`, a `reset` with `billed`), the whole cost is charged when the
 * reply is made, whether or not the client is still there to read it.
 * @module
 */

/** A failure the mock gateway can inject. */
export type Fault =
  /** An HTTP error with the gateway's error body (and optional `retry-after`, in seconds). */
  | { type: 'status'; status: number; code?: string; message?: string; retryAfterSeconds?: number }
  /**
   * Destroys the connection before any header is sent. Plain, before the model runs (not charged); with
   * `billed`, after the body was received and the reply made and charged, as a gateway whose answer is lost
   * on the way back.
   */
  | { type: 'reset'; billed?: boolean }
  /** Sends a stream's first `afterEvents` events, then closes the connection (a non-streaming body is cut in half). */
  | { type: 'cut'; afterEvents: number }
  /**
   * Sends nothing for `ms` milliseconds, then answers normally (charged when the reply is made, before the
   * stall). Where: before the headers with `beforeHeaders` (always, for a non-streamed answer); otherwise
   * after the headers and the first `afterEvents` events of a stream (default 1).
   */
  | { type: 'stall'; ms: number; afterEvents?: number; beforeHeaders?: boolean }
  /** Inserts a malformed SSE data line after `afterEvents` events (a non-streaming body is not JSON). */
  | { type: 'malformed'; afterEvents?: number };

/** Which requests a rule applies to. All given conditions must hold. */
export interface FaultRule {
  /** 1-based numbers of `POST /messages` requests this rule hits. */
  nth?: number | number[];
  /** Hits every request whose number is a multiple of this. */
  every?: number;
  /** Hits a request with this probability, drawn from the seeded generator. */
  probability?: number;
  /** Only streamed (`true`) or only non-streamed (`false`) requests. */
  stream?: boolean;
  fault: Fault;
}

/** Fault options of the mock gateway. */
export interface FaultOptions {
  rules: FaultRule[];
  /** Seed of the probability draws. @default 1 */
  seed?: number;
}
