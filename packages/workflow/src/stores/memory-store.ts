/**
 * `memoryStore()`: runs and journals in this process's memory — for tests and for runs that need not outlive
 * the process. Everything is lost with the process.
 * @module
 */

import { WorkflowError } from '../engine/workflow-error.js';
import { checkLease, nextLease } from './lease-check.js';
import type { JournalEntry, Lease, RunRecord, WorkflowStore } from './workflow-store.js';

/**
 * A store in memory (one process).
 *
 * Why this function is long: it builds the store's object, one short method per operation of
 * `WorkflowStore`, closed over the store's connection and paths.
 */
export function memoryStore(): WorkflowStore {
  const runs = new Map<string, RunRecord>();
  const journals = new Map<string, JournalEntry[]>();
  const checkpoints = new Map<string, unknown>();
  const leases = new Map<string, Lease>();
  const copy = <T>(value: T): T => structuredClone(value);
  const known = (runId: string): RunRecord => {
    const record = runs.get(runId);
    if (!record) throw new WorkflowError(`No run ${runId}.`, { code: 'run_not_found', runId });
    return record;
  };
  return {
    async createRun(record) {
      const existing = runs.get(record.runId);
      if (existing) return { record: copy(existing), created: false };
      runs.set(record.runId, copy(record));
      journals.set(record.runId, []);
      return { record: copy(record), created: true };
    },
    async getRun(runId) {
      const record = runs.get(runId);
      return record && copy(record);
    },
    async listRuns(filter = {}) {
      return [...runs.values()]
        .filter((record) => filter.status === undefined || record.status === filter.status)
        .sort((a, b) => b.createdAt - a.createdAt)
        .map(copy);
    },
    async updateRun(lease, patch) {
      checkLease(leases.get(lease.runId), lease, Date.now());
      const record = { ...known(lease.runId), ...copy(patch), updatedAt: Date.now() };
      runs.set(lease.runId, record);
      return copy(record);
    },
    async journal(runId) {
      known(runId);
      return copy(journals.get(runId) ?? []);
    },
    async append(lease, entry) {
      checkLease(leases.get(lease.runId), lease, Date.now());
      journals.get(lease.runId)?.push(copy(entry));
    },
    async saveCheckpoint(lease, name, value) {
      checkLease(leases.get(lease.runId), lease, Date.now());
      checkpoints.set(`${lease.runId}\u0000${name}`, copy(value));
    },
    async readCheckpoint(runId, name) {
      return copy(checkpoints.get(`${runId}\u0000${name}`));
    },
    async acquire(runId, owner, ttlMs, now) {
      known(runId);
      const lease = nextLease(leases.get(runId), runId, owner, ttlMs, now);
      if (lease) leases.set(runId, lease);
      return lease && copy(lease);
    },
    async release(lease) {
      const current = leases.get(lease.runId);
      if (current?.token === lease.token && current.owner === lease.owner)
        leases.set(lease.runId, { ...current, expiresAt: 0 });
    },
    async lease(runId) {
      const lease = leases.get(runId);
      return lease && copy(lease);
    },
    async close() {},
  };
}
