/**
 * `runAgentStep`: the body of `ctx.agent` — an agent run that survives crashes. Its state is saved at each
 * of the run's checkpoints; a new execution resumes from the last one, so turns before it are neither
 * requested nor paid again. A `noRerun` call that may have started before a crash suspends the run for a
 * human; an approval the run waits on, or a spent budget, suspends it too.
 * @module
 */
import {
  type AgentOptions,
  type AgentResult,
  type AgentRun,
  type AgentState,
  type AnyTool,
  resumeAgent,
  runAgent,
  type ToolContext,
} from '@loopguard/tools';
import type { Context } from '@opentelemetry/api';
import { SuspendRun } from '../engine/suspend-run.js';
import type { WorkflowEvent } from '../engine/workflow-events.js';
import type { Lease, WorkflowStore } from '../stores/workflow-store.js';

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

/** @internal What an agent step needs of its run. */
export interface AgentStepRun {
  runId: string;
  store: WorkflowStore;
  lease: Lease;
  approvals: Readonly<Record<string, unknown>>;
  emit: (event: WorkflowEvent) => void;
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

/** The calls a `tools_started` checkpoint was about to run. */
function startedCalls(saved: AgentCheckpoint) {
  return saved.point === 'tools_started' ? (saved.state.pendingApproval?.toolUses ?? []) : [];
}

/** Resumes from a checkpoint, after asking a human about `noRerun` calls that may have run. */
function resumeFromCheckpoint<Output>(
  saved: AgentCheckpoint,
  name: string,
  options: AgentStepOptions<Output>,
  shared: Pick<AgentOptions<Output>, 'approvals' | 'onCheckpoint' | 'traceContext'>,
): AgentRun<Output> {
  const { noRerun, prompt: _prompt, messages: _messages, ...rest } = options;
  const decisions = shared.approvals ?? {};
  const guarded = startedCalls(saved).filter((call) => noRerun?.includes(call.name));
  const risky = guarded.filter((call) => decisions[call.id] === undefined);
  if (risky.length > 0) {
    const calls = risky.map((call) => ({ toolUseId: call.id, name: call.name, input: call.input }));
    throw new SuspendRun({ kind: 'approval', name, details: { reason: 'may_have_run', calls } });
  }
  const declined = new Set(guarded.filter((call) => decisions[call.id] === false).map((call) => call.id));
  const tools = declined.size > 0 ? declineCalls(rest.tools, declined) : rest.tools;
  return resumeAgent<Output>(saved.state, { ...rest, ...(tools ? { tools } : {}), ...shared });
}

/** Saves the suspended state and throws the suspension a stopped run calls for. */
async function suspend(run: AgentStepRun, name: string, result: AgentResult<unknown>): Promise<never> {
  await run.store.saveCheckpoint(run.lease, name, {
    state: result.state,
    point: 'suspended',
  } satisfies AgentCheckpoint);
  if (result.stopReason === 'awaiting_approval') {
    const calls = (result.state.pendingApproval?.toolUses ?? []).map((call) => ({
      toolUseId: call.id,
      name: call.name,
      input: call.input,
    }));
    throw new SuspendRun({ kind: 'approval', name, details: { reason: 'needs_approval', calls } });
  }
  const reason = result.stopError instanceof Error ? result.stopError.message : 'budget exceeded';
  throw new SuspendRun({ kind: 'budget', name, reason });
}

/** @internal Runs (or resumes) the agent of step `name` to its end; suspends on approval or a spent budget. */
export async function runAgentStep<Output>(
  run: AgentStepRun,
  name: string,
  options: AgentStepOptions<Output>,
  traceContext: Context,
): Promise<AgentStepResult<Output>> {
  const approvals = Object.fromEntries(
    Object.entries(run.approvals).filter(([, value]) => typeof value === 'boolean'),
  ) as Record<string, boolean>;
  const onCheckpoint = (state: AgentState, point: AgentCheckpoint['point']) =>
    run.store.saveCheckpoint(run.lease, name, { state, point });
  const shared = { approvals, onCheckpoint, traceContext };
  const saved = (await run.store.readCheckpoint(run.runId, name)) as AgentCheckpoint | undefined;
  const { noRerun: _noRerun, ...agentOptions } = options;
  const agent = saved
    ? resumeFromCheckpoint(saved, name, options, shared)
    : runAgent<Output>({ ...agentOptions, runId: run.runId, ...shared });
  for await (const event of agent) run.emit({ type: 'agent', name, event });
  const result = await agent;
  if (result.stopReason === 'awaiting_approval' || result.stopReason === 'budget_exceeded')
    await suspend(run, name, result);
  const { stopReason, text, output, messages, usage, credits } = result;
  return { stopReason, text, output, messages, usage, credits };
}
