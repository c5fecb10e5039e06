/**
 * `WorkflowContext`: what a workflow's `run` gets — the durable primitives. Each is named; its result is
 * journaled once it finishes, and when the run executes again (a resume, a recovery after a crash) a finished
 * primitive returns its journaled result without running. Calls must come in the same order on every
 * execution: a name used twice, or a journal whose order the code no longer follows, is a `WorkflowError`.
 * Results are stored as JSON.
 * @module
 */
import { isLoopguardError } from '@loopguard/messages';
import {
  type AgentOptions,
  type AgentResult,
  type AgentState,
  type AnyTool,
  resumeAgent,
  runAgent,
  type ToolContext,
} from '@loopguard/tools';
import { type Context, context as otelContext, trace } from '@opentelemetry/api';
import pRetry from 'p-retry';
import { SuspendRun } from './suspend-run.js';
import { WorkflowError } from './workflow-error.js';
import type { WorkflowEvent } from './workflow-events.js';
import type { JournalEntry, Lease, WorkflowStore } from './workflow-store.js';
import type { WorkflowTracing } from './workflow-tracing.js';

/** Retries of a step (p-retry underneath). */
export interface StepRetry {
  /** Attempts in all. @default 1 (no retry) */
  attempts?: number;
  /** Delay before the first retry, in ms; then `factor` times longer each time. @default 1000 */
  minTimeoutMs?: number;
  /** @default 2 */
  factor?: number;
  /** Which errors are retried. @default every error but a spent budget */
  retryIf?: (error: unknown) => boolean;
}

/** A human's decision on `ctx.approval` (or `true` / `false` given to `resume`). */
export interface ApprovalDecision {
  approved: boolean;
  note?: string;
  [field: string]: unknown;
}

/** What an agent step gives back (and journals): the run's result without its steps. */
export type AgentStepResult<Output = unknown> = Pick<
  AgentResult<Output>,
  'stopReason' | 'text' | 'output' | 'messages' | 'usage' | 'credits'
>;

/** Options of `ctx.agent`: `runAgent`'s, but the run id (the workflow's) and checkpoints are the workflow's. */
export type AgentStepOptions<Output = unknown> = Omit<AgentOptions<Output>, 'runId' | 'onCheckpoint' | 'approvals'> & {
  /**
   * Tools that must not run twice: after a crash while such a call ran, the run is suspended for a human
   * (`resume(runId, { approvals: { [toolUseId]: true | false } })`) instead of running it again.
   */
  noRerun?: readonly string[];
};

interface AgentCheckpoint {
  state: AgentState;
  point: 'tools_started' | 'turn_ended' | 'suspended';
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

/** `tools` with the calls in `declined` (by tool_use id) answered by an error instead of running. */
function declineCalls(tools: AgentStepOptions['tools'], declined: ReadonlySet<string>): AgentStepOptions['tools'] {
  if (!Array.isArray(tools)) return tools;
  return tools.map((tool: AnyTool) => ({
    ...tool,
    execute: (input: unknown, context: ToolContext) => {
      if (declined.has(context.toolUseId))
        throw new Error('not run again: it may have run before a crash, and a human declined to run it again');
      return tool.execute(input, context);
    },
  }));
}

const isBudgetStop = (error: unknown): boolean => isLoopguardError(error) && error.stopReason === 'budget_exceeded';

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
        value = await pRetry((attempt) => otelContext.with(traceContext, () => fn({ attempt })), {
          retries: attempts - 1,
          minTimeout: retry.minTimeoutMs ?? 1000,
          factor: retry.factor ?? 2,
          shouldRetry: ({ error }) => !isBudgetStop(error) && (retry.retryIf?.(error) ?? true),
          onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
            if (retriesLeft > 0) this.#internals.emit({ type: 'step_retried', name, attempt: attemptNumber, error });
          },
        });
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
      const { store, lease, approvals } = this.#internals;
      const { noRerun, ...agentOptions } = options;
      const decisions = Object.fromEntries(
        Object.entries(approvals).filter(([, value]) => typeof value === 'boolean'),
      ) as Record<string, boolean>;
      const onCheckpoint = (state: AgentState, point: AgentCheckpoint['point']) =>
        store.saveCheckpoint(lease, name, { state, point });
      const saved = (await store.readCheckpoint(this.runId, name)) as AgentCheckpoint | undefined;
      let run: ReturnType<typeof runAgent<Output>>;
      if (saved) {
        const risky = (saved.point === 'tools_started' ? (saved.state.pendingApproval?.toolUses ?? []) : []).filter(
          (call) => noRerun?.includes(call.name) && decisions[call.id] === undefined,
        );
        if (risky.length > 0)
          throw new SuspendRun({
            kind: 'approval',
            name,
            details: {
              reason: 'may_have_run',
              calls: risky.map((call) => ({ toolUseId: call.id, name: call.name, input: call.input })),
            },
          });
        const { prompt: _prompt, messages: _messages, ...rest } = agentOptions;
        const declined = new Set(
          (saved.point === 'tools_started' ? (saved.state.pendingApproval?.toolUses ?? []) : [])
            .filter((call) => noRerun?.includes(call.name) && decisions[call.id] === false)
            .map((call) => call.id),
        );
        const tools = declined.size > 0 ? declineCalls(rest.tools, declined) : rest.tools;
        run = resumeAgent<Output>(saved.state, {
          ...rest,
          ...(tools ? { tools } : {}),
          approvals: decisions,
          onCheckpoint,
          traceContext,
        });
      } else
        run = runAgent<Output>({
          ...agentOptions,
          runId: this.runId,
          approvals: decisions,
          onCheckpoint,
          traceContext,
        });
      for await (const event of run) this.#internals.emit({ type: 'agent', name, event });
      const result = await run;
      if (result.stopReason === 'awaiting_approval' || result.stopReason === 'budget_exceeded') {
        await store.saveCheckpoint(lease, name, { state: result.state, point: 'suspended' } satisfies AgentCheckpoint);
        const calls = (result.state.pendingApproval?.toolUses ?? []).map((call) => ({
          toolUseId: call.id,
          name: call.name,
          input: call.input,
        }));
        throw new SuspendRun(
          result.stopReason === 'awaiting_approval'
            ? { kind: 'approval', name, details: { reason: 'needs_approval', calls } }
            : {
                kind: 'budget',
                name,
                reason: result.stopError instanceof Error ? result.stopError.message : 'budget exceeded',
              },
        );
      }
      const value: AgentStepResult<Output> = {
        stopReason: result.stopReason,
        text: result.text,
        output: result.output,
        messages: result.messages,
        usage: result.usage,
        credits: result.credits,
      };
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
