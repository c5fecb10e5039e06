/**
 * Scenario 5: reserve + settle pairs per second with 64 concurrent callers, in memory and on Redis, until
 * a cap is reached; and the overshoot past the cap (must be 0).
 * @module
 */
import { type Ledger, memoryLedger, redisLedger } from '@loopguard/budget';
import { isRedisServerInstalled, startRedisServer } from '@loopguard/budget/redis-server';
import { summarise } from './measure.js';
import type { ReportRow } from './report-table.js';

const CALLERS = 64;

async function race(ledger: Ledger, pairs: number): Promise<{ seconds: number; granted: number; overshoot: number }> {
  const amount = 1;
  const cap = pairs * amount;
  let granted = 0;
  let attempts = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async (_, caller) => {
      for (;;) {
        const id = `c${caller}-${attempts++}`;
        const result = await ledger.reserve({
          id,
          runId: `caller-${caller}`,
          amount,
          minimum: amount,
          now: Date.now(),
          limits: { total: cap },
        });
        if (!result.ok) return;
        granted += 1;
        await ledger.settle(id, result.granted, Date.now());
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const totals = await ledger.totals(Date.now());
  return { seconds, granted, overshoot: Math.max(0, totals.spent - cap) };
}

/** Runs the scenario: `pairs` reserve+settle pairs per run, `runs` runs per ledger. */
export async function ledgerScenario(pairs: number, runs: number): Promise<ReportRow[]> {
  const rows: ReportRow[] = [];
  const redis = isRedisServerInstalled() ? await startRedisServer() : undefined;
  const ledgers: Array<[string, (run: number) => Ledger]> = [['memoryLedger', () => memoryLedger()]];
  if (redis)
    ledgers.push([
      'redisLedger (one shared connection)',
      (run) => redisLedger({ url: redis.url, key: `bench-${run}-${Date.now()}` }),
    ]);
  try {
    for (const [name, make] of ledgers) {
      const rates: number[] = [];
      let overshoot = 0;
      for (let run = 0; run < runs; run += 1) {
        const ledger = make(run);
        const result = await race(ledger, pairs);
        await ledger.close();
        rates.push(result.granted / result.seconds);
        overshoot = Math.max(overshoot, result.overshoot);
      }
      const sample = summarise(rates);
      rows.push({
        scenario: `5. Ledger: reserve + settle, ${CALLERS} concurrent callers`,
        contender: `${name}, overshoot ${overshoot}`,
        median: sample.median,
        min: sample.min,
        max: sample.max,
        unit: 'pairs/s',
        ratio: undefined,
      });
    }
    if (!redis)
      rows.push({
        scenario: `5. Ledger: reserve + settle, ${CALLERS} concurrent callers`,
        contender: 'redisLedger',
        median: Number.NaN,
        min: Number.NaN,
        max: Number.NaN,
        unit: 'pairs/s',
        ratio: undefined,
        note: 'skipped: redis-server is not installed',
      });
    return rows;
  } finally {
    await redis?.stop();
  }
}
