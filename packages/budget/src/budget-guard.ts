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
  DEFAULT_MODEL,
  type ErrorContext,
  InsufficientCreditsError,
  type MessageCreateParams,
  type Middleware,
  type MiddlewareHost,
  priceOf,
  type RequestContext,
  type ResponseContext,
  type RetryContext,
  SpendLimitError,
} from '@loopguard/messages';
import { EventEmitter } from 'eventemitter3';
import { type BillingRule, billingOutcome } from './billing-outcome.js';
import type { BudgetEvents, BudgetReport } from './budget-events.js';
import { BudgetExceededError } from './budget-exceeded-error.js';
import { type BudgetOptions, type ResolvedBudgetOptions, resolveBudgetOptions } from './budget-options.js';
import { BudgetReconciler, type ReconcileOptions } from './budget-reconciler.js';
import { billedCredits } from './internal/billed-credits.js';
import { addModelUsage, budgetReport } from './internal/budget-report.js';
import { BudgetSpan } from './internal/budget-span.js';
import type { Ledger, ReserveResult } from './ledger.js';
import { memoryLedger } from './memory-ledger.js';
import { MinBalance } from './min-balance.js';
import {
  holdPending,
  type PendingReservation,
  peekPending,
  releaseEvent,
  reserveEvent,
  settleEvent,
  takePending,
} from './pending-reservation.js';
import { clampMaxTokens, refusalMessage, reservationLimits } from './plan-reservation.js';
import type { ReconcileResult } from './reconcile-correction.js';
import { ReservationPlanner } from './reservation-planner.js';

/** A budget guard: install it with `client.use(budget)`. */
export class BudgetGuard extends EventEmitter<BudgetEvents> implements Middleware {
  readonly name = 'budget';
  readonly options: ResolvedBudgetOptions;
  readonly ledger: Ledger;
  readonly #planner: ReservationPlanner;
  readonly #perModel: BudgetReport['perModel'] = {};
  readonly #minBalance: MinBalance;
  readonly #reconciler: BudgetReconciler;
  #host: MiddlewareHost | undefined;

  constructor(options: BudgetOptions) {
    super();
    this.options = resolveBudgetOptions(options);
    this.ledger = options.ledger ?? memoryLedger();
    this.#planner = new ReservationPlanner(this.options);
    this.#reconciler = new BudgetReconciler(this.ledger, this.options.now);
    this.#minBalance = new MinBalance(this.options.minBalance ?? 0, (event) => this.emit('exceeded', event));
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
  checkBalance(host: MiddlewareHost | undefined = this.#host, runId = 'default'): Promise<number> {
    return this.#minBalance.check(host, runId);
  }

  /** Reserves the request's worst case before it is sent; clamps `max_tokens` to a smaller grant (`onExceed: 'clamp'`). */
  async beforeRequest(context: RequestContext): Promise<MessageCreateParams | undefined> {
    const params = context.params;
    const model = params.model ?? DEFAULT_MODEL;
    const runId = context.options.runId ?? 'default';
    // Before anything is sent: a model without a price cannot be bounded, so it is refused here.
    const price = priceOf(model, this.options.pricing);
    if (this.options.minBalance !== undefined) await this.#minBalance.once(this.#host, runId);
    const plan = this.#planner.plan(params, context.options, runId, model, price);
    const reservationId = `${context.callId}:${randomUUID()}`;
    const request = { runId, amount: plan.amount, minimum: plan.minimum, limits: reservationLimits(this.options) };
    const result = await this.ledger.reserve({ ...request, id: reservationId, now: this.options.now() });
    if (!result.ok) {
      throw this.#refused(result, runId, refusalMessage(result, plan.minimum), { requested: plan.minimum });
    }
    const clamped = result.granted < plan.amount;
    const maxTokens = clamped ? clampMaxTokens(plan, result.granted) : plan.maxTokens;
    const pending: PendingReservation = {
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
    this.#hold(context, pending, maxTokens !== plan.maxTokens ? plan.maxTokens : undefined);
    return clamped ? { ...params, max_tokens: maxTokens } : undefined;
  }

  async afterResponse(context: ResponseContext): Promise<void> {
    const pending = takePending(context);
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
    this.emit('settle', settleEvent(pending, credits, false, 'completed'));
  }

  /**
   * An attempt failed and will be retried. It counts by its outcome: surely not billed, its reservation is
   * kept for the retry; possibly billed, it is settled in full and a new reservation is taken for the retry —
   * refused like any request when it does not fit, which stops the retries.
   */
  async onRetry(context: RetryContext): Promise<void> {
    const pending = peekPending(context);
    if (!pending) return;
    const { verdict, rule } = billingOutcome(context.attempt);
    if (verdict === 'not_billed') return;
    takePending(context);
    await this.#settleInFull(pending, rule);
    const reservationId = `${context.callId}:${randomUUID()}`;
    const result = await this.ledger.reserve({ ...pending.request, id: reservationId, now: this.options.now() });
    if (!result.ok) {
      const requested = pending.request.minimum;
      const message = refusalMessage(result, requested, 'retry');
      throw this.#refused(result, pending.runId, message, { requested, cause: context.error });
    }
    this.#hold(context, { ...pending, reservationId, reserved: result.granted });
  }

  async onError(context: ErrorContext): Promise<void> {
    const runId = context.options.runId ?? 'default';
    if (context.error instanceof InsufficientCreditsError)
      this.emit('exceeded', { reason: 'insufficient_credits', runId, requested: 0, available: 0 });
    if (context.error instanceof SpendLimitError)
      this.emit('exceeded', { reason: 'spend_limit', runId, requested: 0, available: 0 });
    const pending = takePending(context);
    if (!pending) return;
    await this.#count(pending, context.attempt);
  }

  /** Emits `exceeded` for a refused reservation and returns the error to throw. */
  #refused(
    refused: Extract<ReserveResult, { ok: false }>,
    runId: string,
    message: string,
    details: { requested: number; cause?: unknown },
  ): BudgetExceededError {
    const { reason, available } = refused;
    this.emit('exceeded', { reason, runId, requested: details.requested, available });
    return new BudgetExceededError(reason, message, { ...details, available });
  }

  /** Keeps `pending` for the request's later hooks, and tells the span and the listeners of the reservation. */
  #hold(context: RequestContext, pending: PendingReservation, clampedFrom?: number): void {
    pending.span.reserved(pending.reserved);
    holdPending(context, pending);
    this.emit('reserve', reserveEvent(pending, clampedFrom));
  }

  /** Settles or releases `pending` as the outcome of its last attempt decides. */
  async #count(pending: PendingReservation, attempt: AttemptOutcome | undefined): Promise<void> {
    const { verdict, rule } = billingOutcome(attempt);
    // `billed` here is a whole message that a later hook failed on: its cost was never read, count it in full.
    if (verdict !== 'not_billed') {
      await this.#settleInFull(pending, rule);
      return;
    }
    await this.ledger.release(pending.reservationId);
    this.emit('release', releaseEvent(pending, rule));
  }

  async #settleInFull(pending: PendingReservation, rule: BillingRule): Promise<void> {
    const now = this.options.now();
    this.#reconciler.notePossiblyBilled(pending.reserved, now);
    await this.ledger.settle(pending.reservationId, pending.reserved, now, {
      model: pending.model,
      possiblyBilled: true,
    });
    pending.span.settled(pending.reserved, true);
    this.emit('settle', settleEvent(pending, pending.reserved, true, rule));
  }

  /**
   * Turns possibly-billed spend into known spend from the gateway's balance (`GET /credits`), which is the
   * truth for a key this budget's ledger owns. The first call records a baseline (balance and ledger spend,
   * with nothing in flight); later calls settle the signed difference between what the gateway billed since
   * and what the ledger counted, as a `reconcile:<uuid>` entry. See docs/budgets.md for its limits.
   */
  async reconcile(options: ReconcileOptions = {}): Promise<ReconcileResult> {
    const host = this.#host;
    if (!host) {
      const message = '`reconcile()` reads the balance through a client: install it with client.use(budget).';
      throw new ConfigurationError(message, { code: 'invalid_option' });
    }
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
