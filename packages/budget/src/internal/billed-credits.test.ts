import { describe, expect, it } from 'vitest';
import { billedCredits } from './billed-credits.js';

const opus = { inputPerMillion: 500, outputPerMillion: 2500 };

describe('billedCredits', () => {
  it("Should settle the seed's example at 1.6625, not the rounded 1.66 it reports", () => {
    expect(billedCredits({ usage: { input_tokens: 20, output_tokens: 661 }, credits_consumed: 1.66 }, opus)).toBe(
      1.6625,
    );
  });

  it('Should keep credits_consumed when it is the larger figure, and price the usage when it is absent', () => {
    expect(billedCredits({ usage: { input_tokens: 1, output_tokens: 1 }, credits_consumed: 0.01 }, opus)).toBe(0.01);
    expect(billedCredits({ usage: { input_tokens: 2000, output_tokens: 0 } }, opus)).toBe(1);
  });

  it('Should count cache tokens as Anthropic prices them', () => {
    const usage = {
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 1000,
      cache_read_input_tokens: 1000,
    };
    expect(billedCredits({ usage }, opus)).toBeCloseTo(0.5 * 1.25 + 0.5 * 0.1, 12);
  });

  it('Should say the cost is unknown when the usage is not a set of counts', () => {
    expect(billedCredits({ usage: { input_tokens: -5, output_tokens: 1 } }, opus)).toBeUndefined();
    expect(billedCredits({ usage: { input_tokens: Number.NaN, output_tokens: 1 } }, opus)).toBeUndefined();
    expect(billedCredits({ usage: { input_tokens: '9' as never, output_tokens: 1 } }, opus)).toBeUndefined();
    expect(billedCredits({ usage: null as never }, opus)).toBeUndefined();
  });
});
