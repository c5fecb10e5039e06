/**
 * `leaseExpiries(view, now, me)`: the `expire` lines a file ledger appends before it decides — for every open
 * reservation whose lease ran out by `now`, and at once for those of a dead process of this machine (same
 * host; its pid gone, or the machine rebooted since).
 * @module
 */

import { isProcessAlive } from '../file-lock.js';
import type { LedgerLine } from './ledger-line.js';
import type { LedgerView } from './ledger-view.js';

/** The lines that expire due leases and the reservations of dead processes of this machine (each id once). */
export function leaseExpiries(view: LedgerView, now: number, me: { host: string; boot: string }): LedgerLine[] {
  const lines: LedgerLine[] = view.state.dueLeases(now).map((id) => ({ op: 'expire', id, at: now }));
  const dead = new Map<number, boolean>();
  for (const [id, owner] of view.owners) {
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
