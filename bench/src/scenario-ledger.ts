/**
 * Scenario 5: the ledgers. 5a: what a budget adds per request with each ledger, at 1 and 64 concurrent callers,
 * beside no budget (`scenario-ledger-overhead.ts`); 5b: a reserve + settle pair in a ledger of 0 and many past
 * entries (`scenario-ledger-history.ts`); 5c (here): reserve + settle pairs per second with 64 concurrent callers
 * until a cap is reached, and the overshoot past the cap (must be 0).
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileLedger, type Ledger, memoryLedger, redisLedger } from '@loopguard/budget';
import { isRedisServerInstalled, type RedisServer, startRedisServer } from '@loopguard/budget/redis-server';
import { summarise } from './measure.js';
import type { ReportRow } from './report-table.js';
import { ledgerHistoryScenario } from './scenario-ledger-history.js';
import { ledgerOverheadScenario } from './scenario-ledger-overhead.js';

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

/** What scenario 5 runs. */
export interface LedgerPlan {
  /** Reserve + settle pairs per race (5c) and per history run (5b). */
  pairs: number;
  runs: number;
  /** Requests per overhead run (5a). */
  requests: number;
  /** Past entries of the history runs (5b). */
  entries: number;
}

/** Runs scenario 5 (a, b, c). */
export async function ledgerScenario(plan: LedgerPlan): Promise<ReportRow[]> {
  const redis = isRedisServerInstalled() ? await startRedisServer() : undefined;
  try {
    return [
      ...(await ledgerOverheadScenario(plan.requests, plan.runs, redis)),
      ...(await ledgerHistoryScenario(plan.entries, Math.min(plan.pairs, 2000), plan.runs, redis)),
      ...(await ledgerRaceScenario(plan.pairs, plan.runs, redis)),
    ];
  } finally {
    await redis?.stop();
  }
}

async function ledgerRaceScenario(pairs: number, runs: number, redis: RedisServer | undefined): Promise<ReportRow[]> {
  const rows: ReportRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'loopguard-bench-race-'));
  const ledgers: Array<[string, (run: number) => Ledger]> = [
    ['memoryLedger', () => memoryLedger()],
    ['fileLedger', (run) => fileLedger(join(dir, `race-${run}.jsonl`))],
  ];
  if (redis)
    ledgers.push([
      'redisLedger (one shared connection)',
      (run) => redisLedger({ url: redis.url, key: `bench-${run}-${Date.now()}`, create: true }),
    ]);
  try {
    for (const [name, make] of ledgers) {
      const rates: number[] = [];
      let overshoot = 0;
      for (let run = 0; run < runs; run += 1) {
        const ledger = make(run);
        const result = await race(ledger, name === 'fileLedger' ? Math.min(pairs, 2000) : pairs);
        await ledger.close();
        rates.push(result.granted / result.seconds);
        overshoot = Math.max(overshoot, result.overshoot);
      }
      const sample = summarise(rates);
      rows.push({
        scenario: `5. Ledger: reserve + settle until the cap, ${CALLERS} concurrent callers`,
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
        scenario: `5. Ledger: reserve + settle until the cap, ${CALLERS} concurrent callers`,
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
    rmSync(dir, { recursive: true, force: true });
  }
}
