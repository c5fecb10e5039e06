/**
 * Scenario 6: what `@loopguard/workflow` costs. (a) Per step: a run of `steps` trivial steps on `memoryStore`,
 * `fileStore` (an fsync per journal entry) and `redisStore`, beside a bare `await` per step (the reference).
 * (b) Runs per second of 5-step runs through BullMQ with 1, 2 and 4 worker processes on one redis-server.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRedisServerInstalled, startRedisServer } from '@loopguard/budget/redis-server';
import { createWorkflowEngine, fileStore, memoryStore, redisStore, type WorkflowStore } from '@loopguard/workflow';
import { connectionOf, enqueue } from '@loopguard/workflow/bullmq';
import { Queue } from 'bullmq';
import { childNodeArgs } from './child-node-args.js';
import { summarise } from './measure.js';
import type { ReportRow } from './report-table.js';
import { benchSteps } from './workflow-bench-steps.js';

async function bareMicrosPerStep(steps: number): Promise<number> {
  const started = performance.now();
  let sum = 0;
  for (let i = 0; i < steps; i += 1) sum += await Promise.resolve(i);
  if (sum < 0) throw new Error('unreachable');
  return ((performance.now() - started) * 1000) / steps;
}

async function journalMicrosPerStep(store: WorkflowStore, steps: number, runId: string): Promise<number> {
  const workflow = benchSteps(steps);
  const engine = createWorkflowEngine({ store, workflows: [workflow] });
  const started = performance.now();
  const record = await engine.start(workflow, {}, { runId });
  if (record.status !== 'done') throw new Error(`bench: the run ended ${record.status}`);
  return ((performance.now() - started) * 1000) / steps;
}

function startWorker(url: string, prefix: string, queueName: string): Promise<ChildProcess> {
  const script = fileURLToPath(new URL('./workflow-bench-worker.ts', import.meta.url));
  const child = spawn(process.execPath, childNodeArgs(script, [url, prefix, queueName]), {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk) => String(chunk).includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`bench: a workflow worker exited with ${code}`)));
  });
}

async function runsPerSecond(url: string, workers: number, runs: number, round: number): Promise<number> {
  const prefix = `bench-${workers}-${round}:`;
  const queueName = `bench-${workers}-${round}`;
  const children = await Promise.all(Array.from({ length: workers }, () => startWorker(url, prefix, queueName)));
  const store = redisStore({ url, prefix });
  const queue = new Queue(queueName, { connection: connectionOf(url) });
  try {
    const workflow = benchSteps(5);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: runs }, (_, n) => enqueue(workflow, {}, { url, store, queue, queueName, runId: `r-${n}` })),
    );
    while ((await store.listRuns({ status: 'done' })).length < runs)
      await new Promise((resolve) => setTimeout(resolve, 5));
    return runs / ((performance.now() - started) / 1000);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
    await store.close();
    await queue.close();
  }
}

/** Runs the scenario. */
export async function workflowScenario(plan: { steps: number; runs: number; queueRuns: number }): Promise<ReportRow[]> {
  const redis = isRedisServerInstalled() ? await startRedisServer() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'loopguard-bench-workflow-'));
  const rows: ReportRow[] = [];
  try {
    const contenders: Array<[string, (run: number) => Promise<number>]> = [
      ['bare await (reference)', () => bareMicrosPerStep(plan.steps)],
      ['memoryStore', (run) => journalMicrosPerStep(memoryStore(), plan.steps, `m-${run}`)],
      [
        'fileStore (fsync per entry)',
        (run) => journalMicrosPerStep(fileStore(join(dir, `f-${run}`)), plan.steps, `f-${run}`),
      ],
    ];
    if (redis)
      contenders.push([
        'redisStore',
        (run) => journalMicrosPerStep(redisStore({ url: redis.url, prefix: `j-${run}:` }), plan.steps, `r-${run}`),
      ]);
    const samples = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
    for (let run = 0; run < plan.runs; run += 1)
      for (const [name, measure] of contenders) samples.get(name)?.push(await measure(run));
    const reference = summarise(samples.get('bare await (reference)') ?? []).median;
    for (const [name] of contenders) {
      const sample = summarise(samples.get(name) ?? []);
      const overhead = name.includes('reference') ? '' : `, +${(sample.median - reference).toFixed(1)} µs/step`;
      rows.push({
        scenario: `6. Workflow: journal cost per step (runs of ${plan.steps} steps)`,
        contender: `${name}${overhead}`,
        median: sample.median,
        min: sample.min,
        max: sample.max,
        unit: 'µs/step',
        ratio: reference / sample.median,
      });
    }
    if (redis)
      for (const workers of [1, 2, 4]) {
        const perSecond: number[] = [];
        for (let round = 0; round < 2; round += 1)
          perSecond.push(await runsPerSecond(redis.url, workers, plan.queueRuns, round));
        const sample = summarise(perSecond);
        rows.push({
          scenario: `6. Workflow: 5-step runs through BullMQ (${plan.queueRuns} runs, worker processes of concurrency 8)`,
          contender: `${workers} worker${workers > 1 ? 's' : ''}`,
          median: sample.median,
          min: sample.min,
          max: sample.max,
          unit: 'runs/s',
          ratio: undefined,
        });
      }
  } finally {
    await redis?.stop();
  }
  return rows;
}
