import { describe, expect, it } from 'vitest';
import { type ReconcileInput, reconcileCorrection } from './reconcile-correction.js';

const base: ReconcileInput = {
  baseline: { balance: 100, spent: 10, at: 0 },
  balance: 95,
  spent: 15,
  outstanding: 0,
  possiblyBilled: 0,
  lastPossiblyBilledAt: undefined,
  now: 1_000_000,
  quietMs: 1000,
};

describe('reconcileCorrection', () => {
  it('Should be in sync when the gateway billed what the ledger counted', () => {
    expect(reconcileCorrection(base)).toMatchObject({ status: 'in_sync', billed: 5, counted: 5, correction: 0 });
  });

  it('Should lower the ledger by possibly-billed spend the gateway did not bill, never by more', () => {
    const input = { ...base, spent: 18, possiblyBilled: 3, lastPossiblyBilledAt: 0 };
    expect(reconcileCorrection(input)).toMatchObject({ status: 'corrected', correction: -3 });
    expect(reconcileCorrection({ ...input, spent: 30 })).toMatchObject({ status: 'corrected', correction: -3 });
    expect(reconcileCorrection({ ...input, possiblyBilled: 0 })).toMatchObject({ status: 'in_sync', correction: 0 });
  });

  it('Should raise the ledger when the gateway billed more, at once', () => {
    expect(reconcileCorrection({ ...base, balance: 90 })).toMatchObject({ status: 'corrected', correction: 5 });
  });

  it('Should defer while requests are in flight, or while a possibly-billed attempt is recent', () => {
    expect(reconcileCorrection({ ...base, outstanding: 1, balance: 90 })).toMatchObject({
      status: 'deferred',
      reason: 'in_flight',
      correction: 0,
    });
    const recent = { ...base, spent: 18, possiblyBilled: 3, lastPossiblyBilledAt: base.now - 10 };
    expect(reconcileCorrection(recent)).toMatchObject({ status: 'deferred', reason: 'too_recent', correction: 0 });
  });
});
