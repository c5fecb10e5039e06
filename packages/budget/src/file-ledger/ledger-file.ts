/**
 * `LedgerFile`: the locked append of a file ledger. `locked(work)` takes the lock (`withFileLock`, a directory
 * beside the file), opens the file and brings the view up to date with what others appended (refusing a file
 * that shrank, emptied, was deleted, replaced or rewound), runs `work`, and compacts when due. `append` writes
 * lines in one write and fsyncs before the operation returns. Compaction writes the whole state as a snapshot
 * to a new file, fsyncs it and renames it over the ledger: a crash leaves the old file or the new one.
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
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { withFileLock } from '../file-lock.js';
import { LedgerError } from '../ledger-error.js';
import { failLedgerFile } from './ledger-file-error.js';
import type { LedgerLine } from './ledger-line.js';
import { snapshotOf } from './ledger-snapshot.js';
import { applyLine, emptyView, headerLine, type LedgerView, type ReplayContext, replayLines } from './ledger-view.js';

/** How a ledger file is kept: see `FileLedgerOptions`. */
export interface LedgerFileOptions extends ReplayContext {
  compactEvery: number;
  lockTimeoutMs: number;
}

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

/** One ledger file, as this process sees it. */
export class LedgerFile {
  readonly #options: LedgerFileOptions;
  #view: LedgerView | undefined;

  constructor(options: LedgerFileOptions) {
    this.#options = options;
  }

  #fail(code: LedgerError['code'], message: string, cause?: unknown): never {
    return failLedgerFile(this.#options.path, code, message, cause);
  }

  /** Runs `work` under the lock on the file opened and read up to date; compacts after it when due. */
  async locked<T>(work: (fd: number, view: LedgerView) => T): Promise<T> {
    return withFileLock(
      `${this.#options.path}.locks`,
      () => {
        let opened: { fd: number; view: LedgerView };
        try {
          opened = this.#sync();
        } catch (error) {
          if (error instanceof LedgerError) throw error;
          return this.#fail('ledger_unavailable', `could not be read: ${(error as Error).message}`, error);
        }
        try {
          const result = work(opened.fd, opened.view);
          this.#compactIfDue(opened.view);
          return result;
        } finally {
          closeSync(opened.fd);
        }
      },
      this.#options.lockTimeoutMs,
    );
  }

  /** Appends `lines` in one write and fsyncs; on failure cuts what was written and fails `ledger_unavailable`. */
  append(fd: number, view: LedgerView, lines: LedgerLine[]): void {
    if (lines.length === 0) return;
    const buffer = Buffer.from(lines.map((line) => `${JSON.stringify(line)}\n`).join(''), 'utf8');
    try {
      writeSync(fd, buffer, 0, buffer.length, view.offset);
      fsyncSync(fd);
    } catch (error) {
      try {
        ftruncateSync(fd, view.offset);
      } catch {
        // The next operation cuts a torn tail, or reads whole lines that did land.
      }
      this.#fail('ledger_unavailable', `could not be written: ${(error as Error).message}`, error);
    }
    for (const line of lines) {
      view.lines += 1;
      applyLine(view, line, view.lines, this.#options);
    }
    view.offset += buffer.length;
  }

  #statOrMissing(): Stats | undefined {
    try {
      return statSync(this.#options.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  #create(): void {
    const { path } = this.#options;
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

  /** Opens the file (creating it when this process never saw it) and brings the view up to date with it. */
  #sync(): { fd: number; view: LedgerView } {
    let stats = this.#statOrMissing();
    if (!stats) {
      if (this.#view)
        this.#fail('ledger_deleted', 'was deleted while in use; restore it (a ledger is never reset silently).');
      this.#create();
      stats = statSync(this.#options.path);
    }
    if (!stats.isFile())
      this.#fail('ledger_not_a_file', 'is not a regular file (a directory?); give fileLedger a file path.');
    const fd = openSync(this.#options.path, 'r+');
    try {
      const view = this.#readUpToDate(fd);
      this.#view = view;
      return { fd, view };
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** The view brought up to date with the open file; checks it is the same ledger, not shrunk or rewound. */
  #readUpToDate(fd: number): LedgerView {
    const previous = this.#view;
    const { ino, size } = fstatSync(fd);
    let current = previous ?? emptyView(ino);
    if (current.ino !== ino) current = emptyView(ino); // compacted by another process (checked below)
    if (size < current.offset)
      this.#fail(
        'ledger_truncated',
        `shrank to ${size} bytes after ${current.offset} were read: it was truncated or emptied.`,
      );
    if (size === 0)
      this.#fail('ledger_empty', 'is empty; a ledger file starts with its header. Restore it or delete it.');
    replayLines(fd, current, size, this.#options);
    if (current.lines === 0) this.#fail('ledger_corrupt', 'has no whole line, not even its header.');
    if (previous && current !== previous) {
      if (previous.ledgerId !== undefined && current.ledgerId !== previous.ledgerId)
        this.#fail('ledger_deleted', 'was replaced by another ledger while in use.');
      if (current.state.seq < previous.state.seq)
        this.#fail(
          'ledger_rewound',
          `holds ${current.state.seq} operations, fewer than the ${previous.state.seq} already seen.`,
        );
    }
    return current;
  }

  #compactIfDue(view: LedgerView): void {
    const { path, compactEvery } = this.#options;
    const { state } = view;
    const size = state.cells.size + state.reservations.size + state.runSpent.size + state.windows.size;
    if (view.linesSinceSnapshot < Math.max(compactEvery, size)) return;
    const ledgerId = view.ledgerId ?? randomUUID();
    const snapshot = `${JSON.stringify({ op: 'snapshot', state: snapshotOf(view.state, view.owners) })}\n`;
    const text = headerLine(ledgerId) + snapshot;
    const temporary = writeTemporary(path, text);
    renameSync(temporary, path);
    fsyncDirectory(path);
    const stats = statSync(path);
    Object.assign(view, { ino: stats.ino, offset: Buffer.byteLength(text), lines: 2, linesSinceSnapshot: 0, ledgerId });
  }
}
