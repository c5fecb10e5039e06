import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LEASE_MS, fileLedger, type Ledger, redisLedger } from '@loopguard/budget';
import { type RedisServer, startRedisServer } from '@loopguard/budget/redis-server';
import { type MockGateway, startMockGateway } from '@loopguard/mock-gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { FAULT_RULES, faultKind } from '../src/fault-plan.js';
import { redisSkipReason } from '../src/redis-skip-reason.js';

const reliabilityDir = fileURLToPath(new URL('..', import.meta.url));
const KEY = 'sk-multi-process-0123456789';
const CAP = 60;
const PROCESSES = 4;

interface Worker {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | string>;
  waitFor(text: string): Promise<void>;
}

interface Summary {
  worker: number;
  stops: Record<string, number>;
  errors: Record<string, number>;
  ledgerFailedRuns: string[];
  settlements: number;
}

function startWorker(spec: object, gateway: MockGateway, index: number): Worker {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@loopguard/source',
      '--import',
      'tsx',
      'src/budget-worker.ts',
      JSON.stringify(spec),
      gateway.baseURL,
      KEY,
      String(CAP),
      String(index),
    ],
    { cwd: reliabilityDir, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const worker: Worker = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'))),
    waitFor: (text) =>
      new Promise((resolve, reject) => {
        const check = () => worker.stdout.includes(text) && resolve();
        child.stdout?.on('data', check);
        void worker.exited.then(() => reject(new Error(`worker ${index} exited before "${text}": ${worker.stderr}`)));
        check();
      }),
  };
  child.stdout?.on('data', (chunk) => (worker.stdout += String(chunk)));
  child.stderr?.on('data', (chunk) => (worker.stderr += String(chunk)));
  return worker;
}

const summaryOf = (worker: Worker): Summary => JSON.parse(worker.stdout.trim().split('\n').at(-1) ?? '{}') as Summary;

/** Runs 4 processes × 16 agents on one cap through `spec`; `during` injects the outage; returns what to check. */
async function sharedRun(spec: object, observer: () => Ledger, during: (workers: Worker[]) => Promise<void>) {
  const gateway = await startMockGateway({
    keys: [{ key: KEY, credits: 1_000_000 }],
    faults: { seed: 14, rules: FAULT_RULES },
    model: () => ({ text: 'Working. '.repeat(15), toolCalls: [{ name: 'echo', input: { text: 'again' } }] }),
  });
  const workers = Array.from({ length: PROCESSES }, (_, index) => startWorker(spec, gateway, index));
  try {
    // All start at once, however long each took to load (one that started late found the cap nearly spent,
    // and then never reported progress).
    await Promise.all(workers.map((worker) => worker.waitFor('ready')));
    for (const worker of workers) worker.child.stdin?.end('go\n');
    // One process is SIGKILLed mid-run, with requests and reservations in flight.
    await (workers[0] as Worker).waitFor('progress');
    (workers[0] as Worker).child.kill('SIGKILL');
    await during(workers);
    const codes = await Promise.all(workers.map((worker) => worker.exited));
    const billed = gateway.accounts.get(KEY)?.spent ?? 0;
    const faults: Record<string, number> = {};
    for (const request of gateway.requests)
      if (request.fault) faults[faultKind(request.fault)] = (faults[faultKind(request.fault)] ?? 0) + 1;
    const ledger = observer();
    const now = Date.now();
    const report = await ledger.report(now);
    const afterLease = await ledger.totals(now + DEFAULT_LEASE_MS + 1);
    await ledger.close();
    return { codes, workers, billed, faults, requests: gateway.requests.length, report, afterLease };
  } finally {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await gateway.close();
  }
}

function expectTheCapHeld(run: Awaited<ReturnType<typeof sharedRun>>): Summary[] {
  const { codes, workers, billed, report, afterLease } = run;
  expect(codes[0]).toBe('SIGKILL');
  for (const [index, code] of codes.slice(1).entries())
    expect(code, `worker ${index + 1}: ${workers[index + 1]?.stderr}`).toBe(0);
  const summaries = workers.slice(1).map(summaryOf);
  // Every agent of every surviving process ended stopped by the budget.
  for (const summary of summaries) expect(summary.stops.budget_exceeded).toBe(16);
  // The headline: the gateway never billed past the cap, and the ledger never counted less than it billed.
  expect(billed).toBeGreaterThan(0);
  expect(billed).toBeLessThanOrEqual(CAP);
  expect(afterLease.spent).toBeGreaterThanOrEqual(billed - 1e-9);
  expect(afterLease.spent).toBeLessThanOrEqual(CAP + 1e-9);
  // No reservation is left open but the dead process's and those of runs whose ledger call failed; once their
  // lease has run out they count as spent (possibly billed).
  const excused = new Set(summaries.flatMap((summary) => summary.ledgerFailedRuns));
  for (const row of report.rows.filter((r) => r.reserved > 0))
    expect(row.runId.startsWith('w0-') || excused.has(row.runId), row.runId).toBe(true);
  expect(afterLease.outstanding).toBe(0);
  expect(afterLease.reserved).toBe(0);
  return summaries;
}

const skip = redisSkipReason();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('reliability: one cap shared by 4 OS processes × 16 agents under ~20% faults', () => {
  it('Should hold through a file ledger when one process is SIGKILLed mid-run', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'loopguard-multi-')), 'spend.jsonl');
    const run = await sharedRun(
      { kind: 'file', path },
      () => fileLedger(path),
      async () => undefined,
    );
    const summaries = expectTheCapHeld(run);
    // The dead process's reservations were counted as spent at once (its pid is gone), not left reserved.
    expect(run.report.totals.outstanding).toBe(0);
    console.log(
      `multi-process file ledger: ${JSON.stringify({ cap: CAP, billed: run.billed, ledger: run.afterLease.spent, possiblyBilled: run.afterLease.possiblyBilled, requests: run.requests, faults: run.faults, summaries })}`,
    );
  }, 240_000);

  it.skipIf(skip !== undefined)(
    'Should hold through one real redis-server restarted mid-run with its data, one process SIGKILLed',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'loopguard-multi-redis-'));
      let server: RedisServer = await startRedisServer({ dataDir });
      cleanups.push(() => server.stop());
      const key = `multi-${Date.now()}`;
      const creator = redisLedger({ url: server.url, key });
      await creator.initialize();
      await creator.close();
      let restarts = 0;
      const run = await sharedRun(
        { kind: 'redis', url: server.url, key },
        () => redisLedger({ url: server.url, key }),
        async (workers) => {
          await (workers[1] as Worker).waitFor('progress');
          await server.stop();
          server = await startRedisServer({ dataDir, port: server.port });
          restarts += 1;
        },
      );
      const summaries = expectTheCapHeld(run);
      expect(restarts).toBe(1);
      console.log(
        `multi-process redis ledger: ${JSON.stringify({ cap: CAP, billed: run.billed, ledger: run.afterLease.spent, possiblyBilled: run.afterLease.possiblyBilled, openAtEnd: run.report.totals.outstanding, requests: run.requests, faults: run.faults, summaries })}`,
      );
    },
    240_000,
  );
});
