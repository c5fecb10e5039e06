/**
 * `LedgerError`: a ledger cannot be trusted or reached. A ledger never answers with a guess: a file that was
 * truncated, emptied, deleted or rewound, a Redis that lost its data or is down, an amount that is not a
 * number — each fails with this error and a `code` naming the problem, so a budget stops instead of
 * spending past its cap.
 * @module
 */
import { LoopguardError } from '@loopguard/messages';

const marker = Symbol.for('loopguard.ledger-error');

/**
 * What went wrong with a ledger.
 * - `ledger_invalid_option`: a ledger option is wrong (the message names it).
 * - `ledger_invalid_amount`: an amount, time or id given to the ledger is not valid (negative or non-finite).
 * - `ledger_not_a_file`: the file ledger's path is a directory or another non-file.
 * - `ledger_corrupt`: a line of the ledger file is not a ledger entry, or holds a bad amount.
 * - `ledger_truncated`: the file is shorter than what this process already read from it.
 * - `ledger_empty`: the file exists but is empty (a ledger file always starts with a header).
 * - `ledger_deleted`: the file this process was using is gone.
 * - `ledger_rewound`: the file holds fewer operations than this process already saw (restored from an old copy).
 * - `ledger_busy`: the lock was not free within the wait limit (the message names its holder).
 * - `ledger_uninitialized`: no Redis ledger under this key; nothing is created unless asked (`create: true`).
 * - `ledger_wiped`: the Redis ledger this process was using lost its data (a restart empty, a flush, eviction).
 * - `ledger_unavailable`: the store cannot be reached or an I/O call failed; the operation's outcome is unknown.
 */
export type LedgerErrorCode =
  | 'ledger_invalid_option'
  | 'ledger_invalid_amount'
  | 'ledger_not_a_file'
  | 'ledger_corrupt'
  | 'ledger_truncated'
  | 'ledger_empty'
  | 'ledger_deleted'
  | 'ledger_rewound'
  | 'ledger_busy'
  | 'ledger_uninitialized'
  | 'ledger_wiped'
  | 'ledger_unavailable';

/** A ledger is unusable or was given bad input. Never a silent reset: spend is refused, not forgotten. */
export class LedgerError extends LoopguardError {
  override name = 'LedgerError';
  declare readonly code: LedgerErrorCode;
  /** Where the ledger lives: the file path, or the Redis URL (password redacted) and key. */
  readonly path: string | undefined;
  readonly [marker] = true;

  constructor(message: string, options: { code: LedgerErrorCode; path?: string | undefined; cause?: unknown }) {
    super(message, { code: options.code, cause: options.cause });
    this.path = options.path;
  }
}

/** True when `value` is a `LedgerError`, even one from another copy of the package. */
export function isLedgerError(value: unknown): value is LedgerError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
