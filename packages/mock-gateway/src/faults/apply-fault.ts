/**
 * `applyFault(point, fault, scene)`: injects a fault at a named point of answering `POST /messages`. Each
 * fault type lists what it does at the points it acts on (a map from type to handlers); at any other point
 * it does nothing. The points, in order:
 * - `before_model`: the request was accepted, nothing was generated or charged yet;
 * - `after_billing`: the reply was made and charged, no header was sent;
 * - `json_body`: a non-streamed answer is about to be written;
 * - `stream_event`: the stream's event number `eventIndex` (0-based) is about to be written.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendGatewayError } from '../http/gateway-error.js';
import type { Fault } from './fault.js';

/** Where, in answering a request, a fault can act. */
export type FaultPoint = 'before_model' | 'after_billing' | 'json_body' | 'stream_event';

/** `stop`: the fault answered or dropped the request, write nothing more; `continue`: answer as usual. */
export type FaultOutcome = 'stop' | 'continue';

/** What a fault can touch. */
export interface FaultScene {
  request: IncomingMessage;
  response: ServerResponse;
  /** Whether the answer is streamed. */
  stream: boolean;
  /** Waits `ms` (cut short when the gateway closes). */
  stall(ms: number): Promise<void>;
  /** Tells the model its reply never reached the client (so a scripted queue serves it again). */
  undelivered(): void;
  /** At `json_body`: the JSON about to be sent. */
  body?: string;
  /** At `stream_event`: the index of the event about to be sent. */
  eventIndex?: number;
}

type Handler<F extends Fault> = (fault: F, scene: FaultScene) => FaultOutcome | Promise<FaultOutcome>;
type Handlers = { [T in Fault['type']]: Partial<Record<FaultPoint, Handler<Extract<Fault, { type: T }>>>> };

const MALFORMED_EVENT = 'event: content_block_delta\ndata: {"type": "content_block_delta", "delta": \n\n';

function injectStatus(fault: Extract<Fault, { type: 'status' }>, { response }: FaultScene): FaultOutcome {
  const code =
    fault.code ??
    (fault.status === 429 ? 'rate_limit_exceeded' : fault.status === 503 ? 'upstream_error' : 'internal_error');
  const headers: Record<string, string> =
    fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
  sendGatewayError(response, fault.status, code, fault.message ?? `Injected ${code}.`, headers);
  return 'stop';
}

/** Sends a 200 whose JSON body is cut in half (and the connection dropped) or is not JSON at all. */
function breakJsonBody(fault: Fault, { request, response, body = '', undelivered }: FaultScene): FaultOutcome {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(fault.type === 'cut' ? body.slice(0, body.length >> 1) : `<html>${body.slice(0, 20)}`);
  if (fault.type === 'cut') request.socket.destroy();
  undelivered();
  return 'stop';
}

async function cutStream(
  fault: Extract<Fault, { type: 'cut' }>,
  { request, response, eventIndex, undelivered }: FaultScene,
): Promise<FaultOutcome> {
  if (eventIndex !== fault.afterEvents) return 'continue';
  // Flush what was sent (headers and events so far), then drop the connection mid-body.
  await new Promise<void>((resolve) => response.write(': cut\n\n', () => resolve()));
  request.socket.destroy();
  undelivered();
  return 'stop';
}

const HANDLERS: Handlers = {
  status: { before_model: injectStatus },
  reset: {
    // Plain: dropped before the model runs (not charged). Billed: dropped once the reply was made and charged.
    before_model: (fault, { request }) => {
      if (fault.billed) return 'continue';
      request.socket.destroy();
      return 'stop';
    },
    after_billing: (_fault, { request, undelivered }) => {
      undelivered();
      request.socket.destroy();
      return 'stop';
    },
  },
  cut: { json_body: breakJsonBody, stream_event: cutStream },
  stall: {
    after_billing: async (fault, { stall, stream }): Promise<FaultOutcome> => {
      if (fault.beforeHeaders || !stream) await stall(fault.ms);
      return 'continue';
    },
    stream_event: async (fault, { stall, eventIndex }): Promise<FaultOutcome> => {
      if (!fault.beforeHeaders && eventIndex === (fault.afterEvents ?? 1)) await stall(fault.ms);
      return 'continue';
    },
  },
  malformed: {
    json_body: breakJsonBody,
    stream_event: (fault, { response, eventIndex, undelivered }) => {
      if (eventIndex !== (fault.afterEvents ?? 1)) return 'continue';
      undelivered();
      response.write(MALFORMED_EVENT);
      return 'continue';
    },
  },
};

/** Applies `fault` at `point`: what its type does there, or nothing. Resolves `stop` when the answer ends here. */
export async function applyFault(
  point: FaultPoint,
  fault: Fault | undefined,
  scene: FaultScene,
): Promise<FaultOutcome> {
  if (!fault) return 'continue';
  const handler = HANDLERS[fault.type][point] as Handler<Fault> | undefined;
  return handler ? handler(fault, scene) : 'continue';
}
