/**
 * `checkLease` / `nextLease`: the fencing rules every store applies, written once.
 * @module
 */

import { WorkflowError } from '../engine/workflow-error.js';
import type { Lease } from './workflow-store.js';

/** Throws `lease_lost` unless `lease` is the run's current one and has not expired at `now`. */
export function checkLease(current: Lease | undefined, lease: Lease, now: number): void {
  if (!current || current.token !== lease.token || current.owner !== lease.owner)
    throw new WorkflowError(`Run ${lease.runId}: this process no longer holds its lease (another took the run over).`, {
      code: 'lease_lost',
      runId: lease.runId,
    });
  if (current.expiresAt <= now)
    throw new WorkflowError(`Run ${lease.runId}: the lease expired before this write.`, {
      code: 'lease_lost',
      runId: lease.runId,
    });
}

/** The lease `owner` gets on a run whose lease is `current`, or undefined while another owner holds it. */
export function nextLease(
  current: Lease | undefined,
  runId: string,
  owner: string,
  ttlMs: number,
  now: number,
): Lease | undefined {
  if (current && current.owner !== owner && current.expiresAt > now) return undefined;
  const token = current ? (current.owner === owner && current.expiresAt > now ? current.token : current.token + 1) : 1;
  return { runId, owner, token, expiresAt: now + ttlMs };
}
