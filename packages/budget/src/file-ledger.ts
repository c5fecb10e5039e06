/**
 * `fileLedger(path)`: a ledger in one append-only file of JSON lines, for automations that run again and again
 * (a cron job over days) and for several processes on one machine. Each operation takes the lock
 * (`withFileLock`, a directory beside the file), reads only what others appended since its last look,
 * decides, appends its lines in one write and fsyncs before it returns.
 *
 * Failure model (what survives a crash at any byte):
 * - An operation that returned is on disk (fsynced). A writer killed mid-write leaves a last line without its
 *   newline: the next operation cuts it off — that operation never returned, so nothing that was promised
 *   is lost. Any other bad line (not JSON, an unknown operation, a negative or non-finite amount) is refused
 *   with `LedgerError` `ledger_corrupt`, naming the line; the file is never rewritten or reset.
 * - Compaction (every `compactEvery` lines) writes the whole state as a snapshot to a new file, fsyncs it, and
 *   renames it over the ledger: a crash leaves either the old file or the new one, both complete.
 * - A file that shrank under this process (`ledger_truncated`), is empty (`ledger_empty`), was deleted or
 *   replaced by another ledger (`ledger_deleted`), holds fewer operations than this process saw (`ledger_rewound`),
 *   or whose path is a directory (`ledger_not_a_file`): each is a `LedgerError`, never a new ledger from zero.
 *   A missing file is created (as a new ledger) only by a process that had not seen it before.
 * - A reservation whose process died is counted as spent (possibly billed): at once when its owner is a dead
 *   process of this machine, else when its lease (`leaseMs`) runs out.
 * - A holder killed while holding the lock does not block the others (see `file-lock.ts`).
 *
 * Cost: an operation reads only the lines appended since this process's last one (plus, after another
 * process compacted, the snapshot), and updates running sums: flat in the number of past entries.
 * @module
 */
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  linkSync,
  openSync,
  readSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { LEDGER_FILE_VERSION, type LedgerLine, parseLedgerLine } from './file-ledger-line.js';
import { isProcessAlive, withFileLock } from './file-lock.js';
import { checkLeaseMs, checkReserveRequest, checkSettle } from './internal/check-ledger-input.js';
import { hostIdentity } from './internal/host-identity.js';
import { DEFAULT_LEASE_MS, type Ledger } from './ledger.js';
import { LedgerError } from './ledger-error.js';
import { type ReservationOwner, restoreSnapshot, snapshotOf } from './ledger-snapshot.js';
import { LedgerState } from './ledger-state.js';

/** Options of `fileLedger`. */
export interface FileLedgerOptions {
  /** How long a reservation stays reserved before it counts as spent (possibly billed), in ms. @default 600000 (10 minutes) */
  leaseMs?: number;
  /** How long an operation waits for the lock before failing with `ledger_busy`, in ms. @default 10000 */
  lockTimeoutMs?: number;
  /** Lines appended after the last snapshot before the file is compacted (at least the snapshot's size). @default 10000 */
  compactEvery?: number;
}

interface View {
  state: LedgerState;
  owners: Map<string, ReservationOwner>;
  ino: number;
  /** Bytes read and applied. */
  offset: number;
  lines: number;
  linesSinceSnapshot: number;
  ledgerId: string | undefined;
}

const CHUNK = 1 << 20;

function fsyncDirectory(path: string): void {
  const fd = openSync(dirname(path), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `text` to a new file beside `path`, fsynced; returns its path. */
function writeTemporary(path: string, text: string): string {
  const temporary = `${path}.${randomUUID()}.tmp`;
  writeFileSync(temporary, text, { flag: 'wx' });
  const fd = openSync(temporary, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temporary;
}

const headerLine = (ledgerId: string): string =>
  `${JSON.stringify({ op: 'header', format: 'loopguard-ledger', version: LEDGER_FILE_VERSION, ledgerId, created: Date.now() })}\n`;

/** A ledger kept in an append-only file at `path` (created, with its header, when missing). */
export function fileLedger(path: string, options: FileLedgerOptions = {}): Ledger {
  if (typeof path !== 'string' || path.length === 0) {
    throw new LedgerError('`fileLedger(path)` needs a file path.', { code: 'ledger_invalid_option' });
  }
  const leaseMs = checkLeaseMs(options.leaseMs ?? DEFAULT_LEASE_MS, path);
  const compactEvery = options.compactEvery ?? 10_000;
  if (!Number.isInteger(compactEvery) || compactEvery < 1) {
    throw new LedgerError('Ledger option `compactEvery` must be a whole number >= 1.', {
      code: 'ledger_invalid_option',
      path,
    });
  }
  const lockPath = `${path}.locks`;
  const me = hostIdentity();
  let view: View | undefined;

  const fail = (code: LedgerError['code'], message: string, cause?: unknown): never => {
    throw new LedgerError(`The ledger file ${path} ${message}`, { code, path, cause });
  };

  function apply(target: View, line: LedgerLine, lineNumber: number): void {
    const { state, owners } = target;
    if (lineNumber === 1 && line.op !== 'header')
      fail('ledger_corrupt', 'is corrupt at line 1: not a loopguard ledger header. Is this the right file?');
    try {
      switch (line.op) {
        case 'header':
          if (lineNumber !== 1) fail('ledger_corrupt', `is corrupt at line ${lineNumber}: a header after line 1.`);
          target.ledgerId = line.ledgerId;
          return;
        case 'snapshot': {
          if (lineNumber !== 2) fail('ledger_corrupt', `is corrupt at line ${lineNumber}: a snapshot after line 2.`);
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
    } catch (error) {
      if (error instanceof LedgerError && error.code === 'ledger_corrupt') throw error;
      fail('ledger_corrupt', `is corrupt at line ${lineNumber}: ${(error as Error).message}`, error);
    }
    target.linesSinceSnapshot += 1;
  }

  /** Reads and applies the whole lines in [from, size); cuts a torn last line. Returns the bytes consumed. */
  function readFrom(fd: number, target: View, size: number): void {
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
        if (text.trim() !== '') apply(target, parseLedgerLine(text, target.lines, path), target.lines);
        target.offset += newline + 1 - start;
        start = newline + 1;
      }
      carry = Buffer.from(data.subarray(start));
    }
    // A writer died mid-line (only a holder of the lock writes, and we hold it): drop the torn tail.
    if (carry.length > 0) ftruncateSync(fd, target.offset);
  }

  function emptyView(ino: number): View {
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

  function statOrMissing(): Stats | undefined {
    try {
      return statSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  function create(): void {
    const temporary = writeTemporary(path, headerLine(randomUUID()));
    try {
      linkSync(temporary, path);
      fsyncDirectory(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temporary);
    }
  }

  /** Opens the file and brings the view up to date with it, under the lock. */
  function sync(): { fd: number; current: View } {
    let stats = statOrMissing();
    if (!stats) {
      if (view) fail('ledger_deleted', 'was deleted while in use; restore it (a ledger is never reset silently).');
      create();
      stats = statSync(path);
    }
    if (!stats.isFile())
      fail('ledger_not_a_file', 'is not a regular file (a directory?); give fileLedger a file path.');
    const fd = openSync(path, 'r+');
    try {
      const { ino, size } = fstatSync(fd);
      let current = view ?? emptyView(ino);
      if (current.ino !== ino) current = emptyView(ino); // compacted by another process (checked below)
      if (size < current.offset)
        fail(
          'ledger_truncated',
          `shrank to ${size} bytes after ${current.offset} were read: it was truncated or emptied.`,
        );
      if (size === 0) fail('ledger_empty', 'is empty; a ledger file starts with its header. Restore it or delete it.');
      readFrom(fd, current, size);
      if (current.lines === 0) fail('ledger_corrupt', 'has no whole line, not even its header.');
      if (view && current !== view) {
        if (view.ledgerId !== undefined && current.ledgerId !== view.ledgerId)
          fail('ledger_deleted', 'was replaced by another ledger while in use.');
        if (current.state.seq < view.state.seq)
          fail(
            'ledger_rewound',
            `holds ${current.state.seq} operations, fewer than the ${view.state.seq} already seen.`,
          );
      }
      view = current;
      return { fd, current };
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  function append(fd: number, current: View, lines: LedgerLine[]): void {
    if (lines.length === 0) return;
    const buffer = Buffer.from(lines.map((line) => `${JSON.stringify(line)}\n`).join(''), 'utf8');
    try {
      writeSync(fd, buffer, 0, buffer.length, current.offset);
      fsyncSync(fd);
    } catch (error) {
      try {
        ftruncateSync(fd, current.offset);
      } catch {
        // The next operation cuts a torn tail, or reads whole lines that did land.
      }
      fail('ledger_unavailable', `could not be written: ${(error as Error).message}`, error);
    }
    for (const line of lines) {
      current.lines += 1;
      apply(current, line, current.lines);
    }
    current.offset += buffer.length;
  }

  function compactIfDue(current: View): void {
    const { state } = current;
    const size = state.cells.size + state.reservations.size + state.runSpent.size + state.windows.size;
    if (current.linesSinceSnapshot < Math.max(compactEvery, size)) return;
    const ledgerId = current.ledgerId ?? randomUUID();
    const snapshot = `${JSON.stringify({ op: 'snapshot', state: snapshotOf(current.state, current.owners) })}\n`;
    const text = headerLine(ledgerId) + snapshot;
    const temporary = writeTemporary(path, text);
    renameSync(temporary, path);
    fsyncDirectory(path);
    const stats = statSync(path);
    Object.assign(current, {
      ino: stats.ino,
      offset: Buffer.byteLength(text),
      lines: 2,
      linesSinceSnapshot: 0,
      ledgerId,
    });
  }

  /** Lines that expire due leases and the reservations of dead processes of this machine. */
  function expiries(current: View, now: number): LedgerLine[] {
    const lines: LedgerLine[] = current.state.dueLeases(now).map((id) => ({ op: 'expire', id, at: now }));
    const dead = new Map<number, boolean>();
    for (const [id, owner] of current.owners) {
      if (owner.host !== me.host || owner.pid === process.pid) continue;
      let isDead = dead.get(owner.pid);
      if (isDead === undefined) {
        isDead = owner.boot !== me.boot || !isProcessAlive(owner.pid);
        dead.set(owner.pid, isDead);
      }
      if (isDead && !lines.some((line) => line.op === 'expire' && line.id === id))
        lines.push({ op: 'expire', id, at: now });
    }
    return lines;
  }

  async function locked<T>(work: (fd: number, current: View) => T): Promise<T> {
    return withFileLock(
      lockPath,
      () => {
        let opened: { fd: number; current: View };
        try {
          opened = sync();
        } catch (error) {
          if (error instanceof LedgerError) throw error;
          return fail('ledger_unavailable', `could not be read: ${(error as Error).message}`, error);
        }
        try {
          const result = work(opened.fd, opened.current);
          compactIfDue(opened.current);
          return result;
        } finally {
          closeSync(opened.fd);
        }
      },
      options.lockTimeoutMs ?? 10_000,
    );
  }

  return {
    reserve: async (request) => {
      checkReserveRequest(request, path);
      return locked((fd, current) => {
        current.state.prune(request.now);
        append(fd, current, expiries(current, request.now));
        const result = current.state.decide(request);
        if (result.ok && !current.state.reservations.has(request.id)) {
          append(fd, current, [
            {
              op: 'reserve',
              id: request.id,
              runId: request.runId,
              credits: result.granted,
              at: request.now,
              expiresAt: request.now + leaseMs,
              model: request.model ?? 'unknown',
              ...me.owner,
            },
          ]);
        }
        return result;
      });
    },
    settle: async (id, credits, now, detail = {}) => {
      checkSettle(id, credits, now, path);
      await locked((fd, current) => {
        const open = current.state.reservations.get(id);
        if (open && credits < 0) {
          throw new LedgerError(`Ledger: settle(${id}) of an open reservation needs credits >= 0; got ${credits}.`, {
            code: 'ledger_invalid_amount',
            path,
          });
        }
        const runId = open?.runId ?? current.state.expired.get(id)?.runId ?? 'unknown';
        append(fd, current, [
          {
            op: 'settle',
            id,
            credits,
            at: now,
            runId,
            ...(detail.model !== undefined ? { model: detail.model } : {}),
            ...(detail.possiblyBilled ? { possiblyBilled: true } : {}),
          },
        ]);
      });
    },
    release: async (id) => {
      await locked((fd, current) => {
        if (current.state.reservations.has(id) || current.state.expired.has(id))
          append(fd, current, [{ op: 'release', id }]);
      });
    },
    totals: (now) =>
      locked((fd, current) => {
        append(fd, current, expiries(current, now));
        return current.state.totals(now);
      }),
    report: (now) =>
      locked((fd, current) => {
        append(fd, current, expiries(current, now));
        return current.state.report(now);
      }),
    close: async () => undefined,
  };
}
