import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/errors.js';
import { creditsForUsage, creditsOfMessage, DEFAULT_PRICES, priceOf, USD_PER_CREDIT } from './pricing.js';

describe('pricing', () => {
  it("Should price the seed's example at 1.6625 credits and prefer credits_consumed when present", () => {
    const usage = { input_tokens: 20, output_tokens: 661 };
    expect(creditsForUsage(usage, priceOf('claude-opus-4-6'))).toBeCloseTo(1.6625, 10);
    expect(creditsOfMessage({ model: 'claude-opus-4-6', usage, credits_consumed: 1.66 })).toBe(1.66);
    expect(creditsOfMessage({ model: 'claude-opus-4-6', usage })).toBeCloseTo(1.6625, 10);
    expect(500 * USD_PER_CREDIT).toBe(2.5);
  });

  it('Should price cache writes at 1.25x and cache reads at 0.1x the input price', () => {
    const price = DEFAULT_PRICES['claude-opus-4-6']!;
    const credits = creditsForUsage(
      { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 1_000_000, cache_read_input_tokens: 1_000_000 },
      price,
    );
    expect(credits).toBeCloseTo(500 * 1.25 + 500 * 0.1, 10);
  });

  it('Should refuse a model with no price, naming it', () => {
    expect(() => priceOf('mystery-model')).toThrow(ConfigurationError);
    expect(() => priceOf('mystery-model')).toThrow(/mystery-model/);
  });
});
