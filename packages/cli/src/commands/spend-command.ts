/**
 * `loopguard spend <ledger>`: what a file or Redis ledger counts — spent, possibly billed and reserved, by
 * day, run and model — as a chart, or as JSON.
 * @module
 */
import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { CliUsageError } from '../cli-usage-error.js';
import { openLedger } from '../open-ledger.js';
import { groupSpend, spendChart } from '../spend-chart.js';

/** Adds `spend <ledger> [--key K] [--top N] [--json]` to `program`. */
export function registerSpendCommand(program: Command, io: CliIo): void {
  program
    .command('spend')
    .description('print what a ledger counts: spent, possibly billed and reserved, by day, run and model')
    .argument('<ledger>', 'a file ledger (its path) or a Redis ledger (redis://host:port/db)')
    .option('--key <key>', 'the Redis ledger key', 'loopguard:budget')
    .option('--top <n>', 'rows per section', '10')
    .option('--json', 'print the report (totals, rows, and the sums by day, run and model) as JSON')
    .action(async (location: string, options: { key: string; top: string; json?: boolean }) => {
      const top = Number(options.top);
      if (!Number.isInteger(top) || top < 1)
        throw new CliUsageError(`--top must be a whole number >= 1; got "${options.top}".`);
      const ledger = openLedger({ location, key: options.key });
      try {
        const report = await ledger.report(Date.now());
        if (options.json) {
          const byDay = groupSpend(report.rows, 'day');
          const byRun = groupSpend(report.rows, 'runId');
          const byModel = groupSpend(report.rows, 'model');
          io.out(JSON.stringify({ ...report, byDay, byRun, byModel }, null, 2));
        } else for (const line of spendChart(report, { top })) io.out(line);
      } finally {
        await ledger.close();
      }
    });
}
