/**
 * `WorkflowContext`: what a workflow's `run` gets — the durable primitives. Each is named; its result is
 * journaled once it finishes, and when the run executes again (a resume, a recovery after a crash) a finished
 * primitive returns its journaled result without running. Calls must come in the same order on every
 * execution: a name used twice, or a journal whose order the code no longer follows, is a `WorkflowError`.
 * Results are stored as JSON.
 * @module
 */
import { type Context, trace } from '@opentelemetry/api';
import { SuspendRun } from '../engine/suspend-run.js';
import { WorkflowError } from '../engine/workflow-error.js';
import type { WorkflowEvent } from '../engine/workflow-events.js';
import type { WorkflowTracing } from '../engine/workflow-tracing.js';
import type { JournalEntry, Lease, WorkflowStore } from '../stores/workflow-store.js';
import { type AgentStepOptions, type AgentStepResult, runAgentStep } from './agent-step.js';
import { isBudgetStop, runWithRetry, type StepRetry } from './step-retry.js';

/** A human's decision on `ctx.approval` (or `true` / `false` given to `resume`). */
export interface ApprovalDecision {
  approved: boolean;
  note?: string;
  [field: string]: unknown;
}

/** @internal What the engine gives a context. */
export interface ContextInternals {
  runId: string;
  store: WorkflowStore;
  lease: Lease;
  journal: JournalEntry[];
  approvals: Readonly<Record<string, boolean | ApprovalDecision>>;
  emit: (event: WorkflowEvent) => void;
  now: () => number;
  tracing: WorkflowTracing;
  /** The context of the run's span. */
  traceContext: Context;
}

/** The durable primitives of a run. */
export class WorkflowContext {
  /** The run's id (also the run id of its agents and requests, so a budget's `perRun` caps the workflow). */
  readonly runId: string;
  readonly #internals: ContextInternals;
  readonly #entries = new Map<string, JournalEntry>();
  readonly #names = new Set<string>();
  readonly #inflight = new Set<Promise<unknown>>();
  #next = 0;

  /** @internal Created by the engine. */
  constructor(internals: ContextInternals) {
    this.#internals = internals;
    this.runId = internals.runId;
    for (const entry of internals.journal) this.#entries.set(entry.name, entry);
  }

  /** Runs `fn` once and journals its result; on a later execution, returns the journaled result. */
  step<T>(
    name: string,
    fn: (info: { attempt: number }) => T | Promise<T>,
    options: { retry?: StepRetry } = {},
  ): Promise<T> {
    return this.#track(name, 'step', async (index, traceContext) => {
      const retry = options.retry ?? {};
      const attempts = retry.attempts ?? 1;
      if (!Number.isInteger(attempts) || attempts < 1)
        throw new WorkflowError(`ctx.step("${name}"): \`retry.attempts\` must be a whole number >= 1.`, {
          code: 'invalid_definition',
          runId: this.runId,
        });
      let value: T;
      try {
        const onRetry = (error: unknown, attempt: number) =>
          this.#internals.emit({ type: 'step_retried', name, attempt, error });
        value = await runWithRetry(fn, retry, traceContext, onRetry);
      } catch (error) {
        if (isBudgetStop(error)) throw new SuspendRun({ kind: 'budget', name, reason: (error as Error).message });
        throw error;
      }
      await this.#journal(name, 'step', index, value);
      return value;
    });
  }

  /** Waits for a human's decision, durably: the run suspends until `resume(runId, { approvals: { [name]: … } })`. */
  approval(name: string, details?: unknown): Promise<ApprovalDecision> {
    return this.#track(name, 'approval', async (index) => {
      const given = this.#internals.approvals[name];
      if (given === undefined) throw new SuspendRun({ kind: 'approval', name, details: details ?? null });
      const decision: ApprovalDecision = typeof given === 'boolean' ? { approved: given } : given;
      await this.#journal(name, 'approval', index, decision);
      return decision;
    });
  }

  /** Sleeps durably for `ms`: the run suspends and is picked up again (by `recover()`) once due. */
  sleep(name: string, ms: number): Promise<void> {
    return this.#track(
      name,
      'sleep',
      async (index) => {
        if (!Number.isFinite(ms) || ms < 0)
          throw new WorkflowError(`ctx.sleep("${name}"): \`ms\` must be a finite number >= 0.`, {
            code: 'invalid_definition',
            runId: this.runId,
          });
        const until = this.#internals.now() + ms;
        await this.#journal(name, 'sleep', index, { until });
        if (this.#internals.now() < until) throw new SuspendRun({ kind: 'sleep', name, until });
      },
      (entry) => {
        const { until } = entry.value as { until: number };
        if (this.#internals.now() < until) throw new SuspendRun({ kind: 'sleep', name, until });
      },
    );
  }

  /**
   * Runs an agent as a step that survives crashes: its state is saved before each turn's tools run and after
   * each turn, so a new execution resumes at the turn it was in — turns before it are neither requested nor
   * paid again, and their tools do not run again. A tool call that had started when the process died runs
   * again with the same `toolUseId` (at least once; see `noRerun`). Approvals and a spent budget suspend the run.
   */
  agent<Output = unknown>(name: string, options: AgentStepOptions<Output>): Promise<AgentStepResult<Output>> {
    return this.#track(name, 'agent', async (index, traceContext) => {
      const run = { ...this.#internals, runId: this.runId };
      const value = await runAgentStep<Output>(run, name, options, traceContext);
      await this.#journal(name, 'agent', index, value);
      return value;
    });
  }

  /** @internal Waits for every primitive still running (the engine calls it before it writes the outcome). */
  async settled(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  /** Claims the call's name and place; replays a journaled result, or runs `body` and tracks it. */
  #track<T>(
    name: string,
    kind: JournalEntry['kind'],
    body: (index: number, traceContext: Context) => Promise<T>,
    replay?: (entry: JournalEntry) => void,
  ): Promise<T> {
    const index = this.#next++;
    const promise = (async () => {
      if (typeof name !== 'string' || name.length === 0)
        throw new WorkflowError(`ctx.${kind}: \`name\` must be a non-empty string.`, {
          code: 'invalid_definition',
          runId: this.runId,
        });
      if (this.#names.has(name))
        throw new WorkflowError(
          `ctx.${kind}("${name}"): the name is used twice in this run; each primitive needs its own.`,
          {
            code: 'step_name_reused',
            runId: this.runId,
          },
        );
      this.#names.add(name);
      const entry = this.#entries.get(name);
      if (entry) {
        if (entry.kind !== kind || entry.index !== index)
          throw new WorkflowError(
            `ctx.${kind}("${name}") is call ${index} of this execution, but the journal has "${name}" as ${entry.kind} call ${entry.index}: the workflow's code no longer makes the same calls in the same order.`,
            { code: 'replay_diverged', runId: this.runId },
          );
        replay?.(entry);
        this.#internals.emit({ type: 'step_replayed', name, kind });
        trace
          .getSpan(this.#internals.traceContext)
          ?.addEvent('loopguard.step_replayed', { 'loopguard.step.name': name, 'loopguard.step.kind': kind });
        return entry.value as T;
      }
      this.#internals.emit({ type: 'step_started', name, kind });
      const { tracing, traceContext } = this.#internals;
      const step = tracing.step(traceContext, name, kind);
      let value: T;
      try {
        value = await body(index, step.context);
      } catch (error) {
        tracing.end(step.span, error instanceof SuspendRun ? { suspended: error.suspension.kind } : { error });
        throw error;
      }
      tracing.end(step.span, {});
      this.#internals.emit({ type: 'step_finished', name, kind });
      return value;
    })();
    this.#inflight.add(promise);
    promise.then(
      () => this.#inflight.delete(promise),
      () => this.#inflight.delete(promise),
    );
    return promise;
  }

  async #journal(name: string, kind: JournalEntry['kind'], index: number, value: unknown): Promise<void> {
    const entry: JournalEntry = {
      name,
      kind,
      index,
      value: value === undefined ? undefined : JSON.parse(JSON.stringify(value)),
      at: this.#internals.now(),
    };
    await this.#internals.store.append(this.#internals.lease, entry);
    this.#entries.set(name, entry);
  }
}
