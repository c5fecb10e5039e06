/**
 * `createWorkflowEngine({ store, workflows })`: starts, resumes and recovers workflow runs on this process.
 * A run is executed by one owner at a time (a lease with a fencing token, renewed while it runs); an
 * execution ends done, suspended (approval, sleep), budget_exceeded or failed, and its record says which.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type ApprovalDecision, WorkflowContext } from '../context/workflow-context.js';
import {
  type Lease,
  newRunRecord,
  type RunRecord,
  type RunStatus,
  type WorkflowStore,
} from '../stores/workflow-store.js';
import { parseWith, type Workflow } from './define-workflow.js';
import { SuspendRun } from './suspend-run.js';
import { WorkflowError } from './workflow-error.js';
import type { WorkflowEvent } from './workflow-events.js';
import { WorkflowHandle } from './workflow-handle.js';
import { WorkflowTracing, type WorkflowTracingOptions } from './workflow-tracing.js';

/** Options of `createWorkflowEngine`. */
export interface WorkflowEngineOptions {
  store: WorkflowStore;
  // biome-ignore lint/suspicious/noExplicitAny: an engine runs workflows of every input and output type.
  workflows: ReadonlyArray<Workflow<any, any>>;
  /** This process's name in leases. @default `${hostname}:${pid}:${random}` */
  owner?: string;
  /** How long a lease lasts without renewal, in ms (renewed every third of it while a run executes). @default 30_000 */
  leaseMs?: number;
  /** OpenTelemetry spans of runs and steps (`workflow {name}`, `step {name}`); `false` turns them off. @default { tracerProvider: the global one } */
  tracing?: WorkflowTracingOptions;
  /** The clock of timers (`ctx.sleep`) and of records; leases always run on the real clock. @default Date.now */
  now?: () => number;
}

const RUN_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** Runs workflows with a store. */
export class WorkflowEngine {
  readonly #store: WorkflowStore;
  // biome-ignore lint/suspicious/noExplicitAny: see WorkflowEngineOptions.workflows.
  readonly #workflows = new Map<string, Workflow<any, any>>();
  readonly #owner: string;
  readonly #leaseMs: number;
  readonly #now: () => number;
  readonly #tracing: WorkflowTracing;

  constructor(options: WorkflowEngineOptions) {
    this.#store = options.store;
    for (const workflow of options.workflows) {
      if (this.#workflows.has(workflow.name))
        throw new WorkflowError(`Two workflows are named "${workflow.name}".`, { code: 'invalid_definition' });
      this.#workflows.set(workflow.name, workflow);
    }
    this.#owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#leaseMs = options.leaseMs ?? 30_000;
    if (!Number.isInteger(this.#leaseMs) || this.#leaseMs < 100)
      throw new WorkflowError('`leaseMs` must be a whole number of ms >= 100.', { code: 'invalid_definition' });
    this.#now = options.now ?? Date.now;
    this.#tracing = new WorkflowTracing(options.tracing);
  }

  /**
   * Starts a run of `workflow` with `input` (validated now: a `WorkflowError` `invalid_input` names each bad
   * field). With the `runId` of a run that exists, nothing starts again: the handle gives that run's record.
   */
  start<Input, Output>(
    workflow: Workflow<Input, Output>,
    input: Input,
    options: { runId?: string } = {},
  ): WorkflowHandle {
    const known = this.#workflows.get(workflow.name);
    if (known !== workflow)
      throw new WorkflowError(`The engine was not given the workflow "${workflow.name}".`, {
        code: 'unknown_workflow',
      });
    const runId = options.runId ?? randomUUID();
    if (!RUN_ID.test(runId))
      throw new WorkflowError(`\`runId\` must match ${RUN_ID.source}; got ${JSON.stringify(runId)}.`, {
        code: 'invalid_input',
      });
    const parsed = parseWith(workflow.input, input, 'invalid_input', `The input of "${workflow.name}"`, runId);
    return new WorkflowHandle(runId, async (emit) => {
      const now = this.#now();
      const { record, created } = await this.#store.createRun(newRunRecord(runId, workflow.name, parsed, now));
      if (!created) return record;
      return this.#execute(runId, {}, emit, false);
    });
  }

  /** Goes on with a suspended (or failed) run: `approvals` answers `ctx.approval` names and agent tool calls (by `toolUseId`). */
  resume(runId: string, options: { approvals?: Record<string, boolean | ApprovalDecision> } = {}): WorkflowHandle {
    return new WorkflowHandle(runId, async (emit) => {
      const record = await this.#store.getRun(runId);
      if (!record) throw new WorkflowError(`No run ${runId}.`, { code: 'run_not_found', runId });
      if (record.status === 'done') return record;
      return this.#execute(runId, options.approvals ?? {}, emit, true);
    });
  }

  /** A run's record. */
  getRun(runId: string): Promise<RunRecord | undefined> {
    return this.#store.getRun(runId);
  }

  /** Runs, newest first, optionally of one status. */
  listRuns(filter: { status?: RunStatus } = {}): Promise<RunRecord[]> {
    return this.#store.listRuns(filter);
  }

  /**
   * Picks up what no one is executing: runs left `running` by an owner whose lease expired (it died), and
   * runs sleeping past their due time. Returns a handle per run taken (await them, or iterate them).
   */
  async recover(): Promise<WorkflowHandle[]> {
    const now = this.#now();
    const handles: WorkflowHandle[] = [];
    for (const record of await this.#store.listRuns()) {
      const due =
        record.status === 'suspended' && record.suspension?.kind === 'sleep' && record.suspension.until <= now;
      const orphaned =
        record.status === 'running' && ((await this.#store.lease(record.runId))?.expiresAt ?? 0) <= Date.now();
      if (due || orphaned)
        handles.push(new WorkflowHandle(record.runId, (emit) => this.#execute(record.runId, {}, emit, true)));
    }
    return handles;
  }

  async #execute(
    runId: string,
    approvals: Record<string, boolean | ApprovalDecision>,
    emit: (event: WorkflowEvent) => void,
    resumed: boolean,
  ): Promise<RunRecord> {
    const record = await this.#store.getRun(runId);
    if (!record) throw new WorkflowError(`No run ${runId}.`, { code: 'run_not_found', runId });
    const workflow = this.#workflows.get(record.workflow);
    if (!workflow)
      throw new WorkflowError(`Run ${runId} is of workflow "${record.workflow}", which this engine was not given.`, {
        code: 'unknown_workflow',
        runId,
      });
    const lease = await this.#store.acquire(runId, this.#owner, this.#leaseMs, Date.now());
    if (!lease)
      throw new WorkflowError(`Run ${runId} is being executed by another process.`, { code: 'lease_held', runId });
    const renewal = setInterval(() => void this.#renew(lease), Math.floor(this.#leaseMs / 3));
    const traced = this.#tracing.run(workflow.name, runId, resumed);
    try {
      await this.#store.updateRun(lease, { status: 'running', suspension: undefined, error: undefined });
      emit({ type: 'run_started', runId, resumed });
      const context = new WorkflowContext({
        runId,
        store: this.#store,
        lease,
        journal: await this.#store.journal(runId),
        approvals,
        emit,
        now: this.#now,
        tracing: this.#tracing,
        traceContext: traced.context,
      });
      const outcome = await this.#outcome(lease, workflow, record, context, emit);
      this.#tracing.end(traced.span, {
        status: outcome.status,
        ...(outcome.suspension ? { suspended: outcome.suspension.kind } : {}),
        ...(outcome.status === 'failed'
          ? { error: Object.assign(new Error(outcome.error?.message), { code: outcome.error?.code }) }
          : {}),
      });
      return outcome;
    } catch (error) {
      this.#tracing.end(traced.span, { error });
      throw error;
    } finally {
      clearInterval(renewal);
      await this.#store.release(lease).catch(() => undefined);
    }
  }

  async #outcome(
    lease: Lease,
    workflow: Workflow<unknown, unknown>,
    record: RunRecord,
    context: WorkflowContext,
    emit: (event: WorkflowEvent) => void,
  ): Promise<RunRecord> {
    let output: unknown;
    try {
      output = await workflow.run(context, record.input);
      await context.settled();
      output = parseWith(workflow.output, output, 'invalid_output', `The output of "${workflow.name}"`, record.runId);
    } catch (error) {
      await context.settled();
      if (error instanceof WorkflowError && error.code === 'lease_lost') throw error;
      if (error instanceof SuspendRun) {
        const status = error.suspension.kind === 'budget' ? 'budget_exceeded' : 'suspended';
        const suspended = await this.#store.updateRun(lease, { status, suspension: error.suspension });
        emit({ type: 'suspended', suspension: error.suspension, record: suspended });
        return suspended;
      }
      const failure = error instanceof Error ? error : new Error(String(error));
      const code = (failure as { code?: unknown }).code;
      const failed = await this.#store.updateRun(lease, {
        status: 'failed',
        error: { name: failure.name, message: failure.message, ...(typeof code === 'string' ? { code } : {}) },
      });
      emit({ type: 'failed', record: failed });
      return failed;
    }
    const done = await this.#store.updateRun(lease, { status: 'done', output });
    emit({ type: 'done', record: done });
    return done;
  }

  async #renew(lease: Lease): Promise<void> {
    const renewed = await this.#store
      .acquire(lease.runId, this.#owner, this.#leaseMs, this.#now())
      .catch(() => undefined);
    if (renewed) lease.expiresAt = renewed.expiresAt;
  }
}

/** An engine for `workflows` on `store`. */
export function createWorkflowEngine(options: WorkflowEngineOptions): WorkflowEngine {
  return new WorkflowEngine(options);
}
