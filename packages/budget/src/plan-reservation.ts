/**
 * The reservation arithmetic, pure: what a request reserves from its input tokens, `max_tokens` and price
 * (`planReservation`), the ledger limits it must fit (`reservationLimits`), the `max_tokens` a smaller grant
 * still pays for (`clampMaxTokens`), and the words of a refusal (`refusalMessage`). How the input tokens are
 * counted (bound, anchored, estimate) is `ReservationPlanner`'s; the atomic check-and-take is the ledger's.
 * @module
 */
import { creditsForUsage, type ModelPrice } from '@loopguard/messages';
import type { ResolvedBudgetOptions } from './budget-options.js';
import type { LedgerLimits, ReserveResult } from './ledger.js';

/** What the arithmetic reads. */
export interface ReservationInput {
  inputTokens: number;
  maxTokens: number;
  /** The requested model's price. */
  price: ModelPrice;
  onExceed: 'stop' | 'clamp';
  /** The smallest reply `clamp` still sends, in output tokens. */
  minOutputTokens: number;
}

/** A request's reservation, in credits. */
export interface ReservationAmounts {
  inputCost: number;
  perOutputToken: number;
  /** Credits wanted: the input and `max_tokens` of output. */
  amount: number;
  /** The smallest grant accepted (`amount`, or with `onExceed: 'clamp'` the input and `minOutputTokens`). */
  minimum: number;
}

/** Input plus `max_tokens` of output at the model's price; the minimum is the whole unless clamping. */
export function planReservation(input: ReservationInput): ReservationAmounts {
  const { inputTokens, maxTokens, price, onExceed, minOutputTokens } = input;
  const inputCost = creditsForUsage({ input_tokens: inputTokens }, price);
  const perOutputToken = price.outputPerMillion / 1_000_000;
  const amount = inputCost + maxTokens * perOutputToken;
  const minimum = onExceed === 'clamp' ? inputCost + Math.min(maxTokens, minOutputTokens) * perOutputToken : amount;
  return { inputCost, perOutputToken, amount, minimum };
}

/** The `max_tokens` a grant smaller than the amount pays for after the input (at least 1). */
export function clampMaxTokens(
  amounts: Pick<ReservationAmounts, 'inputCost' | 'perOutputToken'>,
  granted: number,
): number {
  return Math.max(1, Math.floor((granted - amounts.inputCost) / amounts.perOutputToken));
}

/** The ledger limits of a budget's options, in credits. */
export function reservationLimits(
  options: Pick<ResolvedBudgetOptions, 'limit' | 'perRun' | 'hourly' | 'daily'>,
): LedgerLimits {
  return { total: options.limit, perRun: options.perRun, hourly: options.hourly, daily: options.daily };
}

/**
 * Why a reservation was refused, in words: what it needed and what the tightest limit leaves. `retry` words
 * the new reservation a possibly-billed attempt's retry takes.
 */
export function refusalMessage(
  refused: Extract<ReserveResult, { ok: false }>,
  requested: number,
  of: 'request' | 'retry' = 'request',
): string {
  const available = refused.available.toFixed(4);
  if (of === 'retry') return `A retry needs up to ${requested.toFixed(4)} credits but the budget leaves ${available}.`;
  const scope =
    refused.reason === 'limit'
      ? 'budget limit'
      : refused.reason === 'per_run'
        ? 'per-run limit'
        : 'rolling window limit';
  return `The request needs up to ${requested.toFixed(4)} credits but the ${scope} leaves ${available}.`;
}
