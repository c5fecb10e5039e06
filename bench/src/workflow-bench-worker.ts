/**
 * A worker process of the workflow bench: executes `bench-steps` runs (5 trivial steps) from the queue.
 * Usage: workflow-bench-worker.ts <redisUrl> <prefix> <queueName>
 * @module
 */
import { redisStore } from '@loopguard/workflow';
import { createWorker } from '@loopguard/workflow/bullmq';
import { benchSteps } from './workflow-bench-steps.js';

const [url = '', prefix = '', queueName = ''] = process.argv.slice(2);
const store = redisStore({ url, prefix });
const worker = createWorker({ url, store, queueName, workflows: [benchSteps(5)], concurrency: 8 });
process.stdout.write('ready\n');
process.on(
  'SIGTERM',
  () =>
    void worker
      .close()
      .then(() => store.close())
      .then(() => process.exit(0)),
);
