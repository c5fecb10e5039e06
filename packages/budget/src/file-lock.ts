/**
 * `withFileLock(lockPath, work)`: one process at a time on one machine, and a holder that dies (SIGKILL,
 * power loss) never blocks the others nor lets two in.
 *
 * Why not a lock file removed by whoever finds it stale (our old pid lock, and `proper-lockfile` 4.1.2, whose
 * stale takeover is `rmdir` then `mkdir`): two processes that find the same stale lock can both take it — the
 * slower one removes the lock the faster one just made. Here nothing is ever taken over in place; the lock
 * moves forward through numbered generations, and each generation can be created only once:
 *
 * - `lockPath` is a directory, never removed, holding `g-<n>` (generation n's holder: pid, host, boot id,
 *   written before the file appears, by `link`) and `f-<n>` (generation n was released).
 * - Acquire: list the directory; when the newest generation n is released, or its holder is dead (same host
 *   and boot, pid gone; or another boot), create `g-<n+1>` with `link`, which fails when it exists, so only one
 *   process wins generation n+1. List again: a generation newer than n+1 means this process was slow and its
 *   n+1 is a late copy of a generation already gone (old generations are removed): remove it and start over.
 * - Release: create `f-<n>`, remove generations older than n-1.
 *
 * A live holder on another host cannot be checked: the lock then waits for it, and fails with `LedgerError`
 * `ledger_busy` after `timeoutMs`. The work runs synchronously between acquire and release, so one process
 * never holds the lock twice; a generation held by this very process was left by a failed release, and is free.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { hostIdentity } from './internal/host-identity.js';
import { LedgerError } from './ledger-error.js';

/** True when a process with this pid is alive on this machine. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const { host: HOST, boot: BOOT_ID } = hostIdentity();

interface Generations {
  newest: number;
  released: Set<number>;
  names: string[];
}

function list(lockPath: string): Generations {
  const names = readdirSync(lockPath);
  let newest = 0;
  const released = new Set<number>();
  for (const name of names) {
    const n = Number(name.slice(2));
    if (!Number.isInteger(n)) continue;
    if (name.startsWith('g-')) newest = Math.max(newest, n);
    else if (name.startsWith('f-')) released.add(n);
  }
  return { newest, released, names };
}

/** Why generation `n` cannot be taken over, or undefined when it is released or its holder is gone. */
function holderOf(lockPath: string, generations: Generations): string | undefined {
  const { newest, released } = generations;
  if (newest === 0 || released.has(newest)) return undefined;
  let text: string;
  try {
    text = readFileSync(join(lockPath, `g-${newest}`), 'utf8');
  } catch {
    return `generation ${newest} (just removed)`;
  }
  const [pidText = '', host = '', boot = ''] = text.split('\n');
  const pid = Number(pidText);
  if (host !== HOST) return `pid ${pid} on host ${host}`;
  if (boot !== BOOT_ID) return undefined;
  if (pid === process.pid) return undefined;
  return isProcessAlive(pid) ? `pid ${pid}` : undefined;
}

/** Tries to create generation `n`, content first: `link` fails when it exists. */
function create(lockPath: string, n: number): boolean {
  const temporary = join(lockPath, `t-${process.pid}-${randomUUID()}`);
  writeFileSync(temporary, `${process.pid}\n${HOST}\n${BOOT_ID}\n`);
  try {
    linkSync(temporary, join(lockPath, `g-${n}`));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function release(lockPath: string, n: number): void {
  writeFileSync(join(lockPath, `f-${n}`), '');
  for (const name of readdirSync(lockPath)) {
    const isOld = (name.startsWith('g-') || name.startsWith('f-')) && Number(name.slice(2)) < n - 1;
    const pid = name.startsWith('t-') ? Number(name.split('-')[1]) : Number.NaN;
    const isStrayTemporary = !Number.isNaN(pid) && pid !== process.pid && !isProcessAlive(pid);
    if (isOld || isStrayTemporary) rmSync(join(lockPath, name), { force: true });
  }
}

function ensureDirectory(lockPath: string): void {
  try {
    mkdirSync(lockPath, { recursive: true });
  } catch (error) {
    throw new LedgerError(`Cannot create the ledger lock directory ${lockPath}: ${(error as Error).message}`, {
      code: (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'ledger_not_a_file' : 'ledger_unavailable',
      path: lockPath,
      cause: error,
    });
  }
  if (!statSync(lockPath).isDirectory()) {
    throw new LedgerError(`The ledger lock ${lockPath} must be a directory; move the file away.`, {
      code: 'ledger_not_a_file',
      path: lockPath,
    });
  }
}

/** Takes the lock once, or says who holds it. */
function tryAcquire(lockPath: string): { generation: number } | { holder: string } {
  const before = list(lockPath);
  const holder = holderOf(lockPath, before);
  if (holder !== undefined) return { holder };
  const next = before.newest + 1;
  if (!create(lockPath, next)) return { holder: `generation ${next} (just taken)` };
  if (list(lockPath).newest > next) {
    rmSync(join(lockPath, `g-${next}`), { force: true });
    return { holder: `a newer generation than ${next}` };
  }
  return { generation: next };
}

/**
 * Runs `work` (synchronous) holding the lock directory at `lockPath`; waits up to `timeoutMs` for it, then
 * fails with `LedgerError` `ledger_busy` naming the holder.
 */
export async function withFileLock<T>(lockPath: string, work: () => T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  ensureDirectory(lockPath);
  let delay = 1;
  for (;;) {
    let attempt: { generation: number } | { holder: string };
    try {
      attempt = tryAcquire(lockPath);
    } catch (error) {
      if (error instanceof LedgerError) throw error;
      throw new LedgerError(`Cannot take the ledger lock ${lockPath}: ${(error as Error).message}`, {
        code: 'ledger_unavailable',
        path: lockPath,
        cause: error,
      });
    }
    if ('generation' in attempt) {
      try {
        return work();
      } finally {
        release(lockPath, attempt.generation);
      }
    }
    if (Date.now() > deadline) {
      throw new LedgerError(
        `Timed out after ${timeoutMs} ms waiting for the ledger lock ${lockPath}, held by ${attempt.holder}.`,
        { code: 'ledger_busy', path: lockPath },
      );
    }
    await sleep(delay * (0.5 + Math.random()));
    delay = Math.min(delay * 2, 16);
  }
}
