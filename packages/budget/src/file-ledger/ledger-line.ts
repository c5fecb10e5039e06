/**
 * The lines of a ledger file (JSON, one per line) and their strict parsing: a line that is not JSON, names an
 * unknown operation, or holds a negative or non-finite amount is refused with `LedgerError` `ledger_corrupt`
 * naming the file and line.
 * @module
 */
import { LedgerError } from '../ledger-error.js';
import type { LedgerSnapshot } from './ledger-snapshot.js';

/** Format version written by this code (version 1 files, without snapshots and leases, are read too). */
export const LEDGER_FILE_VERSION = 2;

/** One line of a ledger file. */
export type LedgerLine =
  | { op: 'header'; format: 'loopguard-ledger'; version: 1 | 2; ledgerId?: string; created?: number }
  | { op: 'snapshot'; state: LedgerSnapshot }
  | {
      op: 'reserve';
      id: string;
      runId: string;
      credits: number;
      at: number;
      expiresAt?: number;
      model?: string;
      pid?: number;
      host?: string;
      boot?: string;
    }
  | {
      op: 'settle';
      id: string;
      credits: number;
      at: number;
      runId?: string;
      model?: string;
      possiblyBilled?: boolean;
    }
  | { op: 'release'; id: string }
  | { op: 'expire'; id: string; at: number };

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const optional = (value: unknown, check: (v: unknown) => boolean) => value === undefined || check(value);

function problemOf(line: Record<string, unknown>): string | undefined {
  switch (line.op) {
    case 'header':
      return line.format === 'loopguard-ledger' && (line.version === 1 || line.version === 2)
        ? undefined
        : 'not a loopguard ledger header (format "loopguard-ledger", version 1 or 2)';
    case 'snapshot':
      return typeof line.state === 'object' && line.state !== null ? undefined : 'a snapshot without state';
    case 'reserve':
      if (!isText(line.id) || !isText(line.runId) || !isFiniteNumber(line.at))
        return 'a reserve without id, runId or at';
      if (!isFiniteNumber(line.credits) || line.credits < 0)
        return `a reserve of ${String(line.credits)} credits (must be a finite number >= 0)`;
      return optional(line.expiresAt, isFiniteNumber) &&
        optional(line.model, isText) &&
        optional(line.pid, isFiniteNumber)
        ? undefined
        : 'a reserve with a bad expiresAt, model or pid';
    case 'settle':
      if (!isText(line.id) || !isFiniteNumber(line.at)) return 'a settle without id or at';
      if (!isFiniteNumber(line.credits)) return `a settle of ${String(line.credits)} credits (must be finite)`;
      return optional(line.runId, isText) && optional(line.model, isText)
        ? undefined
        : 'a settle with a bad runId or model';
    case 'release':
      return isText(line.id) ? undefined : 'a release without id';
    case 'expire':
      return isText(line.id) && isFiniteNumber(line.at) ? undefined : 'an expire without id or at';
    default:
      return 'an unknown operation';
  }
}

/** Parses line `lineNumber` (1-based) of the ledger file at `path`; throws `ledger_corrupt` when it is not valid. */
export function parseLedgerLine(text: string, lineNumber: number, path: string): LedgerLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const problem =
    typeof value !== 'object' || value === null || Array.isArray(value)
      ? 'not a JSON object'
      : problemOf(value as Record<string, unknown>);
  if (problem !== undefined) {
    throw new LedgerError(
      `The ledger file ${path} is corrupt at line ${lineNumber}: ${problem}. Fix or restore the file; a ledger is never reset silently.`,
      { code: 'ledger_corrupt', path },
    );
  }
  return value as LedgerLine;
}
