/**
 * `BudgetReconciler`: the stateful shell of `budget.reconcile()`. It keeps the baseline and the
 * possibly-billed spend a guard settled, reads the balance and the ledger, lets `reconcileCorrection` decide,
 * and settles the correction as a `reconcile:<uuid>` entry. Calls are run one at a time.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { ConfigurationError } from '@loopguard/messages';
import type { Ledger } from './ledger.js';
import { type ReconcileBaseline, type ReconcileResult, reconcileCorrection } from './reconcile-correction.js';

/** Options of `budget.reconcile()`. */
export interface ReconcileOptions {
  /**
   * How long after the last possibly-billed attempt the ledger may be lowered: the gateway may still bill work
   * it was doing when the client gave up. @default 600_000 (10 minutes, the default `headersTimeoutMs`)
   */
  quietMs?: number;
  /** Record a new baseline instead of correcting (after a top-up, which would look like a refund). @default false */
  baseline?: boolean;
}

/** Reconciles one guard's ledger with the gateway's balance. */
export class BudgetReconciler {
  readonly #ledger: Ledger;
  readonly #now: () => number;
  #baseline: ReconcileBaseline | undefined;
  #possiblyBilled = 0;
  #lastPossiblyBilledAt: number | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(ledger: Ledger, now: () => number) {
    this.#ledger = ledger;
    this.#now = now;
  }

  /** Possibly-billed spend settled and not reconciled yet, in credits. */
  get possiblyBilled(): number {
    return this.#possiblyBilled;
  }

  /** Records a possibly-billed settlement of `credits` at `at`. */
  notePossiblyBilled(credits: number, at: number): void {
    this.#possiblyBilled += credits;
    this.#lastPossiblyBilledAt = at;
  }

  /** Reconciles with the balance `readBalance` returns; see `BudgetGuard.reconcile`. */
  reconcile(readBalance: () => Promise<number>, options: ReconcileOptions = {}): Promise<ReconcileResult> {
    const run = this.#queue.then(() => this.#once(readBalance, options));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #once(readBalance: () => Promise<number>, options: ReconcileOptions): Promise<ReconcileResult> {
    const quietMs = options.quietMs ?? 600_000;
    if (typeof quietMs !== 'number' || !(quietMs >= 0))
      throw new ConfigurationError('`reconcile({ quietMs })` must be a number >= 0.', { code: 'invalid_option' });
    const balance = await readBalance();
    const now = this.#now();
    const totals = await this.#ledger.totals(now);
    const none = { balance, billed: 0, counted: 0, correction: 0 };
    if (!this.#baseline || options.baseline) {
      if (totals.outstanding > 0) return { ...none, status: 'deferred', reason: 'in_flight' };
      this.#baseline = { balance, spent: totals.spent, at: now };
      this.#possiblyBilled = 0;
      return { ...none, status: 'baseline' };
    }
    const result = reconcileCorrection({
      baseline: this.#baseline,
      balance,
      spent: totals.spent,
      outstanding: totals.outstanding,
      possiblyBilled: this.#possiblyBilled,
      lastPossiblyBilledAt: this.#lastPossiblyBilledAt,
      now,
      quietMs,
    });
    if (result.status === 'corrected') {
      await this.#ledger.settle(`reconcile:${randomUUID()}`, result.correction, now);
      if (result.correction < 0) this.#possiblyBilled += result.correction;
    }
    return result;
  }
}
