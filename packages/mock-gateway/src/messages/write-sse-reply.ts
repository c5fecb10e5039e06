/**
 * `writeSseReply(...)`: a streamed answer — headers at once (as a gateway's), then the message's events in
 * the chosen form, with the fault applied before each event and `eventDelayMs` between them.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { applyFault, type FaultScene } from '../faults/apply-fault.js';
import type { Fault } from '../faults/fault.js';
import type { GatewayContext } from '../gateway-context.js';
import type { GeneratedMessage } from './build-message.js';
import { streamEvents } from './stream-events.js';

/** Streams `generated` as SSE; stops when the client is gone or the fault ends the answer. */
export async function writeSseReply(
  context: Pick<GatewayContext, 'streamForm' | 'eventDelayMs'>,
  generated: GeneratedMessage,
  fault: Fault | undefined,
  scene: FaultScene,
): Promise<void> {
  const { response } = scene;
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  // Headers go out at once, as a gateway's do, so a stall after them is a stall of a begun answer.
  response.flushHeaders();
  const events = streamEvents(generated, context.streamForm);
  for (const [index, event] of events.entries()) {
    if (response.destroyed) return;
    if (fault && (await applyFault('stream_event', fault, { ...scene, eventIndex: index })) === 'stop') return;
    if (response.destroyed) return;
    response.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    if (context.eventDelayMs > 0) await sleep(context.eventDelayMs);
  }
  response.end();
}
