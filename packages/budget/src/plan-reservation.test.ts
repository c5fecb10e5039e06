import { describe, expect, it } from 'vitest';
import { clampMaxTokens, planReservation, refusalMessage, reservationLimits } from './plan-reservation.js';

const price = { inputPerMillion: 500, outputPerMillion: 2500 };

describe('planReservation (the reservation arithmetic, pure)', () => {
  it('Should reserve the input plus max_tokens of output at the price, the whole amount as minimum unless clamping', () => {
    const stop = planReservation({ inputTokens: 2000, maxTokens: 1000, price, onExceed: 'stop', minOutputTokens: 64 });
    expect(stop).toEqual({ inputCost: 1, perOutputToken: 0.0025, amount: 3.5, minimum: 3.5 });
    const clamp = planReservation({
      inputTokens: 2000,
      maxTokens: 1000,
      price,
      onExceed: 'clamp',
      minOutputTokens: 64,
    });
    expect(clamp.minimum).toBeCloseTo(1 + 64 * 0.0025, 12);
    // A max_tokens below minOutputTokens is its own minimum.
    const small = planReservation({ inputTokens: 2000, maxTokens: 10, price, onExceed: 'clamp', minOutputTokens: 64 });
    expect(small.minimum).toBe(small.amount);
  });

  it('Should clamp max_tokens to what a smaller grant pays for after the input, never below 1', () => {
    const amounts = { inputCost: 1, perOutputToken: 0.0025 };
    expect(clampMaxTokens(amounts, 1.5)).toBe(200);
    expect(clampMaxTokens(amounts, 1.5024)).toBe(200);
    expect(clampMaxTokens(amounts, 1)).toBe(1);
  });

  it('Should pass the limits of the options to the ledger, and word a refusal by its tightest limit', () => {
    expect(reservationLimits({ limit: 10, perRun: 2, hourly: undefined, daily: 5 })).toEqual({
      total: 10,
      perRun: 2,
      hourly: undefined,
      daily: 5,
    });
    expect(refusalMessage({ ok: false, reason: 'per_run', available: 0.5 }, 1.25)).toBe(
      'The request needs up to 1.2500 credits but the per-run limit leaves 0.5000.',
    );
    expect(refusalMessage({ ok: false, reason: 'window', available: 0 }, 1, 'retry')).toBe(
      'A retry needs up to 1.0000 credits but the budget leaves 0.0000.',
    );
  });
});
