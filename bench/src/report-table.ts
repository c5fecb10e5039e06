/**
 * Rows of the benchmark report and their markdown.
 * @module
 */

/** One contender's figures in one scenario. */
export interface ReportRow {
  scenario: string;
  contender: string;
  /** The figure compared (higher or lower is better, as `unit` says). */
  median: number;
  min: number;
  max: number;
  unit: string;
  /** Contender / reference, oriented so that > 1 means better than the reference. */
  ratio: number | undefined;
  note?: string;
  /**
   * Set when a run was stopped at a time limit, so a figure is only a lower bound: `'max'` — the max is
   * (the median is of finished runs); `'median'` — the median and max are, and the ratio an upper bound.
   */
  atLeast?: 'median' | 'max';
  /** Every measured run's figure, in round order, where the scenario keeps them (written to the JSON only). */
  runs?: number[];
}

/** A row's note from its parts, the empty ones left out, joined by `; ` (empty when every part is). */
export function noteOf(...parts: string[]): string {
  return parts.filter((part) => part !== '').join('; ');
}

function format(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(3);
}

/** The rows as a markdown table, one table per scenario. */
export function markdownTables(rows: ReportRow[]): string {
  const scenarios = [...new Set(rows.map((row) => row.scenario))];
  return scenarios
    .map((scenario) => {
      const lines = [
        `### ${scenario}`,
        '',
        '| contender | median | min–max | unit | vs reference |',
        '|---|---:|---:|---|---:|',
      ];
      for (const row of rows.filter((r) => r.scenario === scenario)) {
        const bound = row.atLeast === 'median';
        const ratio = row.ratio === undefined ? '—' : `${bound ? '< ' : ''}${row.ratio.toFixed(2)}×`;
        const median = `${bound ? '> ' : ''}${format(row.median)}`;
        const max = `${row.atLeast ? '> ' : ''}${format(row.max)}`;
        lines.push(
          `| ${row.contender}${row.note ? ` (${row.note})` : ''} | ${median} | ${format(row.min)}–${max} | ${row.unit} | ${ratio} |`,
        );
      }
      return lines.join('\n');
    })
    .join('\n\n');
}
