/**
 * Scenario 5b: the cost of a reserve + settle pair (one caller, with total, hourly and daily limits, so the
 * rolling windows are read) in a ledger holding no past entries and one holding `entries` past entries spread
 * over the last day — the worst case, since windows keep the last day. Flat means the two figures match.
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY_MS, fileLedger, type Ledger, memoryLedger, redisLedger } from '@loopguard/budget';
import type { RedisServer } from '@loopguard/budget/redis-server';
import { summarise } from './measure.js';
import type { ReportRow } from './report-table.js';

const LIMITS = { total: 1e12, hourly: 1e12, daily: 1e12 };

async function prefillByCalls(ledger: Ledger, entries: number, now: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < entries) {
        const i = next++;
        await ledger.settle(`past-${i}`, 0.001, now - Math.floor((i * DAY_MS) / entries));
      }
    }),
  );
}

function prefillFile(path: string, entries: number, now: number): void {
  const lines = ['{"op":"header","format":"loopguard-ledger","version":2}'];
  for (let i = 0; i < entries; i += 1)
    lines.push(
      JSON.stringify({
        op: 'settle',
        id: `past-${i}`,
        credits: 0.001,
        at: now - Math.floor((i * DAY_MS) / entries),
        runId: `run-${i % 500}`,
      }),
    );
  writeFileSync(path, `${lines.join('\n')}\n`);
}

async function microsecondsPerPair(ledger: Ledger, pairs: number): Promise<number> {
  // The first operation reads the file (or connects): not part of the steady cost.
  await ledger.totals(Date.now());
  const started = performance.now();
  for (let i = 0; i < pairs; i += 1) {
    const id = `q-${i}`;
    const now = Date.now();
    const result = await ledger.reserve({ id, runId: `run-${i % 500}`, amount: 1, minimum: 1, now, limits: LIMITS });
    if (!result.ok) throw new Error('bench: a reservation was refused');
    await ledger.settle(id, 0.5, now);
  }
  return ((performance.now() - started) * 1000) / pairs;
}

/** Runs the scenario: `pairs` pairs per run, at 0 and `entries` past entries, `runs` runs each. */
export async function ledgerHistoryScenario(
  entries: number,
  pairs: number,
  runs: number,
  redis: RedisServer | undefined,
): Promise<ReportRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'loopguard-bench-history-'));
  let made = 0;
  const kinds: Array<[string, (past: number) => Promise<Ledger>]> = [
    [
      'memoryLedger',
      async (past) => {
        const ledger = memoryLedger();
        await prefillByCalls(ledger, past, Date.now());
        return ledger;
      },
    ],
    [
      'fileLedger',
      async (past) => {
        const path = join(dir, `history-${made++}.jsonl`);
        if (past > 0) prefillFile(path, past, Date.now());
        return fileLedger(path);
      },
    ],
  ];
  if (redis) {
    const url = redis.url;
    kinds.push([
      'redisLedger',
      async (past) => {
        const ledger = redisLedger({ url, key: `bench-history-${made++}`, create: true });
        await prefillByCalls(ledger, past, Date.now());
        return ledger;
      },
    ]);
  }
  const scenario = `5. Ledger: reserve + settle, 1 caller, in a ledger of 0 and ${entries.toLocaleString('en-US')} past entries`;
  const rows: ReportRow[] = [];
  try {
    for (const [name, make] of kinds) {
      const medians: number[] = [];
      for (const past of [0, entries]) {
        const samples: number[] = [];
        for (let run = 0; run < runs; run += 1) {
          const ledger = await make(past);
          samples.push(await microsecondsPerPair(ledger, pairs));
          await ledger.close();
        }
        const sample = summarise(samples);
        medians.push(sample.median);
        rows.push({
          scenario,
          contender: `${name}, ${past.toLocaleString('en-US')} past entries`,
          median: sample.median,
          min: sample.min,
          max: sample.max,
          unit: 'µs/pair',
          ratio: undefined,
        });
      }
      const growth = (medians[1] as number) / (medians[0] as number);
      rows.push({
        scenario,
        contender: `${name}, growth (flat ≈ 1)`,
        median: growth,
        min: growth,
        max: growth,
        unit: 'time ratio',
        ratio: undefined,
      });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
