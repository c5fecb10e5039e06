/**
 * Reading a ledger file: its header line, and the replay of its lines into a `LedgerView` — the state, the
 * owners of open reservations, and how far the file was read. Reading goes on from where the view stopped, so
 * an operation reads only what was appended since; a line torn by a writer killed mid-write is cut off. A line
 * out of place (no header first, a header or snapshot later) or that the state refuses is `ledger_corrupt`.
 * @module
 */
import { ftruncateSync, readSync } from 'node:fs';
import { LedgerError } from '../ledger-error.js';
import { LedgerState } from '../ledger-state.js';
import { failLedgerFile } from './ledger-file-error.js';
import { LEDGER_FILE_VERSION, type LedgerLine, parseLedgerLine } from './ledger-line.js';
import { type ReservationOwner, restoreSnapshot } from './ledger-snapshot.js';

/** What this process knows of a ledger file. */
export interface LedgerView {
  state: LedgerState;
  owners: Map<string, ReservationOwner>;
  /** The inode read: another one means the file was compacted (replaced) by another process. */
  ino: number;
  /** Bytes read and applied. */
  offset: number;
  lines: number;
  linesSinceSnapshot: number;
  ledgerId: string | undefined;
}

/** What replaying needs besides the lines: where the file is, the lease, and who this process is. */
export interface ReplayContext {
  path: string;
  /** The lease of a reservation line written without `expiresAt` (version 1 files). */
  leaseMs: number;
  /** Host and boot id of this machine: the owner of a reservation line that names only a pid. */
  me: { host: string; boot: string };
}

const CHUNK = 1 << 20;

/** The first line of a ledger file. */
export function headerLine(ledgerId: string): string {
  const header = {
    op: 'header',
    format: 'loopguard-ledger',
    version: LEDGER_FILE_VERSION,
    ledgerId,
    created: Date.now(),
  };
  return `${JSON.stringify(header)}\n`;
}

/** A view of nothing read yet, of the file with inode `ino`. */
export function emptyView(ino: number): LedgerView {
  return {
    state: new LedgerState(),
    owners: new Map(),
    ino,
    offset: 0,
    lines: 0,
    linesSinceSnapshot: 0,
    ledgerId: undefined,
  };
}

function applyOperation(target: LedgerView, line: LedgerLine, lineNumber: number, context: ReplayContext): void {
  const { state, owners } = target;
  const { path, leaseMs, me } = context;
  switch (line.op) {
    case 'header':
      if (lineNumber !== 1)
        failLedgerFile(path, 'ledger_corrupt', `is corrupt at line ${lineNumber}: a header after line 1.`);
      target.ledgerId = line.ledgerId;
      return;
    case 'snapshot': {
      if (lineNumber !== 2)
        failLedgerFile(path, 'ledger_corrupt', `is corrupt at line ${lineNumber}: a snapshot after line 2.`);
      const restored = restoreSnapshot(line.state, `line ${lineNumber}`, path);
      target.state = restored.state;
      target.owners = restored.owners;
      target.linesSinceSnapshot = 0;
      return;
    }
    case 'reserve':
      state.applyReserve(line.id, {
        credits: line.credits,
        runId: line.runId,
        at: line.at,
        expiresAt: line.expiresAt ?? line.at + leaseMs,
        model: line.model ?? 'unknown',
      });
      if (line.pid !== undefined)
        owners.set(line.id, { pid: line.pid, host: line.host ?? me.host, boot: line.boot ?? me.boot });
      break;
    case 'settle':
      state.applySettle(
        line.id,
        line.credits,
        line.at,
        { model: line.model, possiblyBilled: line.possiblyBilled },
        line.runId,
      );
      owners.delete(line.id);
      break;
    case 'release':
      state.applyRelease(line.id);
      owners.delete(line.id);
      break;
    case 'expire':
      state.applyExpire(line.id, line.at);
      owners.delete(line.id);
      break;
  }
  target.linesSinceSnapshot += 1;
}

/** Applies line `lineNumber` (1-based) to the view; anything the state refuses is `ledger_corrupt` at that line. */
export function applyLine(target: LedgerView, line: LedgerLine, lineNumber: number, context: ReplayContext): void {
  if (lineNumber === 1 && line.op !== 'header')
    failLedgerFile(
      context.path,
      'ledger_corrupt',
      'is corrupt at line 1: not a loopguard ledger header. Is this the right file?',
    );
  try {
    applyOperation(target, line, lineNumber, context);
  } catch (error) {
    if (error instanceof LedgerError && error.code === 'ledger_corrupt') throw error;
    failLedgerFile(
      context.path,
      'ledger_corrupt',
      `is corrupt at line ${lineNumber}: ${(error as Error).message}`,
      error,
    );
  }
}

/** Reads and applies the whole lines of `fd` from the view's offset to `size`; cuts a torn last line. */
export function replayLines(fd: number, target: LedgerView, size: number, context: ReplayContext): void {
  let position = target.offset;
  let carry = Buffer.alloc(0);
  while (position < size) {
    const chunk = Buffer.alloc(Math.min(CHUNK, size - position));
    const read = readSync(fd, chunk, 0, chunk.length, position);
    if (read === 0) break;
    position += read;
    const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
    let start = 0;
    for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, start)) {
      const text = data.toString('utf8', start, newline);
      target.lines += 1;
      if (text.trim() !== '')
        applyLine(target, parseLedgerLine(text, target.lines, context.path), target.lines, context);
      target.offset += newline + 1 - start;
      start = newline + 1;
    }
    carry = Buffer.from(data.subarray(start));
  }
  // A writer died mid-line (only a holder of the lock writes, and we hold it): drop the torn tail.
  if (carry.length > 0) ftruncateSync(fd, target.offset);
}
