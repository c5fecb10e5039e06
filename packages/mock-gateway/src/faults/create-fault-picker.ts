/**
 * `createFaultPicker(options)`: which fault, if any, a `POST /messages` request gets — the first rule that
 * matches it, probabilities drawn from a seeded generator so a run repeats.
 * @module
 */

import { createSeededRandom } from '@loopguard/messages/internal';
import type { Fault, FaultOptions, FaultRule } from './fault.js';

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
