/**
 * Options of `createBudget`, their defaults, and validation with messages that name the field.
 * Amounts are `{ credits }` or `{ usd }` (1 credit = $0.005 at the gateway's prices).
 * @module
 */
import { ConfigurationError, DEFAULT_PRICES, type PriceTable, USD_PER_CREDIT } from '@loopguard/messages';
import type { Ledger } from './ledger.js';

/** An amount of money. */
export type Amount = { credits: number } | { usd: number };

/** Options of `createBudget`. */
export interface BudgetOptions {
  /** The cap on everything spent through this budget's ledger. */
  limit: Amount;
  /** The cap of one agent run (requests sharing a `runId`). */
  perRun?: Amount;
  /** Rolling caps, mirroring the gateway's key spend limits. */
  windows?: { hourly?: Amount; daily?: Amount };
  /**
   * Prices per model, by the model id a request names; a request naming a model without a price is refused
   * before it is sent. @default the gateway's prices (claude-opus-4-6: 500 / 2500 credits per 1M tokens)
   */
  pricing?: PriceTable;
  /** Where spend is kept. @default memoryLedger() */
  ledger?: Ledger;
  /** Refuse to start a run when the balance read from `GET /credits` is below this. */
  minBalance?: Amount;
  /** `stop`: refuse a request that does not fit. `clamp`: lower its `max_tokens` to fit, stop only when a minimal reply does not. @default 'stop' */
  onExceed?: 'stop' | 'clamp';
  /** The smallest reply `clamp` still sends, in output tokens. @default 64 */
  minOutputTokens?: number;
  /**
   * How a request's input tokens are reserved. `bound`: a true upper bound — the UTF-8 bytes of the prompt
   * (images at their maximum, tools with the tool-use system prompt), or, when the run's previous prompt is
   * its start, the input the gateway reported for it plus the bytes of what is new. `estimate`: characters /
   * `charsPerToken`, calibrated by reported counts — cheaper to reserve but not a bound (text at ~1 token
   * per character, e.g. CJK or base64, is under-reserved), so the cap may be passed by the sum of the
   * under-estimates of the requests in flight at once (see docs/budgets.md). @default 'bound'
   */
  reserve?: 'bound' | 'estimate';
  /** Characters per token of the `reserve: 'estimate'` input estimate; lower is more conservative. @default 3 */
  charsPerToken?: number;
  /** The clock. @default Date.now */
  now?: () => number;
}

/** Options with defaults applied and amounts in credits. */
export interface ResolvedBudgetOptions {
  limit: number;
  perRun: number | undefined;
  hourly: number | undefined;
  daily: number | undefined;
  minBalance: number | undefined;
  pricing: PriceTable;
  onExceed: 'stop' | 'clamp';
  minOutputTokens: number;
  reserve: 'bound' | 'estimate';
  charsPerToken: number;
  now: () => number;
}

/** Credits of an amount; throws `ConfigurationError` naming `field` when it is not a finite amount >= 0. */
export function toCredits(amount: unknown, field: string): number {
  if (typeof amount !== 'object' || amount === null) {
    throw new ConfigurationError(`\`${field}\` must be { credits: number } or { usd: number }.`, {
      code: 'invalid_option',
    });
  }
  const record = amount as Record<string, unknown>;
  const unit = 'credits' in record ? 'credits' : 'usd' in record ? 'usd' : undefined;
  const value = unit ? record[unit] : undefined;
  if (unit === undefined || typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigurationError(
      `\`${field}${unit ? `.${unit}` : ''}\` must be a finite number >= 0; got ${JSON.stringify(value ?? amount)}.`,
      {
        code: 'invalid_option',
      },
    );
  }
  return unit === 'usd' ? value / USD_PER_CREDIT : value;
}

function checkPricing(pricing: PriceTable): void {
  for (const [model, price] of Object.entries(pricing)) {
    for (const key of ['inputPerMillion', 'outputPerMillion'] as const) {
      const value = price?.[key];
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new ConfigurationError(`\`pricing["${model}"].${key}\` must be a finite number >= 0.`, {
          code: 'invalid_option',
        });
      }
    }
  }
}

/** Validates and resolves the options. */
export function resolveBudgetOptions(options: BudgetOptions): ResolvedBudgetOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError('createBudget needs options, e.g. createBudget({ limit: { usd: 5 } }).', {
      code: 'invalid_option',
    });
  }
  const pricing = options.pricing ?? DEFAULT_PRICES;
  checkPricing(pricing);
  const onExceed = options.onExceed ?? 'stop';
  if (onExceed !== 'stop' && onExceed !== 'clamp') {
    throw new ConfigurationError('`onExceed` must be "stop" or "clamp".', { code: 'invalid_option' });
  }
  const minOutputTokens = options.minOutputTokens ?? 64;
  if (!Number.isInteger(minOutputTokens) || minOutputTokens < 1) {
    throw new ConfigurationError('`minOutputTokens` must be a positive integer.', { code: 'invalid_option' });
  }
  const reserve = options.reserve ?? 'bound';
  if (reserve !== 'bound' && reserve !== 'estimate') {
    throw new ConfigurationError('`reserve` must be "bound" or "estimate".', { code: 'invalid_option' });
  }
  const charsPerToken = options.charsPerToken ?? 3;
  if (!(charsPerToken > 0)) throw new ConfigurationError('`charsPerToken` must be > 0.', { code: 'invalid_option' });
  return {
    limit: toCredits(options.limit, 'limit'),
    perRun: options.perRun === undefined ? undefined : toCredits(options.perRun, 'perRun'),
    hourly: options.windows?.hourly === undefined ? undefined : toCredits(options.windows.hourly, 'windows.hourly'),
    daily: options.windows?.daily === undefined ? undefined : toCredits(options.windows.daily, 'windows.daily'),
    minBalance: options.minBalance === undefined ? undefined : toCredits(options.minBalance, 'minBalance'),
    pricing,
    onExceed,
    minOutputTokens,
    reserve,
    charsPerToken,
    now: options.now ?? Date.now,
  };
}
