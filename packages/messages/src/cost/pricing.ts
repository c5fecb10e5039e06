/**
 * Prices per model, in credits per 1M tokens, and the cost of a response. The gateway bills in credits
 * (1 credit = $0.005); a non-streaming response says what it charged in `credits_consumed`, which is the
 * truth where present; otherwise the cost is computed from `usage`, with cache tokens priced as Anthropic
 * does (write 1.25×, read 0.1× the input price).
 * @module
 */

import { ConfigurationError } from '../errors/errors.js';
import { DEFAULT_MODEL } from '../protocol/defaults.js';
import type { Message, Usage } from '../protocol/types.js';

/** The price of one model. */
export interface ModelPrice {
  /** Credits per 1M input tokens. */
  inputPerMillion: number;
  /** Credits per 1M output tokens. */
  outputPerMillion: number;
  /** Multiplier of the input price for cache writes. @default 1.25 */
  cacheWriteMultiplier?: number;
  /** Multiplier of the input price for cache reads. @default 0.1 */
  cacheReadMultiplier?: number;
}

/** Prices by model name. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** US dollars per credit at the gateway's prices ($2.50 / 500 credits). */
export const USD_PER_CREDIT = 0.005;

/** The gateway's prices: `claude-opus-4-6` at 500 / 2500 credits per 1M input / output tokens. */
export const DEFAULT_PRICES: PriceTable = Object.freeze({
  'claude-opus-4-6': Object.freeze({ inputPerMillion: 500, outputPerMillion: 2500 }),
});

/** The price of `model` in `table`; throws `ConfigurationError` naming the model when it has none. */
export function priceOf(model: string, table: PriceTable = DEFAULT_PRICES): ModelPrice {
  const price = table[model];
  if (!price) {
    throw new ConfigurationError(
      `No price for model "${model}": add it to \`pricing\` (credits per 1M input/output tokens).`,
      { code: 'unknown_model_price' },
    );
  }
  return price;
}

/** Credits for a usage at a price, unrounded. */
export function creditsForUsage(usage: Partial<Usage>, price: ModelPrice): number {
  const input = price.inputPerMillion / 1_000_000;
  const output = price.outputPerMillion / 1_000_000;
  return (
    (usage.input_tokens ?? 0) * input +
    (usage.cache_creation_input_tokens ?? 0) * input * (price.cacheWriteMultiplier ?? 1.25) +
    (usage.cache_read_input_tokens ?? 0) * input * (price.cacheReadMultiplier ?? 0.1) +
    (usage.output_tokens ?? 0) * output
  );
}

/** What a message cost: its `credits_consumed` when the gateway sent it, else the price table on its usage. */
export function creditsOfMessage(
  message: Pick<Message, 'model' | 'usage' | 'credits_consumed'>,
  table: PriceTable = DEFAULT_PRICES,
  fallbackModel = DEFAULT_MODEL,
): number {
  if (typeof message.credits_consumed === 'number' && Number.isFinite(message.credits_consumed))
    return message.credits_consumed;
  return creditsForUsage(message.usage, priceOf(message.model || fallbackModel, table));
}
