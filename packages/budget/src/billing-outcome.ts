/**
 * The billing rule by outcome: from what the client knows of an attempt, whether the gateway billed it, may
 * have billed it, or surely did not. A pure function of explicit values, written down as a table in
 * docs/budgets.md. The rule errs one way only: an attempt that may have reached the gateway counts until
 * its outcome proves it was not billed.
 * @module
 */
import type { AttemptOutcome } from '@loopguard/messages';

/** How an attempt counts against a budget. */
export type BillingVerdict =
  /** A whole message came back: settle at what it cost. */
  | 'billed'
  /** It may have been billed and its cost is unknown: settle the whole reservation, marked `possiblyBilled`. */
  | 'possibly_billed'
  /** It surely was not billed: release the reservation. */
  | 'not_billed';

/** A verdict and the outcome-table row it comes from. */
export interface BillingDecision {
  verdict: BillingVerdict;
  /** Which row of the outcome table decided (`not_sent`, `client_error`, `refunded`, `completed`, …). */
  rule: BillingRule;
}

/** The rows of the outcome table, in the order they are tried. */
export type BillingRule =
  | 'no_attempt'
  | 'not_sent'
  | 'completed'
  | 'client_error'
  | 'refunded'
  | 'answer_broke_off'
  | 'server_error'
  | 'no_answer';

/** What the rule reads of an attempt. */
export type BilledAttempt = Pick<AttemptOutcome, 'requestSent' | 'status' | 'errorCode' | 'completed'>;

/** The gateway's error code for a 503 whose credits it refunds. */
export const REFUNDED_ERROR_CODE = 'upstream_error';

/**
 * Decides how an attempt counts. `undefined` (no attempt was made) and a request that was surely never sent
 * are not billed; a complete message is billed at its cost; a 4xx (answered before any work: bad request,
 * auth, 402, 429 rate or spend limit) and a 503 `upstream_error` (refunded) are not billed; anything else
 * after sending — a 2xx that broke off, another 5xx, no answer at all (timeout, reset, abort) — may have been.
 */
export function billingOutcome(attempt: BilledAttempt | undefined): BillingDecision {
  if (attempt === undefined) return { verdict: 'not_billed', rule: 'no_attempt' };
  const { requestSent, status, errorCode, completed } = attempt;
  if (!requestSent) return { verdict: 'not_billed', rule: 'not_sent' };
  if (completed) return { verdict: 'billed', rule: 'completed' };
  if (status === undefined) return { verdict: 'possibly_billed', rule: 'no_answer' };
  if (status >= 400 && status < 500) return { verdict: 'not_billed', rule: 'client_error' };
  if (status === 503 && errorCode === REFUNDED_ERROR_CODE) return { verdict: 'not_billed', rule: 'refunded' };
  if (status >= 200 && status < 300) return { verdict: 'possibly_billed', rule: 'answer_broke_off' };
  return { verdict: 'possibly_billed', rule: 'server_error' };
}
