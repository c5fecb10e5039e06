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
 * Where each part lives: `file-ledger/ledger-line.ts` (the format), `ledger-view.ts` (reading and replaying
 * the file), `ledger-file.ts` (the lock, the append, compaction), `lease-expiries.ts` (leases and dead owners).
 *
 * Cost: an operation reads only the lines appended since this process's last one (plus, after another
 * process compacted, the snapshot), and updates running sums: flat in the number of past entries.
 * @module
 */

import { leaseExpiries } from './file-ledger/lease-expiries.js';
import { LedgerFile } from './file-ledger/ledger-file.js';
import type { LedgerLine } from './file-ledger/ledger-line.js';
import type { LedgerView } from './file-ledger/ledger-view.js';
import { checkLeaseMs, checkReserveRequest, checkSettle } from './internal/check-ledger-input.js';
import { hostIdentity } from './internal/host-identity.js';
import { DEFAULT_LEASE_MS, type Ledger, type ReserveRequest, type ReserveResult, type SettleDetail } from './ledger.js';
import { LedgerError } from './ledger-error.js';

/** Options of `fileLedger`. */
export interface FileLedgerOptions {
  /** How long a reservation stays reserved before it counts as spent (possibly billed), in ms. @default 600000 (10 minutes) */
  leaseMs?: number;
  /** How long an operation waits for the lock before failing with `ledger_busy`, in ms. @default 10000 */
  lockTimeoutMs?: number;
  /** Lines appended after the last snapshot before the file is compacted (at least the snapshot's size). @default 10000 */
  compactEvery?: number;
}

function checkCompactEvery(compactEvery: number, path: string): number {
  if (!Number.isInteger(compactEvery) || compactEvery < 1) {
    throw new LedgerError('Ledger option `compactEvery` must be a whole number >= 1.', {
      code: 'ledger_invalid_option',
      path,
    });
  }
  return compactEvery;
}

/** The line that settles `id`; an open reservation refuses a negative amount (nothing is written). */
function settleLine(
  view: LedgerView,
  id: string,
  credits: number,
  now: number,
  detail: SettleDetail,
  path: string,
): LedgerLine {
  const open = view.state.reservations.get(id);
  if (open && credits < 0) {
    throw new LedgerError(`Ledger: settle(${id}) of an open reservation needs credits >= 0; got ${credits}.`, {
      code: 'ledger_invalid_amount',
      path,
    });
  }
  const runId = open?.runId ?? view.state.expired.get(id)?.runId ?? 'unknown';
  const { model, possiblyBilled } = detail;
  return {
    op: 'settle',
    id,
    credits,
    at: now,
    runId,
    ...(model !== undefined ? { model } : {}),
    ...(possiblyBilled ? { possiblyBilled: true } : {}),
  };
}

/** A ledger kept in an append-only file at `path` (created, with its header, when missing). */
export function fileLedger(path: string, options: FileLedgerOptions = {}): Ledger {
  if (typeof path !== 'string' || path.length === 0) {
    throw new LedgerError('`fileLedger(path)` needs a file path.', { code: 'ledger_invalid_option' });
  }
  const leaseMs = checkLeaseMs(options.leaseMs ?? DEFAULT_LEASE_MS, path);
  const compactEvery = checkCompactEvery(options.compactEvery ?? 10_000, path);
  const me = hostIdentity();
  const file = new LedgerFile({ path, leaseMs, me, compactEvery, lockTimeoutMs: options.lockTimeoutMs ?? 10_000 });

  const reserve = (request: ReserveRequest): Promise<ReserveResult> =>
    file.locked((fd, view) => {
      view.state.prune(request.now);
      file.append(fd, view, leaseExpiries(view, request.now, me));
      const result = view.state.decide(request);
      if (result.ok && !view.state.reservations.has(request.id)) {
        const { id, runId, now } = request;
        const line = { id, runId, credits: result.granted, at: now, expiresAt: now + leaseMs };
        file.append(fd, view, [{ op: 'reserve', ...line, model: request.model ?? 'unknown', ...me.owner }]);
      }
      return result;
    });

  return {
    reserve: async (request) => {
      checkReserveRequest(request, path);
      return reserve(request);
    },
    settle: async (id, credits, now, detail = {}) => {
      checkSettle(id, credits, now, path);
      await file.locked((fd, view) => file.append(fd, view, [settleLine(view, id, credits, now, detail, path)]));
    },
    release: async (id) => {
      await file.locked((fd, view) => {
        if (view.state.reservations.has(id) || view.state.expired.has(id))
          file.append(fd, view, [{ op: 'release', id }]);
      });
    },
    totals: (now) =>
      file.locked((fd, view) => {
        file.append(fd, view, leaseExpiries(view, now, me));
        return view.state.totals(now);
      }),
    report: (now) =>
      file.locked((fd, view) => {
        file.append(fd, view, leaseExpiries(view, now, me));
        return view.state.report(now);
      }),
    close: async () => undefined,
  };
}
