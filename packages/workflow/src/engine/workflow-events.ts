/**
 * The events of a workflow run, in order, as `for await (const event of handle)` yields them.
 * @module
 */
import type { AgentEvent } from '@loopguard/tools';
import type { JournalEntry, RunRecord, Suspension } from '../stores/workflow-store.js';

/** An event of a workflow run. */
export type WorkflowEvent =
  /** This process took the run (a start, a resume, or a recovery of a run whose owner died). */
  | { type: 'run_started'; runId: string; resumed: boolean }
  /** A primitive runs for the first time (or again, after a crash in it). */
  | { type: 'step_started'; name: string; kind: JournalEntry['kind'] }
  /** A primitive finished earlier: its journaled result is returned without running it. */
  | { type: 'step_replayed'; name: string; kind: JournalEntry['kind'] }
  /** A primitive finished and its result is journaled. */
  | { type: 'step_finished'; name: string; kind: JournalEntry['kind'] }
  /** A step's attempt failed and is retried. */
  | { type: 'step_retried'; name: string; attempt: number; error: unknown }
  /** An event of an agent step. */
  | { type: 'agent'; name: string; event: AgentEvent }
  /** The run is suspended (approval, sleep, budget) and saved; `resume` or `recover` goes on with it. */
  | { type: 'suspended'; suspension: Suspension; record: RunRecord }
  /** The run finished with its output. */
  | { type: 'done'; record: RunRecord }
  /** The run failed; `record.error` says why. */
  | { type: 'failed'; record: RunRecord };
