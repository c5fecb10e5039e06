/**
 * `WorkflowStore`: where runs and their journals live. A run is executed by one owner at a time: it takes a
 * lease (with a fencing token) and every write names that lease, so a process that lost its lease — it
 * stalled past the lease and another process took the run over — cannot write into the journal any more.
 * @module
 */

/** Where a run stands. */
export type RunStatus = 'running' | 'suspended' | 'budget_exceeded' | 'failed' | 'done';

/** Why a run is suspended, and what resumes it. */
export type Suspension =
  /** `ctx.approval(name)`, or agent tool calls that need a decision: `resume(runId, { approvals })`. */
  | { kind: 'approval'; name: string; details: unknown }
  /** `ctx.sleep(name)`: due at `until` (ms since epoch); `recover()` resumes it then. */
  | { kind: 'sleep'; name: string; until: number }
  /** A budget ran out: resume once the cap is raised or its window has room. */
  | { kind: 'budget'; name: string; reason: string };

/** A run as the store keeps it. */
export interface RunRecord {
  runId: string;
  /** The workflow's name. */
  workflow: string;
  input: unknown;
  status: RunStatus;
  output?: unknown;
  /** The error of a failed run (its name, code and message). */
  error?: { name: string; code?: string | undefined; message: string } | undefined;
  suspension?: Suspension | undefined;
  createdAt: number;
  updatedAt: number;
}

/** The record of a new run of `workflow` (running, created and updated `now`). */
export function newRunRecord(runId: string, workflow: string, input: unknown, now: number): RunRecord {
  return { runId, workflow, input, status: 'running', createdAt: now, updatedAt: now };
}

/** A finished primitive of a run: a step's result, an approval's decision, a sleep's due time, an agent's result. */
export interface JournalEntry {
  /** The name given to `ctx.step` / `agent` / `approval` / `sleep`, unique within a run. */
  name: string;
  kind: 'step' | 'agent' | 'approval' | 'sleep';
  /** The position of the call in the run's code (0, 1, …): replay must make the same calls in the same order. */
  index: number;
  /** The result (JSON). */
  value: unknown;
  at: number;
}

/** A lease on a run: held by `owner` until `expiresAt`; `token` grows with each new holder (fencing). */
export interface Lease {
  runId: string;
  owner: string;
  token: number;
  expiresAt: number;
}

/** The store contract, kept by `memoryStore`, `fileStore`. Every method is atomic. */
export interface WorkflowStore {
  /** Creates the run, or returns the one that exists with this id (idempotent start): `created` says which. */
  createRun(record: RunRecord): Promise<{ record: RunRecord; created: boolean }>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Runs, newest first, optionally of one status. */
  listRuns(filter?: { status?: RunStatus | undefined }): Promise<RunRecord[]>;
  /** Changes a run's record; refused (`lease_lost`) unless `lease` is the run's current lease. */
  updateRun(lease: Lease, patch: Partial<Omit<RunRecord, 'runId' | 'workflow' | 'createdAt'>>): Promise<RunRecord>;
  /** The run's journal, in the order entries were written. */
  journal(runId: string): Promise<JournalEntry[]>;
  /** Appends an entry (durable when it returns); refused unless `lease` is current. */
  append(lease: Lease, entry: JournalEntry): Promise<void>;
  /** Saves the latest checkpoint of a primitive in progress (an agent's state), replacing the previous one. */
  saveCheckpoint(lease: Lease, name: string, value: unknown): Promise<void>;
  readCheckpoint(runId: string, name: string): Promise<unknown>;
  /**
   * Takes the run's lease for `owner` until `now + ttlMs` when it is free or expired (or already `owner`'s:
   * renewed), with a token above every earlier one; `undefined` while another owner holds it.
   */
  acquire(runId: string, owner: string, ttlMs: number, now: number): Promise<Lease | undefined>;
  /** Gives the lease up (a no-op when it is no longer current). */
  release(lease: Lease): Promise<void>;
  /** The run's current lease, if any (expired or not). */
  lease(runId: string): Promise<Lease | undefined>;
  /** Frees handles. */
  close(): Promise<void>;
}
