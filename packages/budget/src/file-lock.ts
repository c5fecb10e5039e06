/**
 * A lock file for one process at a time: created exclusively (`wx`) with the owner's pid; a lock whose
 * owner is dead is taken over.
 * @module
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { LedgerError } from './budget-exceeded-error.js';

/** True when a process with this pid is alive. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `work` holding the lock at `lockPath`; waits up to `timeoutMs` for it. */
export async function withFileLock<T>(lockPath: string, work: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new LedgerError(`Cannot create the ledger lock ${lockPath}: ${(error as Error).message}`, {
          code: 'ledger_unavailable',
          cause: error,
        });
      }
      let owner = Number.NaN;
      try {
        owner = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      } catch {
        // The owner just released it.
      }
      if (!Number.isNaN(owner) && !isProcessAlive(owner)) {
        rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new LedgerError(
          `Timed out after ${timeoutMs} ms waiting for the ledger lock ${lockPath} (held by pid ${owner}).`,
          { code: 'ledger_busy' },
        );
      }
      await sleep(2 + Math.random() * 8);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockPath, { force: true });
  }
}
