/**
 * @loopguard/workflow/bullmq: workflow runs as BullMQ jobs across machines (`enqueue`, `createWorker`).
 * Install `bullmq` (and `ioredis`) beside the package to use it.
 * @module
 */
export {
  connectionOf,
  createWorker,
  DEFAULT_QUEUE_NAME,
  enqueue,
  enqueueResume,
  type QueueOptions,
  type WorkerOptions,
  type WorkflowWorker,
} from './workflow-queue.js';
