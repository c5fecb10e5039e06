/**
 * Workflows as BullMQ jobs, for more than one machine: `enqueue` a run from anywhere, `createWorker` executes
 * runs on any number of processes. The journal lives in a shared store (`redisStore`); a job only says which
 * run to execute. BullMQ's stalled-job recovery hands the run of a worker that died to another worker, which
 * resumes it from the journal; `ctx.sleep` becomes a delayed job; a failed attempt (the run's lease still held
 * by a dying owner) is retried with BullMQ's backoff.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue, Worker } from 'bullmq';
import type { ApprovalDecision } from '../context/workflow-context.js';
import { parseWith, type Workflow } from '../engine/define-workflow.js';
import { createWorkflowEngine } from '../engine/workflow-engine.js';
import { newRunRecord, type WorkflowStore } from '../stores/workflow-store.js';

/** The queue workflows run on unless told otherwise. */
export const DEFAULT_QUEUE_NAME = 'loopguard-workflows';

/** Where the queue lives. */
export interface QueueOptions {
  /** The Redis of the queue (`redis://[user:password@]host:port/db`). */
  url: string;
  /** @default 'loopguard-workflows' */
  queueName?: string;
  /** An open BullMQ `Queue` (of `queueName`) to add to, instead of opening one per call. */
  queue?: Queue;
}

interface RunJob {
  runId: string;
  approvals?: Record<string, boolean | ApprovalDecision>;
}

const JOB_OPTIONS = {
  attempts: 30,
  backoff: { type: 'fixed' as const, delay: 500 },
  removeOnComplete: 1000,
  removeOnFail: 1000,
};

/** BullMQ connection options from a Redis URL (BullMQ needs `maxRetriesPerRequest: null`). */
export function connectionOf(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    db: Number(parsed.pathname.slice(1) || 0),
    maxRetriesPerRequest: null,
  };
}

async function withQueue<T>(options: QueueOptions, work: (queue: Queue<RunJob>) => Promise<T>): Promise<T> {
  if (options.queue) return work(options.queue as Queue<RunJob>);
  const queue = new Queue<RunJob>(options.queueName ?? DEFAULT_QUEUE_NAME, { connection: connectionOf(options.url) });
  try {
    return await work(queue);
  } finally {
    await queue.close();
  }
}

/**
 * Creates the run in `store` (validating `input`; an existing `runId` is kept as it is) and queues it; a worker
 * executes it. Returns the run id. Enqueueing a run id twice queues it once.
 */
export async function enqueue<Input, Output>(
  workflow: Workflow<Input, Output>,
  input: Input,
  options: QueueOptions & { store: WorkflowStore; runId?: string },
): Promise<string> {
  const runId = options.runId ?? randomUUID();
  const parsed = parseWith(workflow.input, input, 'invalid_input', `The input of "${workflow.name}"`, runId);
  const now = Date.now();
  await options.store.createRun(newRunRecord(runId, workflow.name, parsed, now));
  await withQueue(options, (queue) => queue.add('run', { runId }, { ...JOB_OPTIONS, jobId: runId }));
  return runId;
}

/** Queues a suspended run again, with the approvals that answer it. */
export async function enqueueResume(
  runId: string,
  options: QueueOptions & { approvals?: Record<string, boolean | ApprovalDecision> },
): Promise<void> {
  await withQueue(options, (queue) =>
    queue.add(
      'run',
      { runId, approvals: options.approvals ?? {} },
      { ...JOB_OPTIONS, jobId: `${runId}-resume-${randomUUID()}` },
    ),
  );
}

/** Options of `createWorker`. */
export interface WorkerOptions extends QueueOptions {
  // biome-ignore lint/suspicious/noExplicitAny: a worker runs workflows of every input and output type.
  workflows: ReadonlyArray<Workflow<any, any>>;
  /** The journal, shared by every worker (`redisStore`). */
  store: WorkflowStore;
  /** Runs executed at once by this worker. @default 4 */
  concurrency?: number;
  /**
   * How long a job (and the run's lease) stays this worker's without renewal, in ms: a worker that dies hands
   * its runs to the others about this long after (BullMQ's stalled check runs every half of it). @default 30_000
   */
  lockDurationMs?: number;
}

/** A running worker. */
export interface WorkflowWorker {
  /** BullMQ's worker. */
  readonly worker: Worker<RunJob, string>;
  /** Stops taking jobs, waits for the running ones, and closes its connections. */
  close(): Promise<void>;
}

/** Starts a worker that executes queued runs. */
export function createWorker(options: WorkerOptions): WorkflowWorker {
  const lockDuration = options.lockDurationMs ?? 30_000;
  const engine = createWorkflowEngine({
    store: options.store,
    workflows: options.workflows,
    leaseMs: lockDuration,
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
  });
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const wakeups = new Queue<RunJob>(queueName, { connection: connectionOf(options.url) });
  const worker = new Worker<RunJob, string>(
    queueName,
    async (job) => {
      const record = await engine.resume(job.data.runId, { approvals: job.data.approvals ?? {} });
      if (record.status === 'suspended' && record.suspension?.kind === 'sleep') {
        const { until } = record.suspension;
        await wakeups.add(
          'run',
          { runId: record.runId },
          { ...JOB_OPTIONS, jobId: `${record.runId}-wake-${until}`, delay: Math.max(0, until - Date.now()) },
        );
      }
      return record.status;
    },
    {
      connection: connectionOf(options.url),
      concurrency: options.concurrency ?? 4,
      lockDuration,
      stalledInterval: Math.max(100, Math.floor(lockDuration / 2)),
      maxStalledCount: 10,
    },
  );
  return {
    worker,
    async close() {
      await worker.close();
      await wakeups.close();
    },
  };
}
