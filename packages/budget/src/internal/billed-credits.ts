/**
 * What a message cost, for settling its reservation: the larger of the gateway's `credits_consumed` (rounded
 * to two decimals: 20 in + 661 out = 1.6625 is reported 1.66) and the price of the usage it reported, at
 * the price of the model the request named (a response may name another id, e.g. a dated one).
 * @module
 */
import { creditsForUsage, type Message, type ModelPrice } from '@loopguard/messages';

const USAGE_FIELDS = [
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
] as const;

function isCount(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'number' && Number.isFinite(value) && value >= 0);
}

/**
 * Credits to settle for `message`, priced at `price` (the requested model's): never below the reported
 * `credits_consumed` nor the price of the reported usage. `undefined` when the usage is not a set of
 * counts (missing, negative, not numbers): the cost is then unknown.
 */
export function billedCredits(
  message: Pick<Message, 'usage' | 'credits_consumed'>,
  price: ModelPrice,
): number | undefined {
  const usage = message.usage as unknown as Record<string, unknown> | undefined;
  if (typeof usage !== 'object' || usage === null || !USAGE_FIELDS.every((field) => isCount(usage[field])))
    return undefined;
  const priced = creditsForUsage(message.usage, price);
  const reported = message.credits_consumed;
  const consumed = typeof reported === 'number' && Number.isFinite(reported) && reported > 0 ? reported : 0;
  return Math.max(consumed, priced);
}
