/**
 * `MinBalance`: the `minBalance` option at work — reads the gateway's balance (`GET /credits`) and refuses
 * with `BudgetExceededError` `balance` when it is below the minimum; checked once per run.
 * @module
 */
import type { MiddlewareHost } from '@loopguard/messages';
import type { BudgetEvents } from './budget-events.js';
import { BudgetExceededError } from './budget-exceeded-error.js';

/** Checks a balance against a minimum, remembering each run's check. */
export class MinBalance {
  readonly #minimum: number;
  readonly #onLow: BudgetEvents['exceeded'];
  readonly #checked = new Map<string, Promise<void>>();

  /** @param minimum credits; `onLow` is told of a balance below it (the `exceeded` event). */
  constructor(minimum: number, onLow: BudgetEvents['exceeded']) {
    this.#minimum = minimum;
    this.#onLow = onLow;
  }

  /** Reads the balance through `host` and refuses when it is below the minimum; returns it otherwise. */
  async check(host: MiddlewareHost | undefined, runId: string): Promise<number> {
    if (!host)
      throw new BudgetExceededError(
        'balance',
        'Reading the balance needs the budget installed on a client: client.use(budget).',
      );
    const { credits } = await host.getCredits();
    const minimum = this.#minimum;
    if (credits < minimum) {
      this.#onLow({ reason: 'balance', runId, requested: minimum, available: credits });
      throw new BudgetExceededError(
        'balance',
        `The gateway balance is ${credits} credits, below minBalance ${minimum}.`,
        { requested: minimum, available: credits },
      );
    }
    return credits;
  }

  /** Checks once per run: later requests of the run wait for (and share) the first check. */
  async once(host: MiddlewareHost | undefined, runId: string): Promise<void> {
    let check = this.#checked.get(runId);
    if (!check) {
      check = this.check(host, runId).then(() => undefined);
      this.#checked.set(runId, check);
    }
    await check;
  }
}
