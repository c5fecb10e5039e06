/**
 * `createBudget(options)`: the budget guard, a middleware for `client.use(budget)`. Before each request it
 * reserves the worst case (estimated input + `max_tokens` of output) in the ledger, atomically, and refuses
 * (or clamps) what does not fit; after it, it settles the reservation to the real cost and releases the rest.
 * @module
 */
import { randomUUID } from 'node:crypto';
import {
  ConfigurationError,
  creditsForUsage,
  creditsOfMessage,
  type ErrorContext,
  estimateInputTokens,
  InsufficientCreditsError,
  type MessageCreateParams,
  type Middleware,
  type MiddlewareHost,
  priceOf,
  promptOf,
  type RequestContext,
  type ResponseContext,
  type RetryContext,
  SpendLimitError,
  USD_PER_CREDIT,
} from '@loopguard/messages';
import { EventEmitter } from 'eventemitter3';
import { BudgetExceededError, type BudgetExceededReason } from './budget-exceeded-error.js';
import { type BudgetOptions, type ResolvedBudgetOptions, resolveBudgetOptions } from './budget-options.js';
import { InputCalibration } from './input-calibration.js';
import type { Ledger, LedgerTotals, ReserveRequest } from './ledger.js';
import { memoryLedger } from './memory-ledger.js';

/** The events of a budget. */
export interface BudgetEvents {
  /** A reservation was taken before a request. */
  reserve: (event: {
    reservationId: string;
    runId: string;
    model: string;
    credits: number;
    estimatedInputTokens: number;
    maxTokens: number;
    clampedFrom?: number;
  }) => void;
  /** A reservation was settled to the real cost; `worstCase` when the cost is unknown (a billed answer that broke off) and the whole reservation is counted. */
  settle: (event: {
    reservationId: string;
    runId: string;
    model: string;
    reserved: number;
    credits: number;
    worstCase?: boolean;
  }) => void;
  /** A reservation was released (the request failed). */
  release: (event: { reservationId: string; runId: string; reserved: number }) => void;
  /** A request was refused, or the gateway said money ran out. */
  exceeded: (event: { reason: BudgetExceededReason; runId: string; requested: number; available: number }) => void;
}

/** What `report()` returns; credits and USD side by side. */
export interface BudgetReport {
  limit: { credits: number; usd: number };
  spent: { credits: number; usd: number };
  reserved: { credits: number; usd: number };
  remaining: { credits: number; usd: number };
  outstandingReservations: number;
  windows: { hourly?: { spent: number; limit: number }; daily?: { spent: number; limit: number } };
  perRun: Record<string, { credits: number; usd: number }>;
  /** Settled through this guard, by model. */
  perModel: Record<
    string,
    { requests: number; inputTokens: number; outputTokens: number; credits: number; usd: number }
  >;
}

interface Pending {
  reservationId: string;
  runId: string;
  model: string;
  reserved: number;
  rawEstimate: number;
  estimatedInputTokens: number;
  maxTokens: number;
  /** What was asked of the ledger, to ask again for a retry. */
  request: Omit<ReserveRequest, 'id' | 'now'>;
}

const stateKey = Symbol('loopguard.budget');
const money = (credits: number) => ({ credits, usd: credits * USD_PER_CREDIT });

/** A budget guard: install it with `client.use(budget)`. */
export class BudgetGuard extends EventEmitter<BudgetEvents> implements Middleware {
  readonly name = 'budget';
  readonly options: ResolvedBudgetOptions;
  readonly ledger: Ledger;
  readonly #calibration = new InputCalibration();
  readonly #perModel: BudgetReport['perModel'] = {};
  readonly #balanceChecked = new Map<string, Promise<void>>();
  #host: MiddlewareHost | undefined;

  constructor(options: BudgetOptions) {
    super();
    this.options = resolveBudgetOptions(options);
    this.ledger = options.ledger ?? memoryLedger();
  }

  /** @internal Called by `client.use`. */
  install(host: MiddlewareHost): void {
    this.#host = host;
  }

  /** Checks the ledger answers (a corrupt file or unreachable Redis fails here, with a clear error). */
  async verify(): Promise<void> {
    await this.ledger.totals(this.options.now());
  }

  /** Reads the balance and refuses when it is below `minBalance` (done once per run automatically). */
  async checkBalance(host: MiddlewareHost | undefined = this.#host, runId = 'default'): Promise<number> {
    if (!host)
      throw new BudgetExceededError(
        'balance',
        'minBalance needs the budget installed on a client: client.use(budget).',
      );
    const { credits } = await host.getCredits();
    const minimum = this.options.minBalance ?? 0;
    if (credits < minimum) {
      this.emit('exceeded', { reason: 'balance', runId, requested: minimum, available: credits });
      throw new BudgetExceededError(
        'balance',
        `The gateway balance is ${credits} credits, below minBalance ${minimum}.`,
        { requested: minimum, available: credits },
      );
    }
    return credits;
  }

  async beforeRequest(context: RequestContext): Promise<MessageCreateParams | undefined> {
    const { options } = this;
    const params = context.params;
    const model = params.model ?? 'claude-opus-4-6';
    const runId = context.options.runId ?? 'default';
    const price = priceOf(model, options.pricing);
    if (options.minBalance !== undefined) {
      let check = this.#balanceChecked.get(runId);
      if (!check) {
        check = this.checkBalance(this.#host, runId).then(() => undefined);
        this.#balanceChecked.set(runId, check);
      }
      await check;
    }
    if (params.thread?.type === 'continue' && context.options.threadContext === undefined) {
      // The request carries only its new turn: an estimate from it would reserve far too little.
      throw new ConfigurationError(
        'A `thread: continue` request needs `options.threadContext` (the whole conversation) so the budget can estimate it.',
        { code: 'invalid_request' },
      );
    }
    const rawEstimate = estimateInputTokens(promptOf(params, context.options), {
      charsPerToken: options.charsPerToken,
    });
    const estimatedInputTokens = Math.ceil(rawEstimate * this.#calibration.factor(model));
    const inputCost = creditsForUsage({ input_tokens: estimatedInputTokens }, price);
    const perOutputToken = price.outputPerMillion / 1_000_000;
    const maxTokens = params.max_tokens ?? 4096;
    const amount = inputCost + maxTokens * perOutputToken;
    const minimum =
      options.onExceed === 'clamp' ? inputCost + Math.min(maxTokens, options.minOutputTokens) * perOutputToken : amount;
    const reservationId = `${context.callId}:${randomUUID()}`;
    const now = options.now();
    const request: Omit<ReserveRequest, 'id' | 'now'> = {
      runId,
      amount,
      minimum,
      limits: { total: options.limit, perRun: options.perRun, hourly: options.hourly, daily: options.daily },
    };
    const result = await this.ledger.reserve({ ...request, id: reservationId, now });
    if (!result.ok) {
      this.emit('exceeded', { reason: result.reason, runId, requested: minimum, available: result.available });
      const scope =
        result.reason === 'limit'
          ? 'budget limit'
          : result.reason === 'per_run'
            ? 'per-run limit'
            : 'rolling window limit';
      throw new BudgetExceededError(
        result.reason,
        `The request needs up to ${minimum.toFixed(4)} credits but the ${scope} leaves ${result.available.toFixed(4)}.`,
        { requested: minimum, available: result.available },
      );
    }
    let finalParams: MessageCreateParams | undefined;
    let clampedTokens = maxTokens;
    if (result.granted < amount) {
      clampedTokens = Math.max(1, Math.floor((result.granted - inputCost) / perOutputToken));
      finalParams = { ...params, max_tokens: clampedTokens };
    }
    const pending: Pending = {
      reservationId,
      runId,
      model,
      reserved: result.granted,
      rawEstimate,
      estimatedInputTokens,
      maxTokens: clampedTokens,
      request: { ...request, amount: result.granted, minimum: Math.min(minimum, result.granted) },
    };
    context.state.set(stateKey, pending);
    this.emit('reserve', {
      reservationId,
      runId,
      model,
      credits: result.granted,
      estimatedInputTokens,
      maxTokens: clampedTokens,
      ...(clampedTokens !== maxTokens ? { clampedFrom: maxTokens } : {}),
    });
    return finalParams;
  }

  async afterResponse(context: ResponseContext): Promise<void> {
    const pending = context.state.get(stateKey) as Pending | undefined;
    if (!pending) return;
    context.state.delete(stateKey);
    const { message } = context;
    const credits = creditsOfMessage(message, this.options.pricing, pending.model);
    await this.ledger.settle(pending.reservationId, credits, this.options.now());
    this.#calibration.observe(pending.model, pending.rawEstimate, message.usage.input_tokens);
    const stats = this.#perModel[pending.model] ?? { requests: 0, inputTokens: 0, outputTokens: 0, credits: 0, usd: 0 };
    this.#perModel[pending.model] = stats;
    stats.requests += 1;
    stats.inputTokens += message.usage.input_tokens;
    stats.outputTokens += message.usage.output_tokens;
    stats.credits += credits;
    stats.usd = stats.credits * USD_PER_CREDIT;
    this.emit('settle', {
      reservationId: pending.reservationId,
      runId: pending.runId,
      model: pending.model,
      reserved: pending.reserved,
      credits,
    });
  }

  /**
   * An attempt failed and will be retried. If it got a 2xx answer first (a cut or stalled stream), the gateway
   * may have billed it: its reservation is settled in full (the worst case) and a new one is taken for the
   * retry — refused like any request when it does not fit, which stops the retries.
   */
  async onRetry(context: RetryContext): Promise<void> {
    const pending = context.state.get(stateKey) as Pending | undefined;
    if (!pending || !context.responseStarted) return;
    context.state.delete(stateKey);
    await this.#settleWorstCase(pending);
    const now = this.options.now();
    const reservationId = `${context.callId}:${randomUUID()}`;
    const result = await this.ledger.reserve({ ...pending.request, id: reservationId, now });
    if (!result.ok) {
      this.emit('exceeded', {
        reason: result.reason,
        runId: pending.runId,
        requested: pending.request.minimum,
        available: result.available,
      });
      throw new BudgetExceededError(
        result.reason,
        `A retry needs up to ${pending.request.minimum.toFixed(4)} credits but the budget leaves ${result.available.toFixed(4)}.`,
        {
          requested: pending.request.minimum,
          available: result.available,
          cause: context.error,
        },
      );
    }
    context.state.set(stateKey, { ...pending, reservationId, reserved: result.granted });
    this.emit('reserve', {
      reservationId,
      runId: pending.runId,
      model: pending.model,
      credits: result.granted,
      estimatedInputTokens: pending.estimatedInputTokens,
      maxTokens: pending.maxTokens,
    });
  }

  async onError(context: ErrorContext): Promise<void> {
    const runId = context.options.runId ?? 'default';
    if (context.error instanceof InsufficientCreditsError)
      this.emit('exceeded', { reason: 'insufficient_credits', runId, requested: 0, available: 0 });
    if (context.error instanceof SpendLimitError)
      this.emit('exceeded', { reason: 'spend_limit', runId, requested: 0, available: 0 });
    const pending = context.state.get(stateKey) as Pending | undefined;
    if (!pending) return;
    context.state.delete(stateKey);
    if (context.responseStarted) {
      // The answer had begun: the gateway may have billed it. Count the worst case; never under-count.
      await this.#settleWorstCase(pending);
      return;
    }
    // No answer began (an error status, a reset): the gateway does not bill it (a 503 is refunded).
    await this.ledger.release(pending.reservationId);
    this.emit('release', { reservationId: pending.reservationId, runId: pending.runId, reserved: pending.reserved });
  }

  async #settleWorstCase(pending: Pending): Promise<void> {
    await this.ledger.settle(pending.reservationId, pending.reserved, this.options.now());
    this.emit('settle', {
      reservationId: pending.reservationId,
      runId: pending.runId,
      model: pending.model,
      reserved: pending.reserved,
      credits: pending.reserved,
      worstCase: true,
    });
  }

  /** Credits spent (settled) in the ledger. */
  async spent(): Promise<number> {
    return (await this.ledger.totals(this.options.now())).spent;
  }

  /** Credits left under the total limit, counting open reservations. */
  async remaining(): Promise<number> {
    const totals = await this.ledger.totals(this.options.now());
    return Math.max(0, this.options.limit - totals.spent - totals.reserved);
  }

  /** Spend per run, per model, per window, in credits and USD. */
  async report(): Promise<BudgetReport> {
    const totals: LedgerTotals = await this.ledger.totals(this.options.now());
    const { limit, hourly, daily } = this.options;
    return {
      limit: money(limit),
      spent: money(totals.spent),
      reserved: money(totals.reserved),
      remaining: money(Math.max(0, limit - totals.spent - totals.reserved)),
      outstandingReservations: totals.outstanding,
      windows: {
        ...(hourly !== undefined ? { hourly: { spent: totals.hourly, limit: hourly } } : {}),
        ...(daily !== undefined ? { daily: { spent: totals.daily, limit: daily } } : {}),
      },
      perRun: Object.fromEntries(Object.entries(totals.perRun).map(([runId, credits]) => [runId, money(credits)])),
      perModel: structuredClone(this.#perModel),
    };
  }

  /** Closes the ledger's connections. */
  close(): Promise<void> {
    return this.ledger.close();
  }
}

/** Creates a budget guard. Bad options throw `ConfigurationError` naming the field. */
export function createBudget(options: BudgetOptions): BudgetGuard {
  return new BudgetGuard(options);
}
