/**
 * Scenario 5a: what a budget adds to each request, by ledger — `client.create` against the mock gateway (in its
 * own process) with no budget (the reference), and with a budget on a memory, file and Redis ledger, at 1 and 64
 * concurrent callers. The figure is wall time per request (total time / requests); the note gives the overhead
 * over no budget, in µs per request.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBudget, fileLedger, type Ledger, memoryLedger, redisLedger } from '@loopguard/budget';
import type { RedisServer } from '@loopguard/budget/redis-server';
import { MessagesClient } from '@loopguard/messages';
import { summarise } from './measure.js';
import type { ReportRow } from './report-table.js';
import { startLoopGateway } from './scenario-loop-overhead.js';

const KEY = 'sk-local-test';

type Contender = [name: string, make: (() => Ledger) | undefined];

async function timePerRequest(
  baseURL: string,
  make: (() => Ledger) | undefined,
  callers: number,
  requests: number,
): Promise<number> {
  const client = new MessagesClient({ apiKey: KEY, baseURL, maxRetries: 0 });
  const ledger = make?.();
  if (ledger) client.use(createBudget({ limit: { credits: 1e12 }, ledger }));
  const params = { model: 'claude-opus-4-6', max_tokens: 64, messages: [{ role: 'user' as const, content: 'hi' }] };
  await client.create(params);
  let left = requests;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (left > 0) {
        left -= 1;
        await client.create(params);
      }
    }),
  );
  const elapsed = performance.now() - started;
  await ledger?.close();
  return elapsed / requests;
}

/** Runs the scenario: `requests` requests per run, `runs` runs per contender and concurrency (interleaved). */
export async function ledgerOverheadScenario(
  requests: number,
  runs: number,
  redis: RedisServer | undefined,
): Promise<ReportRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'loopguard-bench-ledger-'));
  const { baseURL, child } = await startLoopGateway();
  let made = 0;
  const contenders: Contender[] = [
    ['no budget (reference)', undefined],
    ['memoryLedger', () => memoryLedger()],
    ['fileLedger (fsync per operation)', () => fileLedger(join(dir, `spend-${made++}.jsonl`))],
  ];
  if (redis) {
    const url = redis.url;
    contenders.push(['redisLedger', () => redisLedger({ url, key: `bench-overhead-${made++}`, create: true })]);
  }
  const rows: ReportRow[] = [];
  try {
    for (const callers of [1, 64]) {
      const samples = contenders.map(() => [] as number[]);
      for (let run = 0; run < runs; run += 1) {
        for (const [index, [, make]] of contenders.entries())
          samples[index]?.push(await timePerRequest(baseURL, make, callers, requests));
      }
      const reference = summarise(samples[0] as number[]).median;
      for (const [index, [name]] of contenders.entries()) {
        const sample = summarise(samples[index] as number[]);
        const micros = Math.round((sample.median - reference) * 1000);
        // A median below the reference's is noise of the machine, not a budget that saves time: say so.
        const overhead =
          index === 0 ? '' : micros >= 0 ? `, +${micros} µs/request` : `, ${micros} µs/request (within noise)`;
        rows.push({
          scenario: `5. Ledger: per-request overhead of a budget, ${callers} concurrent caller${callers > 1 ? 's' : ''}`,
          contender: `${name}${overhead}`,
          median: sample.median,
          min: sample.min,
          max: sample.max,
          unit: 'ms/request',
          ratio: reference / sample.median,
        });
      }
    }
    if (!redis)
      rows.push({
        scenario: '5. Ledger: per-request overhead of a budget, 1 concurrent caller',
        contender: 'redisLedger',
        median: Number.NaN,
        min: Number.NaN,
        max: Number.NaN,
        unit: 'ms/request',
        ratio: undefined,
        note: 'skipped: redis-server is not installed',
      });
    return rows;
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
