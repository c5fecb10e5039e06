import { isRedisServerInstalled, type RedisServer, startRedisServer } from '@loopguard/budget/redis-server';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineWorkflow } from '../engine/define-workflow.js';
import { redisStore } from '../stores/redis-store.js';
import { createWorker, enqueue, enqueueResume, type WorkflowWorker } from './workflow-queue.js';

if (!isRedisServerInstalled() && process.env.CI)
  throw new Error('redis-server is not installed, and CI=true: .ci/run installs it.');
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!isRedisServerInstalled())('workflows on BullMQ: sleeps and approvals', () => {
  it('Should wake a sleeping run with a delayed job, and finish an approved run on whichever worker takes the resume', async () => {
    const redis: RedisServer = await startRedisServer();
    cleanups.push(() => redis.stop());
    const store = redisStore({ url: redis.url, prefix: 'suspend:' });
    cleanups.push(() => store.close());
    const ran: string[] = [];
    const flow = defineWorkflow({
      name: 'nap-then-ask',
      input: z.object({}),
      output: z.string(),
      run: async (ctx) => {
        await ctx.step('before', () => ran.push('before'));
        await ctx.sleep('nap', 300);
        await ctx.step('after-nap', () => ran.push('after-nap'));
        const decision = await ctx.approval('go', { question: 'ship it?' });
        return decision.approved ? 'shipped' : 'kept';
      },
    });
    const workers: WorkflowWorker[] = [0, 1].map(() =>
      createWorker({ url: redis.url, store, workflows: [flow], lockDurationMs: 2000 }),
    );
    cleanups.push(() => Promise.all(workers.map((worker) => worker.close())));
    await enqueue(flow, {}, { url: redis.url, store, runId: 'nap-1' });
    // No recover() is called: only the delayed job can wake the run, which then stops at the approval.
    await expect
      .poll(async () => (await store.getRun('nap-1'))?.suspension?.kind, { timeout: 30_000, interval: 50 })
      .toBe('approval');
    expect(ran).toEqual(['before', 'after-nap']);
    await enqueueResume('nap-1', { url: redis.url, approvals: { go: true } });
    await expect
      .poll(async () => (await store.getRun('nap-1'))?.status, { timeout: 30_000, interval: 50 })
      .toBe('done');
    expect((await store.getRun('nap-1'))?.output).toBe('shipped');
    expect(ran).toEqual(['before', 'after-nap']);
  }, 60_000);
});
