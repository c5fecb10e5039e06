/**
 * `PendingReservation`: the reservation of a request in flight, kept in the request's state from
 * `beforeRequest` until a hook settles or releases it, and the budget events that describe it.
 * @module
 */
import type { ModelPrice, RequestContext } from '@loopguard/messages';
import type { BillingRule } from './billing-outcome.js';
import type { BudgetEvents, InputRule } from './budget-events.js';
import type { BudgetSpan } from './internal/budget-span.js';
import type { PromptSnapshot } from './internal/conversation-anchors.js';
import type { ReserveRequest } from './ledger.js';

/** A reservation held for a request in flight. */
export interface PendingReservation {
  reservationId: string;
  runId: string;
  model: string;
  price: ModelPrice;
  /** Credits granted. */
  reserved: number;
  inputTokens: number;
  inputRule: InputRule;
  maxTokens: number;
  prompt: PromptSnapshot;
  rawEstimate: number | undefined;
  /** What was asked of the ledger, to ask again for a retry. */
  request: Omit<ReserveRequest, 'id' | 'now'>;
  /** The request's span, where reservations and settlements are written. */
  span: BudgetSpan;
}

const stateKey = Symbol('loopguard.budget');

/** Keeps `pending` in the request's state. */
export function holdPending(context: RequestContext, pending: PendingReservation): void {
  context.state.set(stateKey, pending);
}

/** The request's pending reservation, left in place. */
export function peekPending(context: RequestContext): PendingReservation | undefined {
  return context.state.get(stateKey) as PendingReservation | undefined;
}

/** The request's pending reservation, taken out of its state (so it is counted once). */
export function takePending(context: RequestContext): PendingReservation | undefined {
  const pending = peekPending(context);
  context.state.delete(stateKey);
  return pending;
}

/** The `reserve` event of `pending`; `clampedFrom` is the `max_tokens` asked when a smaller grant clamped it. */
export function reserveEvent(
  pending: PendingReservation,
  clampedFrom?: number,
): Parameters<BudgetEvents['reserve']>[0] {
  return {
    reservationId: pending.reservationId,
    runId: pending.runId,
    model: pending.model,
    credits: pending.reserved,
    inputTokens: pending.inputTokens,
    inputRule: pending.inputRule,
    maxTokens: pending.maxTokens,
    ...(clampedFrom !== undefined ? { clampedFrom } : {}),
  };
}

/** The `settle` event of `pending` settled at `credits`. */
export function settleEvent(
  pending: PendingReservation,
  credits: number,
  possiblyBilled: boolean,
  rule: BillingRule,
): Parameters<BudgetEvents['settle']>[0] {
  const { reservationId, runId, model, reserved } = pending;
  return { reservationId, runId, model, reserved, credits, possiblyBilled, rule };
}

/** The `release` event of `pending`. */
export function releaseEvent(pending: PendingReservation, rule: BillingRule): Parameters<BudgetEvents['release']>[0] {
  const { reservationId, runId, reserved } = pending;
  return { reservationId, runId, reserved, rule };
}
