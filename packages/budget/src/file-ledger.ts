/**
 * `fileLedger(path)`: an append-only JSON-lines ledger on disk, for automations that run again and again
 * (a cron job over days) and for several processes on one machine. Every operation holds a lock file,
 * reads what others appended, decides, appends one line and fsyncs it. A torn last line (a writer killed
 * mid-write) is cut off; any other bad line makes the ledger refuse to work — it is never silently reset.
 * Reservations left by a dead process count as spent: the request may have been billed.
 * @module
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { LedgerError } from './budget-exceeded-error.js';
import { isProcessAlive, withFileLock } from './file-lock.js';
import type { Ledger } from './ledger.js';
import { LedgerState } from './ledger-state.js';

type Line =
  | { op: 'header'; format: 'loopguard-ledger'; version: 1 }
  | { op: 'reserve'; id: string; runId: string; credits: number; at: number; pid: number }
  | { op: 'settle'; id: string; credits: number; at: number; runId?: string }
  | { op: 'release'; id: string };

const HEADER: Line = { op: 'header', format: 'loopguard-ledger', version: 1 };

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function parseLine(text: string, lineNumber: number, path: string): Line {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LedgerError(
      `The ledger file ${path} is corrupt at line ${lineNumber}: not JSON. Fix or move the file; it is never reset silently.`,
      { code: 'ledger_corrupt' },
    );
  }
  const line = value as Record<string, unknown>;
  const valid =
    (line.op === 'header' && line.format === 'loopguard-ledger') ||
    (line.op === 'reserve' &&
      typeof line.id === 'string' &&
      typeof line.runId === 'string' &&
      isNumber(line.credits) &&
      isNumber(line.at)) ||
    (line.op === 'settle' && typeof line.id === 'string' && isNumber(line.credits) && isNumber(line.at)) ||
    (line.op === 'release' && typeof line.id === 'string');
  if (!valid) {
    throw new LedgerError(
      `The ledger file ${path} is corrupt at line ${lineNumber}: unknown entry. Fix or move the file; it is never reset silently.`,
      { code: 'ledger_corrupt' },
    );
  }
  return line as Line;
}

/** A ledger kept in an append-only file at `path` (created when missing). */
export function fileLedger(path: string): Ledger {
  if (typeof path !== 'string' || path.length === 0) {
    throw new LedgerError('`fileLedger(path)` needs a file path.', { code: 'invalid_option' });
  }
  const lockPath = `${path}.lock`;
  let state = new LedgerState();
  let offset = 0;
  let lineNumber = 0;
  const pids = new Map<string, number>();

  function apply(line: Line): void {
    if (line.op === 'reserve') {
      state.reservations.set(line.id, { credits: line.credits, runId: line.runId, at: line.at });
      pids.set(line.id, line.pid);
    } else if (line.op === 'settle') {
      state.settle(line.id, line.credits, line.at, line.runId);
      pids.delete(line.id);
    } else if (line.op === 'release') {
      state.reservations.delete(line.id);
      pids.delete(line.id);
    }
  }

  function append(fd: number, lines: Line[]): void {
    if (lines.length === 0) return;
    const text = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    writeSync(fd, text, null, 'utf8');
    fsyncSync(fd);
    offset += Buffer.byteLength(text);
    lineNumber += lines.length;
    for (const line of lines) apply(line);
  }

  /** Brings the state up to date with the file, under the lock; returns an fd open for appending. */
  function sync(): number {
    const isNew = !existsSync(path);
    const fd = openSync(path, 'a+');
    try {
      const size = fstatSync(fd).size;
      if (size < offset) {
        state = new LedgerState();
        offset = 0;
        lineNumber = 0;
        pids.clear();
      }
      if (size > offset) {
        const buffer = Buffer.alloc(size - offset);
        readSync(fd, buffer, 0, buffer.length, offset);
        const text = buffer.toString('utf8');
        const lastNewline = text.lastIndexOf('\n');
        const whole = lastNewline === -1 ? '' : text.slice(0, lastNewline);
        // Parse everything first: a corrupt line leaves the state untouched, and every later call refuses the same way.
        const parsed: Line[] = [];
        for (const raw of whole.split('\n')) {
          if (raw !== '') parsed.push(parseLine(raw, lineNumber + parsed.length + 1, path));
        }
        lineNumber += parsed.length;
        for (const line of parsed) apply(line);
        const wholeBytes = Buffer.byteLength(text.slice(0, lastNewline + 1));
        if (lastNewline !== text.length - 1) {
          // A writer died mid-line: drop the torn tail so the next append starts clean.
          ftruncateSync(fd, offset + wholeBytes);
        }
        offset += wholeBytes;
      }
      if (isNew || size === 0) append(fd, [HEADER]);
      const abandoned: Line[] = [];
      for (const [id, reservation] of state.reservations) {
        const pid = pids.get(id);
        if (pid !== undefined && pid !== process.pid && !isProcessAlive(pid)) {
          abandoned.push({
            op: 'settle',
            id,
            credits: reservation.credits,
            at: reservation.at,
            runId: reservation.runId,
          });
        }
      }
      append(fd, abandoned);
      return fd;
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  async function locked<T>(work: (fd: number) => T): Promise<T> {
    return withFileLock(lockPath, () => {
      const fd = sync();
      try {
        return work(fd);
      } finally {
        closeSync(fd);
      }
    });
  }

  return {
    reserve: (request) =>
      locked((fd) => {
        state.prune(request.now);
        const result = state.reserve(request);
        if (result.ok) {
          state.reservations.delete(request.id);
          append(fd, [
            {
              op: 'reserve',
              id: request.id,
              runId: request.runId,
              credits: result.granted,
              at: request.now,
              pid: process.pid,
            },
          ]);
        }
        return result;
      }),
    settle: (id, credits, now) =>
      locked((fd) => {
        const runId = state.reservations.get(id)?.runId ?? 'unknown';
        append(fd, [{ op: 'settle', id, credits, at: now, runId }]);
      }),
    release: (id) =>
      locked((fd) => {
        if (state.reservations.has(id)) append(fd, [{ op: 'release', id }]);
      }),
    totals: (now) => locked(() => state.totals(now)),
    close: async () => undefined,
  };
}
