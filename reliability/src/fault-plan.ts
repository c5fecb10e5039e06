/**
 * The faults the suite injects: seven kinds, 3.2% each, so about 20% of requests fail once.
 * @module
 */
import type { FaultRule } from '@loopguard/mock-gateway';

/** Probability of each kind. */
export const FAULT_PROBABILITY = 0.032;

/** The rules, in the order the mock gateway tries them. */
export const FAULT_RULES: FaultRule[] = [
  { probability: FAULT_PROBABILITY, fault: { type: 'status', status: 500 } },
  { probability: FAULT_PROBABILITY, fault: { type: 'status', status: 503 } },
  { probability: FAULT_PROBABILITY, fault: { type: 'status', status: 429, retryAfterSeconds: 0 } },
  { probability: FAULT_PROBABILITY, fault: { type: 'reset' } },
  { probability: FAULT_PROBABILITY, fault: { type: 'cut', afterEvents: 4 } },
  { probability: FAULT_PROBABILITY, fault: { type: 'stall', ms: 250, afterEvents: 1 } },
  { probability: FAULT_PROBABILITY, fault: { type: 'malformed', afterEvents: 2 } },
];

/**
 * The same rules, with a hostile server: the 500 and 503 answers echo `secret` (the key the client sent) in
 * their error `code` and `message`. The client must keep it out of every error, log line and event.
 */
export function echoingFaultRules(secret: string): FaultRule[] {
  return FAULT_RULES.map((rule) =>
    rule.fault.type === 'status' && rule.fault.status !== 429
      ? {
          ...rule,
          fault: { ...rule.fault, code: `error_for_${secret}`, message: `Injected failure for key ${secret}.` },
        }
      : rule,
  );
}

/** A short name for a fault, for the report. */
export function faultKind(fault: { type: string; status?: number }): string {
  return fault.type === 'status' ? `status_${fault.status}` : fault.type;
}
