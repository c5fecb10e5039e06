/**
 * The gateway's prices, as its API page states them, and the rounding of `credits_consumed`.
 * @module
 */

/** Credits per 1M tokens for `claude-opus-4-6`. */
export const GATEWAY_PRICES = Object.freeze({ inputPerMillion: 500, outputPerMillion: 2500 });

/** Credits a call costs, unrounded: 20 in + 661 out → 1.6625. */
export function creditsFor(inputTokens: number, outputTokens: number): number {
  return (inputTokens * GATEWAY_PRICES.inputPerMillion + outputTokens * GATEWAY_PRICES.outputPerMillion) / 1_000_000;
}

/** Rounds to two decimals as the gateway reports `credits_consumed` (1.6625 → 1.66). */
export function roundCredits(credits: number): number {
  return Math.round(credits * 100) / 100;
}
