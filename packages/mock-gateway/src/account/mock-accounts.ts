/**
 * `MockAccounts`: the mock gateway's accounts by key, each with its position in the `keys` option.
 * @module
 */
import { MockAccount, type MockAccountOptions } from './mock-account.js';

/** The key of the default account. */
export const DEFAULT_MOCK_KEY = 'sk-local-test';

/** The accounts of one gateway. */
export class MockAccounts {
  /** Accounts by key (what `gateway.accounts` shows). */
  readonly byKey = new Map<string, MockAccount>();
  readonly #indexes = new Map<string, number>();

  /** @param options the accounts; default one account `sk-local-test` with 1,000 credits. */
  constructor(options: MockAccountOptions[] = [{ key: DEFAULT_MOCK_KEY, credits: 1000 }]) {
    options.forEach((account, index) => {
      this.byKey.set(account.key, new MockAccount(account));
      this.#indexes.set(account.key, index);
    });
  }

  /** The position of `key` in the `keys` option, or -1. */
  indexOf(key: string): number {
    return this.#indexes.get(key) ?? -1;
  }

  /** Credits billed so far to every account together. */
  billed(): number {
    return [...this.byKey.values()].reduce((sum, account) => sum + account.spent, 0);
  }
}
