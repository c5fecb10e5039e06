/**
 * One worker process: executes `triage` runs from the queue. Usage: worker.ts <redisUrl> <baseURL>; the key is
 * read from LOOPGUARD_API_KEY (never from the command line, where `ps` would show it).
 * @module
 */
import { MessagesClient } from '@loopguard/messages';
import { redisStore } from '@loopguard/workflow';
import { createWorker } from '@loopguard/workflow/bullmq';
import { triageWorkflow } from './triage-workflow.js';

const [url = '', baseURL = ''] = process.argv.slice(2);
const store = redisStore({ url });
const worker = createWorker({
  url,
  store,
  workflows: [triageWorkflow(new MessagesClient({ baseURL }))],
  concurrency: 2,
});
process.stdout.write(`worker ${process.pid} ready\n`);
process.on(
  'SIGTERM',
  () =>
    void worker
      .close()
      .then(() => store.close())
      .then(() => process.exit(0)),
);
