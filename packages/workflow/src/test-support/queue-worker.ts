/**
 * A worker process for the distributed test: executes `five-steps` runs from the queue, with a budget on a
 * shared Redis ledger. Every execution of a step appends `<runId> <step>` to the counts file.
 * Usage: queue-worker.ts <redisUrl> <gatewayURL> <countsFile> <ledgerKey> <cap>
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBudget, redisLedger } from '@loopguard/budget';
import { MessagesClient } from '@loopguard/messages';
import { z } from 'zod';
import { createWorker } from '../bullmq/workflow-queue.js';
import { defineWorkflow } from '../engine/define-workflow.js';
import { redisStore } from '../stores/redis-store.js';

const [url = '', baseURL = '', countsFile = '', ledgerKey = '', cap = '0'] = process.argv.slice(2);

/** A 5-step workflow whose fifth step is an agent; each step writes what ran. */
export function fiveSteps(client: MessagesClient, counts: string) {
  const count = (runId: string, step: string) => appendFileSync(counts, `${runId} ${step}\n`);
  return defineWorkflow({
    name: 'five-steps',
    input: z.object({ n: z.number() }),
    output: z.string(),
    run: async (ctx, { n }) => {
      for (const step of ['one', 'two', 'three', 'four'])
        await ctx.step(step, async () => {
          count(ctx.runId, step);
          await sleep(20);
          return `${step} of ${n}`;
        });
      const summary = await ctx.agent('summarise', { client, prompt: `Summarise run ${n}`, maxTokens: 64 });
      return summary.text;
    },
  });
}

if (url) {
  const client = new MessagesClient({ baseURL, apiKey: 'sk-local-test', maxRetries: 8, retryBaseDelayMs: 5 });
  client.use(createBudget({ limit: { credits: Number(cap) }, ledger: redisLedger({ url, key: ledgerKey }) }));
  const store = redisStore({ url, prefix: 'dist:' });
  const worker = createWorker({
    url,
    store,
    workflows: [fiveSteps(client, countsFile)],
    concurrency: 4,
    lockDurationMs: 2000,
  });
  process.stdout.write('ready\n');
  process.on(
    'SIGTERM',
    () =>
      void worker
        .close()
        .then(() => store.close())
        .then(() => process.exit(0)),
  );
}
