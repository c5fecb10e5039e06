/**
 * `failLedgerFile(path, code, message)`: the `LedgerError` of a ledger file, worded "The ledger file <path> …".
 * @module
 */
import { LedgerError } from '../ledger-error.js';

/** Throws `LedgerError` `code` for the ledger file at `path`; `message` goes on from "The ledger file <path>". */
export function failLedgerFile(path: string, code: LedgerError['code'], message: string, cause?: unknown): never {
  throw new LedgerError(`The ledger file ${path} ${message}`, { code, path, cause });
}
