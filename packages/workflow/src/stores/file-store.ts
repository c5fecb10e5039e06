/**
 * `fileStore(dir)`: runs and journals in a directory, for one machine — several processes may share it.
 * Each run is a folder: `run.json` (the record), `journal.jsonl` (one entry per line, appended),
 * `lease.json`, `checkpoints/<name>.json`; every operation holds the run's lock (`withFileLock`, whose holder
 * may die without blocking anyone).
 *
 * Failure model (a crash at any byte):
 * - A journal entry that was appended is on disk (fsynced) before `append` returns. A writer killed mid-line
 *   leaves a last line without its newline: it is ignored on read — that step never returned, so it runs
 *   again (the step in flight is all a crash can lose). Any other bad line is `store_corrupt`, never skipped.
 * - Records, leases and checkpoints are written whole to a temporary file, fsynced, and renamed over the old
 *   one: a crash leaves the old or the new version, never half of one.
 * @module
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { withFileLock } from '@loopguard/budget/file-lock';
import { WorkflowError } from '../engine/workflow-error.js';
import { checkLease, nextLease } from './lease-check.js';
import type { JournalEntry, Lease, RunRecord, WorkflowStore } from './workflow-store.js';

function writeText(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

const writeWhole = (path: string, value: unknown): void => writeText(path, JSON.stringify(value));

/** True for an empty file or one whose last byte is a newline. */
function endsWithNewline(path: string): boolean {
  const size = statSync(path).size;
  if (size === 0) return true;
  const fd = openSync(path, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}

function readJson<T>(path: string, runId: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new WorkflowError(`Run ${runId}: ${path} is not valid JSON.`, { code: 'store_corrupt', runId, cause: error });
  }
}

function readJournal(path: string, runId: string): JournalEntry[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  // The last piece is '' after a final newline, or a line torn by a writer killed mid-append: ignored.
  lines.pop();
  return lines.map((line, index) => {
    try {
      return JSON.parse(line) as JournalEntry;
    } catch (error) {
      throw new WorkflowError(`Run ${runId}: line ${index + 1} of its journal is not JSON.`, {
        code: 'store_corrupt',
        runId,
        cause: error,
      });
    }
  });
}

/**
 * A store in `dir` (created when missing), shared by the processes of one machine.
 *
 * Why this function is long: it builds the store's object, one short method per operation of
 * `WorkflowStore`, closed over the store's connection and paths.
 */
export function fileStore(dir: string): WorkflowStore {
  mkdirSync(dir, { recursive: true });
  const runDir = (runId: string) => join(dir, encodeURIComponent(runId));
  const paths = (runId: string) => ({
    record: join(runDir(runId), 'run.json'),
    journal: join(runDir(runId), 'journal.jsonl'),
    lease: join(runDir(runId), 'lease.json'),
    checkpoint: (name: string) => join(runDir(runId), 'checkpoints', `${encodeURIComponent(name)}.json`),
  });
  const locked = <T>(runId: string, work: () => T): Promise<T> => withFileLock(join(runDir(runId), '.locks'), work);
  const existing = (runId: string): RunRecord => {
    const record = readJson<RunRecord>(paths(runId).record, runId);
    if (!record) throw new WorkflowError(`No run ${runId} in ${dir}.`, { code: 'run_not_found', runId });
    return record;
  };
  const fenced = <T>(lease: Lease, work: () => T): Promise<T> =>
    locked(lease.runId, () => {
      checkLease(readJson<Lease>(paths(lease.runId).lease, lease.runId), lease, Date.now());
      return work();
    });
  return {
    async createRun(record) {
      mkdirSync(join(runDir(record.runId), 'checkpoints'), { recursive: true });
      return locked(record.runId, () => {
        const found = readJson<RunRecord>(paths(record.runId).record, record.runId);
        if (found) return { record: found, created: false };
        writeWhole(paths(record.runId).record, record);
        return { record, created: true };
      });
    },
    async getRun(runId) {
      if (!existsSync(runDir(runId))) return undefined;
      return readJson<RunRecord>(paths(runId).record, runId);
    },
    async listRuns(filter = {}) {
      const records = readdirSync(dir)
        .map((name) => readJson<RunRecord>(join(dir, name, 'run.json'), decodeURIComponent(name)))
        .filter((record): record is RunRecord => record !== undefined);
      return records
        .filter((record) => filter.status === undefined || record.status === filter.status)
        .sort((a, b) => b.createdAt - a.createdAt);
    },
    async updateRun(lease, patch) {
      return fenced(lease, () => {
        const record = { ...existing(lease.runId), ...patch, updatedAt: Date.now() };
        writeWhole(paths(lease.runId).record, record);
        return record;
      });
    },
    async journal(runId) {
      existing(runId);
      return readJournal(paths(runId).journal, runId);
    },
    async append(lease, entry) {
      await fenced(lease, () => {
        const path = paths(lease.runId).journal;
        // A torn last line (a writer killed mid-append) is cut before the next entry goes after it. Only the
        // last byte is read to find out, so an append costs the same however long the journal is.
        if (existsSync(path) && !endsWithNewline(path)) {
          const text = readFileSync(path, 'utf8');
          writeText(path, text.slice(0, text.lastIndexOf('\n') + 1));
        }
        const fd = openSync(path, 'a');
        try {
          writeSync(fd, `${JSON.stringify(entry)}\n`);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      });
    },
    async saveCheckpoint(lease, name, value) {
      await fenced(lease, () => writeWhole(paths(lease.runId).checkpoint(name), value));
    },
    async readCheckpoint(runId, name) {
      return readJson(paths(runId).checkpoint(name), runId);
    },
    async acquire(runId, owner, ttlMs, now) {
      existing(runId);
      return locked(runId, () => {
        const lease = nextLease(readJson<Lease>(paths(runId).lease, runId), runId, owner, ttlMs, now);
        if (lease) writeWhole(paths(runId).lease, lease);
        return lease;
      });
    },
    async release(lease) {
      await locked(lease.runId, () => {
        const current = readJson<Lease>(paths(lease.runId).lease, lease.runId);
        if (current?.token === lease.token && current.owner === lease.owner)
          writeWhole(paths(lease.runId).lease, { ...current, expiresAt: 0 });
      });
    },
    async lease(runId) {
      return readJson<Lease>(paths(runId).lease, runId);
    },
    async close() {},
  };
}
