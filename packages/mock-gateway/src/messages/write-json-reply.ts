/**
 * `writeJsonReply(...)`: a non-streamed answer — the message as JSON with `credits_consumed` rounded as the
 * gateway reports it, unless a `cut` or `malformed` fault breaks the body.
 * @module
 */
import type { Message } from '@loopguard/messages';
import { roundCredits } from '../account/pricing.js';
import { applyFault, type FaultScene } from '../faults/apply-fault.js';
import type { Fault } from '../faults/fault.js';

/** Writes `message` (billed `cost` credits) as the answer's JSON body. */
export async function writeJsonReply(
  message: Message,
  cost: number,
  fault: Fault | undefined,
  scene: FaultScene,
): Promise<void> {
  const text = JSON.stringify({ ...message, credits_consumed: roundCredits(cost) });
  if (fault && (await applyFault('json_body', fault, { ...scene, body: text })) === 'stop') return;
  const { response } = scene;
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
