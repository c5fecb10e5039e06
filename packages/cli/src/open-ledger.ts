/**
 * `openLedger(spec)`: the ledger a `loopguard` command reads — a `redis://` / `rediss://` URL (with the
 * ledger's key), or the path of a file ledger that must already exist (reading never creates a ledger).
 * @module
 */
import { statSync } from 'node:fs';
import { fileLedger, type Ledger, redisLedger } from '@loopguard/budget';

/** Where a ledger lives, as the command line names it. */
export interface LedgerSpec {
  /** A file ledger's path, or a `redis://` URL. */
  location: string;
  /** The Redis ledger's key (ignored for files). @default 'loopguard:budget' */
  key?: string | undefined;
}

/** Thrown when there is no ledger at a path: the command fails (exit 1) instead of creating one. */
export class LedgerNotFoundError extends Error {
  override name = 'LedgerNotFoundError';
}

/** Opens the ledger `spec` names; a Redis ledger is joined, never created (`create: false`). */
export function openLedger(spec: LedgerSpec): Ledger {
  if (/^rediss?:\/\//.test(spec.location)) return redisLedger({ url: spec.location, key: spec.key, create: false });
  let isFile = false;
  try {
    isFile = statSync(spec.location).isFile();
  } catch {
    throw new LedgerNotFoundError(`No ledger at "${spec.location}": the file does not exist.`);
  }
  if (!isFile) throw new LedgerNotFoundError(`No ledger at "${spec.location}": it is not a file.`);
  return fileLedger(spec.location);
}
