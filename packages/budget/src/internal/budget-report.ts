/**
 * `budgetReport`: the report of a budget — the ledger's totals beside the limits, in credits and USD — and
 * the per-model usage a guard accumulates as it settles.
 * @module
 */
import { USD_PER_CREDIT, type Usage } from '@loopguard/messages';
import type { BudgetReport } from '../budget-events.js';
import type { ResolvedBudgetOptions } from '../budget-options.js';
import type { LedgerTotals } from '../ledger.js';

const money = (credits: number) => ({ credits, usd: credits * USD_PER_CREDIT });

/** Adds one settled message to the per-model usage. */
export function addModelUsage(perModel: BudgetReport['perModel'], model: string, usage: Usage, credits: number): void {
  const stats = perModel[model] ?? { requests: 0, inputTokens: 0, outputTokens: 0, credits: 0, usd: 0 };
  perModel[model] = stats;
  stats.requests += 1;
  stats.inputTokens += usage.input_tokens;
  stats.outputTokens += usage.output_tokens;
  stats.credits += credits;
  stats.usd = stats.credits * USD_PER_CREDIT;
}

/** The report from the ledger's totals, the options' limits, and what the guard itself tracked. */
export function budgetReport(
  totals: LedgerTotals,
  options: Pick<ResolvedBudgetOptions, 'limit' | 'hourly' | 'daily'>,
  possiblyBilled: number,
  perModel: BudgetReport['perModel'],
): BudgetReport {
  const { limit, hourly, daily } = options;
  return {
    limit: money(limit),
    spent: money(totals.spent),
    reserved: money(totals.reserved),
    remaining: money(Math.max(0, limit - totals.spent - totals.reserved)),
    possiblyBilled: money(possiblyBilled),
    outstandingReservations: totals.outstanding,
    windows: {
      ...(hourly !== undefined ? { hourly: { spent: totals.hourly, limit: hourly } } : {}),
      ...(daily !== undefined ? { daily: { spent: totals.daily, limit: daily } } : {}),
    },
    perRun: Object.fromEntries(Object.entries(totals.perRun).map(([runId, credits]) => [runId, money(credits)])),
    perModel: structuredClone(perModel),
  };
}
