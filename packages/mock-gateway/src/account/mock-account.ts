/**
 * One key's account on the mock gateway: balance, spend log, spend limits, rate limit, IP allowlist.
 * @module
 */

/** Rolling spend limits, in credits. `hourly` and `daily` are rolling windows; `total` is for the key's life. */
export interface SpendLimits {
  hourly?: number;
  daily?: number;
  total?: number;
}

/** How an account is configured. */
export interface MockAccountOptions {
  /** The key, `sk-…`. */
  key: string;
  /** Starting balance in credits. @default 1000 */
  credits?: number;
  spendLimits?: SpendLimits;
  /** Client IPs allowed to use the key (`127.0.0.1`, `::1`, …); any when absent. */
  ipAllowlist?: string[];
  /** At most `requests` per rolling `windowMs`. */
  rateLimit?: { requests: number; windowMs: number };
  /** A disabled key is answered 401. */
  disabled?: boolean;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An account's live state. Read `credits` and `spent` in tests; `charges` is the spend log. */
export class MockAccount {
  readonly key: string;
  credits: number;
  spent = 0;
  readonly charges: Array<{ at: number; credits: number }> = [];
  readonly spendLimits: SpendLimits;
  readonly ipAllowlist: string[] | undefined;
  readonly rateLimit: { requests: number; windowMs: number } | undefined;
  disabled: boolean;
  readonly #requestTimes: number[] = [];

  constructor(options: MockAccountOptions) {
    this.key = options.key;
    this.credits = options.credits ?? 1000;
    this.spendLimits = { ...(options.spendLimits ?? {}) };
    this.ipAllowlist = options.ipAllowlist;
    this.rateLimit = options.rateLimit;
    this.disabled = options.disabled ?? false;
  }

  /** Credits spent in the last `windowMs` before `now`. */
  spentWithin(windowMs: number, now: number): number {
    let sum = 0;
    for (const charge of this.charges) if (charge.at > now - windowMs) sum += charge.credits;
    return sum;
  }

  /** The first spend limit that is reached, if any. */
  reachedLimit(now: number): 'hourly' | 'daily' | 'total' | undefined {
    const { hourly, daily, total } = this.spendLimits;
    if (total !== undefined && this.spent >= total) return 'total';
    if (daily !== undefined && this.spentWithin(DAY, now) >= daily) return 'daily';
    if (hourly !== undefined && this.spentWithin(HOUR, now) >= hourly) return 'hourly';
    return undefined;
  }

  /** Counts a request against the rate limit; returns ms to wait when over it. */
  takeRateLimit(now: number): number | undefined {
    if (!this.rateLimit) return undefined;
    const { requests, windowMs } = this.rateLimit;
    while (this.#requestTimes.length > 0 && (this.#requestTimes[0] ?? 0) <= now - windowMs) this.#requestTimes.shift();
    if (this.#requestTimes.length >= requests) return Math.max(1, (this.#requestTimes[0] ?? now) + windowMs - now);
    this.#requestTimes.push(now);
    return undefined;
  }

  /** Charges a call. */
  charge(credits: number, now: number): void {
    this.credits -= credits;
    this.spent += credits;
    this.charges.push({ at: now, credits });
  }
}
