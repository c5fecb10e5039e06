/**
 * `createBudget(options)`: the budget guard, a middleware for `client.use(budget)`. Before each request it
 * reserves a true upper bound of its cost (input bounded by bytes or anchored on what the gateway reported,
 * output at `max_tokens`) in the ledger, atomically, and refuses (or clamps) what does not fit. Each attempt
 * then counts by its outcome (`billingOutcome`): a message settles at its cost; an attempt that may have been
 * billed settles in full; one surely not billed is released. Every path after sending settles or releases.
 * @module
 */
import { randomUUID } from 'node:crypto';
import {
  type AttemptOutcome,
  ConfigurationError,
  type ErrorContext,
  InsufficientCreditsError,
  type MessageCreateParams,
  type Middleware,
  type MiddlewareHost,
  type ModelPrice,
  priceOf,
  type RequestContext,
  type ResponseContext,
  type RetryContext,
  SpendLimitError,
} from '@loopguard/messages';
import { EventEmitter } from 'eventemitter3';
import { billedCredits } from './billed-credits.js';
import { type BillingRule, billingOutcome } from './billing-outcome.js';
import type { BudgetEvents, BudgetReport, InputRule } from './budget-events.js';
import { BudgetExceededError } from './budget-exceeded-error.js';
import { type BudgetOptions, type ResolvedBudgetOptions, resolveBudgetOptions } from './budget-options.js';
import { BudgetReconciler, type ReconcileOptions } from './budget-reconciler.js';
import { addModelUsage, budgetReport } from './budget-report.js';
import { BudgetSpan } from './budget-span.js';
import type { PromptSnapshot } from './conversation-anchors.js';
import type { Ledger, ReserveRequest } from './ledger.js';
import { memoryLedger } from './memory-ledger.js';
import type { ReconcileResult } from './reconcile-correction.js';
import { ReservationPlanner } from './reservation-planner.js';

interface Pending {
  reservationId: string;
  runId: string;
  model: string;
  price: ModelPrice;
  reserved: number;
  inputTokens: number;
  inputRule: InputRule;
  maxTokens: number;
  prompt: PromptSnapshot;
  rawEstimate: number | undefined;
  /** What was asked of the ledger, to ask again for a retry. */
  request: Omit<ReserveRequest, 'id' | 'now'>;
  /** The request's span, where reservations and settlements are written. */
  span: BudgetSpan;
}

const stateKey = Symbol('loopguard.budget');

/** A budget guard: install it with `client.use(budget)`. */
export class BudgetGuard extends EventEmitter<BudgetEvents> implements Middleware {
  readonly name = 'budget';
  readonly options: ResolvedBudgetOptions;
  readonly ledger: Ledger;
  readonly #planner: ReservationPlanner;
  readonly #perModel: BudgetReport['perModel'] = {};
  readonly #balanceChecked = new Map<string, Promise<void>>();
  readonly #reconciler: BudgetReconciler;
  #host: MiddlewareHost | undefined;

  constructor(options: BudgetOptions) {
    super();
    this.options = resolveBudgetOptions(options);
    this.ledger = options.ledger ?? memoryLedger();
    this.#planner = new ReservationPlanner(this.options);
    this.#reconciler = new BudgetReconciler(this.ledger, this.options.now);
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
    const { credits } = await this.#balance(host);
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
    // Before anything is sent: a model without a price cannot be bounded, so it is refused here.
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
      // The request carries only its new turn: a bound from it would reserve far too little.
      throw new ConfigurationError(
        'A `thread: continue` request needs `options.threadContext` (the whole conversation) so the budget can bound it.',
        { code: 'invalid_request' },
      );
    }
    const plan = this.#planner.plan(params, context.options, runId, model, price);
    const reservationId = `${context.callId}:${randomUUID()}`;
    const request: Omit<ReserveRequest, 'id' | 'now'> = {
      runId,
      amount: plan.amount,
      minimum: plan.minimum,
      limits: { total: options.limit, perRun: options.perRun, hourly: options.hourly, daily: options.daily },
    };
    const result = await this.ledger.reserve({ ...request, id: reservationId, now: options.now() });
    if (!result.ok) {
      this.emit('exceeded', { reason: result.reason, runId, requested: plan.minimum, available: result.available });
      const scope =
        result.reason === 'limit'
          ? 'budget limit'
          : result.reason === 'per_run'
            ? 'per-run limit'
            : 'rolling window limit';
      throw new BudgetExceededError(
        result.reason,
        `The request needs up to ${plan.minimum.toFixed(4)} credits but the ${scope} leaves ${result.available.toFixed(4)}.`,
        { requested: plan.minimum, available: result.available },
      );
    }
    let finalParams: MessageCreateParams | undefined;
    let maxTokens = plan.maxTokens;
    if (result.granted < plan.amount) {
      maxTokens = Math.max(1, Math.floor((result.granted - plan.inputCost) / plan.perOutputToken));
      finalParams = { ...params, max_tokens: maxTokens };
    }
    const pending: Pending = {
      reservationId,
      runId,
      model,
      price,
      reserved: result.granted,
      inputTokens: plan.inputTokens,
      inputRule: plan.inputRule,
      maxTokens,
      prompt: plan.prompt,
      rawEstimate: plan.rawEstimate,
      request: { ...request, amount: result.granted, minimum: Math.min(plan.minimum, result.granted) },
      span: new BudgetSpan(context.span),
    };
    pending.span.reserved(result.granted);
    context.state.set(stateKey, pending);
    this.emit('reserve', {
      reservationId,
      runId,
      model,
      credits: result.granted,
      inputTokens: plan.inputTokens,
      inputRule: plan.inputRule,
      maxTokens,
      ...(maxTokens !== plan.maxTokens ? { clampedFrom: plan.maxTokens } : {}),
    });
    return finalParams;
  }

  async afterResponse(context: ResponseContext): Promise<void> {
    const pending = this.#take(context);
    if (!pending) return;
    const { message } = context;
    const credits = billedCredits(message, pending.price);
    if (credits === undefined) {
      // A message whose usage is not a set of counts: its cost is unknown, so the whole reservation counts.
      await this.#settleInFull(pending, 'completed');
      return;
    }
    await this.ledger.settle(pending.reservationId, credits, this.options.now(), { model: pending.model });
    pending.span.settled(credits, false);
    this.#planner.observe(pending.runId, pending.model, pending.prompt, pending.rawEstimate, message.usage);
    addModelUsage(this.#perModel, pending.model, message.usage, credits);
    this.emit('settle', {
      reservationId: pending.reservationId,
      runId: pending.runId,
      model: pending.model,
      reserved: pending.reserved,
      credits,
      possiblyBilled: false,
      rule: 'completed',
    });
  }

  /**
   * An attempt failed and will be retried. It counts by its outcome: surely not billed, its reservation is
   * kept for the retry; possibly billed, it is settled in full and a new reservation is taken for the retry —
   * refused like any request when it does not fit, which stops the retries.
   */
  async onRetry(context: RetryContext): Promise<void> {
    const pending = context.state.get(stateKey) as Pending | undefined;
    if (!pending) return;
    const { verdict, rule } = billingOutcome(context.attempt);
    if (verdict === 'not_billed') return;
    context.state.delete(stateKey);
    await this.#settleInFull(pending, rule);
    const reservationId = `${context.callId}:${randomUUID()}`;
    const result = await this.ledger.reserve({ ...pending.request, id: reservationId, now: this.options.now() });
    if (!result.ok) {
      const requested = pending.request.minimum;
      this.emit('exceeded', { reason: result.reason, runId: pending.runId, requested, available: result.available });
      throw new BudgetExceededError(
        result.reason,
        `A retry needs up to ${requested.toFixed(4)} credits but the budget leaves ${result.available.toFixed(4)}.`,
        { requested, available: result.available, cause: context.error },
      );
    }
    context.state.set(stateKey, { ...pending, reservationId, reserved: result.granted });
    pending.span.reserved(result.granted);
    this.emit('reserve', {
      reservationId,
      runId: pending.runId,
      model: pending.model,
      credits: result.granted,
      inputTokens: pending.inputTokens,
      inputRule: pending.inputRule,
      maxTokens: pending.maxTokens,
    });
  }

  async onError(context: ErrorContext): Promise<void> {
    const runId = context.options.runId ?? 'default';
    if (context.error instanceof InsufficientCreditsError)
      this.emit('exceeded', { reason: 'insufficient_credits', runId, requested: 0, available: 0 });
    if (context.error instanceof SpendLimitError)
      this.emit('exceeded', { reason: 'spend_limit', runId, requested: 0, available: 0 });
    const pending = this.#take(context);
    if (!pending) return;
    await this.#count(pending, context.attempt);
  }

  /** Settles or releases `pending` as the outcome of its last attempt decides. */
  async #count(pending: Pending, attempt: AttemptOutcome | undefined): Promise<void> {
    const { verdict, rule } = billingOutcome(attempt);
    // `billed` here is a whole message that a later hook failed on: its cost was never read, count it in full.
    if (verdict !== 'not_billed') {
      await this.#settleInFull(pending, rule);
      return;
    }
    await this.ledger.release(pending.reservationId);
    this.emit('release', {
      reservationId: pending.reservationId,
      runId: pending.runId,
      reserved: pending.reserved,
      rule,
    });
  }

  #take(context: RequestContext): Pending | undefined {
    const pending = context.state.get(stateKey) as Pending | undefined;
    context.state.delete(stateKey);
    return pending;
  }

  async #settleInFull(pending: Pending, rule: BillingRule): Promise<void> {
    const now = this.options.now();
    this.#reconciler.notePossiblyBilled(pending.reserved, now);
    await this.ledger.settle(pending.reservationId, pending.reserved, now, {
      model: pending.model,
      possiblyBilled: true,
    });
    pending.span.settled(pending.reserved, true);
    this.emit('settle', {
      reservationId: pending.reservationId,
      runId: pending.runId,
      model: pending.model,
      reserved: pending.reserved,
      credits: pending.reserved,
      possiblyBilled: true,
      rule,
    });
  }

  async #balance(host: MiddlewareHost | undefined): Promise<{ credits: number }> {
    if (!host)
      throw new BudgetExceededError(
        'balance',
        'Reading the balance needs the budget installed on a client: client.use(budget).',
      );
    return host.getCredits();
  }

  /**
   * Turns possibly-billed spend into known spend from the gateway's balance (`GET /credits`), which is the
   * truth for a key this budget's ledger owns. The first call records a baseline (balance and ledger spend,
   * with nothing in flight); later calls settle the signed difference between what the gateway billed since
   * and what the ledger counted, as a `reconcile:<uuid>` entry. See docs/budgets.md for its limits.
   */
  async reconcile(options: ReconcileOptions = {}): Promise<ReconcileResult> {
    const host = this.#host;
    if (!host)
      throw new ConfigurationError(
        '`reconcile()` reads the balance through a client: install it with client.use(budget).',
        {
          code: 'invalid_option',
        },
      );
    const result = await this.#reconciler.reconcile(async () => (await host.getCredits()).credits, options);
    this.emit('reconcile', result);
    return result;
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
    const totals = await this.ledger.totals(this.options.now());
    return budgetReport(totals, this.options, this.#reconciler.possiblyBilled, this.#perModel);
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
