/**
 * This process's identity on this machine (pid, host name, boot id), recorded with each reservation of a file
 * ledger so that another process can tell when its owner is gone: same host and boot, pid not alive; or another boot.
 * @module
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

function readBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

const identity = { host: hostname(), boot: readBootId() };

/** The host name and boot id of this machine, and the fields a reservation line records. */
export function hostIdentity(): { host: string; boot: string; owner: { pid: number; host: string; boot: string } } {
  return { ...identity, owner: { pid: process.pid, ...identity } };
}
