/**
 * Fault injection: rules that pick requests (the nth, every nth, or with a seeded probability) and the
 * failure to inject. Injected failures are never charged (the gateway refunds failed calls).
 * @module
 */
import { createSeededRandom } from './seeded-random.js';

/** A failure the mock gateway can inject. */
export type Fault =
  /** An HTTP error with the gateway's error body (and optional `retry-after`, in seconds). */
  | { type: 'status'; status: number; code?: string; message?: string; retryAfterSeconds?: number }
  /** Destroys the connection before any header is sent. */
  | { type: 'reset' }
  /** Sends a stream's first `afterEvents` events, then closes the connection (a non-streaming body is cut in half). */
  | { type: 'cut'; afterEvents: number }
  /** Sends nothing for `ms` milliseconds (after the headers and first event of a stream), then answers normally. */
  | { type: 'stall'; ms: number; afterEvents?: number }
  /** Inserts a malformed SSE data line after `afterEvents` events (a non-streaming body is not JSON). */
  | { type: 'malformed'; afterEvents?: number };

/** Which requests a rule applies to. All given conditions must hold. */
export interface FaultRule {
  /** 1-based numbers of `POST /messages` requests this rule hits. */
  nth?: number | number[];
  /** Hits every request whose number is a multiple of this. */
  every?: number;
  /** Hits a request with this probability, drawn from the seeded generator. */
  probability?: number;
  /** Only streamed (`true`) or only non-streamed (`false`) requests. */
  stream?: boolean;
  fault: Fault;
}

/** Fault options of the mock gateway. */
export interface FaultOptions {
  rules: FaultRule[];
  /** Seed of the probability draws. @default 1 */
  seed?: number;
}

/** The fault to inject for a request, if any (the first matching rule wins). */
export type FaultPicker = (requestNumber: number, stream: boolean) => Fault | undefined;

/** Creates the picker for a set of rules. Each request draws once per probabilistic rule, in order. */
export function createFaultPicker(options: FaultOptions | FaultRule[] | undefined): FaultPicker {
  const normalised = Array.isArray(options) ? { rules: options } : options;
  const rules = normalised?.rules ?? [];
  const random = createSeededRandom(normalised?.seed ?? 1);
  return (requestNumber, stream) => {
    for (const rule of rules) {
      if (rule.stream !== undefined && rule.stream !== stream) continue;
      if (rule.nth !== undefined) {
        const list = Array.isArray(rule.nth) ? rule.nth : [rule.nth];
        if (!list.includes(requestNumber)) continue;
      }
      if (rule.every !== undefined && requestNumber % rule.every !== 0) continue;
      if (rule.probability !== undefined && random() >= rule.probability) continue;
      return rule.fault;
    }
    return undefined;
  };
}
