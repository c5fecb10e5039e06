/**
 * `pnpm --filter @loopguard/example-distributed-workers start`: starts a local redis-server, three worker
 * processes and an enqueuer in one command, runs 12 workflow runs through BullMQ, and prints which worker ran
 * each. On the embedded mock gateway unless LOOPGUARD_API_KEY is set. Needs redis-server installed.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isRedisServerInstalled, startRedisServer } from '@loopguard/budget/redis-server';
import { MessagesClient } from '@loopguard/messages';
import { startGatewayOrMock } from '@loopguard/mock-gateway';
import { redisStore } from '@loopguard/workflow';
import { enqueue } from '@loopguard/workflow/bullmq';
import { triageWorkflow } from './triage-workflow.js';

const WORKERS = 3;
const RUNS = 12;

if (!isRedisServerInstalled()) {
  console.error('distributed-workers needs redis-server on this machine (Debian: apt-get install -y redis-server).');
  process.exit(1);
}
const redis = await startRedisServer();
const gateway = await startGatewayOrMock({ model: () => ({ text: 'bug' }) });
const workerScript = fileURLToPath(new URL('./worker.ts', import.meta.url));
const children: ChildProcess[] = [];
const store = redisStore({ url: redis.url });
try {
  for (let i = 0; i < WORKERS; i++) {
    const child = spawn(
      process.execPath,
      ['--conditions=@loopguard/source', '--import', 'tsx', workerScript, redis.url, gateway.baseURL],
      {
        env: { ...process.env, LOOPGUARD_API_KEY: gateway.apiKey },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk) => String(chunk).includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`a worker exited with ${code}`)));
    });
  }
  console.log(`redis-server at ${redis.url}, ${WORKERS} workers ready; enqueuing ${RUNS} runs`);
  const workflow = triageWorkflow(new MessagesClient({ baseURL: gateway.baseURL, apiKey: gateway.apiKey }));
  for (let n = 1; n <= RUNS; n++)
    await enqueue(workflow, { ticket: `T-${n}` }, { url: redis.url, store, runId: `triage-T-${n}` });
  for (;;) {
    const done = await store.listRuns({ status: 'done' });
    if (done.length === RUNS) break;
    const failed = await store.listRuns({ status: 'failed' });
    if (failed.length > 0) throw new Error(`run ${failed[0]?.runId} failed: ${failed[0]?.error?.message}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const runs = (await store.listRuns()).reverse();
  for (const run of runs) {
    const output = run.output as { ticket: string; label: string; worker: number };
    console.log(`  ${output.ticket} → ${output.label} (worker ${output.worker})`);
  }
  const workers = new Set(runs.map((run) => (run.output as { worker: number }).worker));
  console.log(`${RUNS} of ${RUNS} runs done by ${workers.size} worker process(es)`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map(
      (child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve))),
    ),
  );
  await store.close();
  await gateway.close();
  await redis.stop();
}
