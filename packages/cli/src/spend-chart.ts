/**
 * `spendChart(report)`: a ledger report as an operator reads it in a terminal — totals, then spend by day, by
 * run and by model, each row with a bar scaled to the largest of its section.
 * @module
 */
import type { LedgerReport, LedgerReportRow } from '@loopguard/budget';
import { USD_PER_CREDIT } from '@loopguard/messages';

/** Spend summed over one key (a day, a run or a model). */
export interface SpendGroup {
  key: string;
  spent: number;
  possiblyBilled: number;
  reserved: number;
}

/** Options of `spendChart`. */
export interface SpendChartOptions {
  /** Rows shown per section (the largest spenders; days are shown newest first). @default 10 */
  top?: number;
  /** Width of the longest bar, in characters. @default 30 */
  width?: number;
}

/** Sums `rows` by day, run or model, largest spend first (by day: newest first). */
export function groupSpend(rows: readonly LedgerReportRow[], by: 'day' | 'runId' | 'model'): SpendGroup[] {
  const groups = new Map<string, SpendGroup>();
  for (const row of rows) {
    const key = row[by];
    const group = groups.get(key) ?? { key, spent: 0, possiblyBilled: 0, reserved: 0 };
    group.spent += row.spent;
    group.possiblyBilled += row.possiblyBilled;
    group.reserved += row.reserved;
    groups.set(key, group);
  }
  const list = [...groups.values()];
  return by === 'day' ? list.sort((a, b) => b.key.localeCompare(a.key)) : list.sort((a, b) => b.spent - a.spent);
}

const credits = (value: number): string => `${value.toFixed(4)} cr ($${(value * USD_PER_CREDIT).toFixed(4)})`;

function section(title: string, groups: SpendGroup[], top: number, width: number): string[] {
  const shown = groups.slice(0, top);
  const largest = Math.max(0, ...shown.map((g) => g.spent));
  const keyWidth = Math.max(title.length, ...shown.map((g) => g.key.length));
  const lines = [`${title}`];
  for (const group of shown) {
    const bar = largest > 0 ? '█'.repeat(Math.max(0, Math.round((group.spent / largest) * width))) : '';
    const extra = [
      group.possiblyBilled > 0 ? `${group.possiblyBilled.toFixed(4)} possibly billed` : '',
      group.reserved > 0 ? `${group.reserved.toFixed(4)} reserved` : '',
    ].filter(Boolean);
    const note = extra.length > 0 ? `  (${extra.join(', ')})` : '';
    lines.push(`  ${group.key.padEnd(keyWidth)}  ${bar.padEnd(width)}  ${credits(group.spent)}${note}`);
  }
  if (groups.length > shown.length) lines.push(`  … ${groups.length - shown.length} more (--top to show them)`);
  if (groups.length === 0) lines.push('  (nothing yet)');
  return lines;
}

/** The report as terminal lines: totals, then by day, by run and by model. */
export function spendChart(report: LedgerReport, options: SpendChartOptions = {}): string[] {
  const top = options.top ?? 10;
  const width = options.width ?? 30;
  const { totals } = report;
  return [
    `spent ${credits(totals.spent)}, of which possibly billed ${totals.possiblyBilled.toFixed(4)} cr`,
    `reserved ${credits(totals.reserved)} in ${totals.outstanding} open reservation(s); ${totals.expired} lease(s) expired in the last day`,
    '',
    ...section('by day (UTC)', groupSpend(report.rows, 'day'), top, width),
    '',
    ...section('by run', groupSpend(report.rows, 'runId'), top, width),
    '',
    ...section('by model', groupSpend(report.rows, 'model'), top, width),
  ];
}
