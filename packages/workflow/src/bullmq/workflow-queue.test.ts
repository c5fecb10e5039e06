import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LEASE_MS, redisLedger } from '@loopguard/budget';
import { isRedisServerInstalled, type RedisServer, startRedisServer } from '@loopguard/budget/redis-server';
import { MessagesClient } from '@loopguard/messages';
import { type MockGateway, startMockGateway } from '@loopguard/mock-gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { redisStore } from '../stores/redis-store.js';
import { fiveSteps } from '../test-support/queue-worker.js';
import { enqueue } from './workflow-queue.js';

const worker = fileURLToPath(new URL('../test-support/queue-worker.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = 100;
const CAP = 500;
if (!isRedisServerInstalled() && process.env.CI)
  throw new Error('redis-server is not installed, and CI=true: .ci/run installs it.');

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startWorker(args: string[]): { child: ChildProcess; ready: Promise<void>; exited: Promise<unknown> } {
  const child = spawn(process.execPath, ['--conditions=@loopguard/source', '--import', 'tsx', worker, ...args], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => String(chunk).includes('ready') && resolve());
    void exited.then(() => reject(new Error(`worker exited: ${stderr}`)));
  });
  return { child, ready, exited };
}

describe.skipIf(!isRedisServerInstalled())('workflows on BullMQ across OS processes', () => {
  it('Should finish 100 runs on 3 workers under ~20% gateway faults with one worker SIGKILLed: no finished step runs again, the budget holds', async () => {
    const redis: RedisServer = await startRedisServer();
    cleanups.push(() => redis.stop());
    const gateway: MockGateway = await startMockGateway({
      faults: {
        seed: 16,
        rules: [
          { probability: 0.08, fault: { type: 'status', status: 500 } },
          { probability: 0.06, fault: { type: 'status', status: 503 } },
          { probability: 0.06, fault: { type: 'reset' } },
        ],
      },
      model: () => ({ text: 'Summarised.' }),
    });
    cleanups.push(() => gateway.close());
    const ledgerKey = 'dist-budget';
    const creator = redisLedger({ url: redis.url, key: ledgerKey, create: true });
    await creator.initialize();
    await creator.close();
    const counts = join(mkdtempSync(join(tmpdir(), 'loopguard-dist-')), 'counts.txt');
    const workers = [0, 1, 2].map(() => startWorker([redis.url, gateway.baseURL, counts, ledgerKey, String(CAP)]));
    cleanups.push(async () => {
      for (const w of workers) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
    });
    await Promise.all(workers.map((w) => w.ready));

    const store = redisStore({ url: redis.url, prefix: 'dist:' });
    cleanups.push(() => store.close());
    const workflow = fiveSteps(new MessagesClient({ apiKey: 'sk-local-test' }), counts);
    for (let n = 0; n < RUNS; n++) await enqueue(workflow, { n }, { url: redis.url, store, runId: `run-${n}` });
    await enqueue(workflow, { n: 0 }, { url: redis.url, store, runId: 'run-0' }); // idempotent: queued once

    const done = async () => (await store.listRuns({ status: 'done' })).length;
    await expect.poll(done, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(30);
    workers[0]?.child.kill('SIGKILL');
    await expect.poll(done, { timeout: 120_000, interval: 200 }).toBe(RUNS);

    const runs = await store.listRuns();
    expect(runs).toHaveLength(RUNS);
    expect(runs.every((run) => run.status === 'done' && run.output === 'Summarised.')).toBe(true);
    const executions = new Map<string, number>();
    for (const line of readFileSync(counts, 'utf8').trim().split('\n'))
      executions.set(line, (executions.get(line) ?? 0) + 1);
    for (let n = 0; n < RUNS; n++)
      for (const step of ['one', 'two', 'three', 'four'])
        expect(executions.get(`run-${n} ${step}`), `run-${n} ${step}`).toBeGreaterThanOrEqual(1);
    // Only a step in flight on the killed worker (4 runs at most) may have run twice; a journaled one never.
    const twice = [...executions.entries()].filter(([, times]) => times > 1);
    expect(twice.every(([, times]) => times === 2)).toBe(true);
    expect(twice.length).toBeLessThanOrEqual(4);
    console.log(
      `bullmq distributed: ${JSON.stringify({ runs: RUNS, requests: gateway.requests.length, faults: gateway.requests.filter((r) => r.fault).length, ranTwice: twice.map(([line]) => line), billed: gateway.billed() })}`,
    );
    const billed = gateway.billed();
    expect(billed).toBeGreaterThan(0);
    expect(billed).toBeLessThanOrEqual(CAP);
    const ledger = redisLedger({ url: redis.url, key: ledgerKey });
    expect((await ledger.totals(Date.now() + DEFAULT_LEASE_MS + 1)).spent).toBeGreaterThanOrEqual(billed - 1e-9);
    await ledger.close();
    expect(existsSync(counts)).toBe(true);
  }, 240_000);
});
