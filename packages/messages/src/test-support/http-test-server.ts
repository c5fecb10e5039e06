/**
 * A real `node:http` server on 127.0.0.1 for tests: each test scripts the handler, the server records requests.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request the server received. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
}

/** A started test server. */
export interface HttpTestServer {
  baseURL: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a server whose handler is given the request (body read) and the response. */
export async function startHttpTestServer(
  handler: (request: RecordedRequest, response: ServerResponse, index: number) => void | Promise<void>,
): Promise<HttpTestServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json };
    requests.push(recorded);
    await handler(recorded, res, requests.length - 1);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes a JSON response. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Formats one SSE event the way the gateway does. */
export function sseEvent(data: { type: string; [field: string]: unknown }): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Writes a whole SSE response from events. */
export function sendSse(
  response: ServerResponse,
  events: Array<{ type: string; [field: string]: unknown }>,
  headers: Record<string, string> = {},
): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
  response.end(events.map(sseEvent).join(''));
}

/** The events of a full Anthropic stream: thinking, text and a tool_use with its input split in fragments. */
export function fullStreamEvents(): Array<{ type: string; [field: string]: unknown }> {
  return [
    {
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-opus-4-6',
        content: [],
        stop_reason: null,
        usage: { input_tokens: 25, output_tokens: 1 },
      },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
    { type: 'ping' },
    { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'The user wants ' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'the weather.' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-abc' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Let me ' } },
    { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'check.' } },
    { type: 'content_block_stop', index: 1 },
    {
      type: 'content_block_start',
      index: 2,
      content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_current_weather', input: {} },
    },
    { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"loca' } },
    { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: 'tion": "Bos' } },
    { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: 'ton, MA"}' } },
    { type: 'content_block_stop', index: 2 },
    { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 42 } },
    { type: 'message_stop' },
  ];
}

/** The events of the gateway's short stream form (no block start/stop), as in its API page. */
export function shortStreamEvents(): Array<{ type: string; [field: string]: unknown }> {
  return [
    { type: 'message_start', message: { id: 'msg_2', usage: { input_tokens: 12, output_tokens: 1 } } },
    { type: 'content_block_delta', delta: { type: 'text_delta', text: 'Quantum' } },
    { type: 'content_block_delta', delta: { type: 'text_delta', text: ' computing' } },
    { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 86 } },
    { type: 'message_stop' },
  ];
}

/** A short non-streamed reply (`msg_1`, the text `ok`, 1 token each way), with `fields` over it. */
export function textReply(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    role: 'assistant',
    id: 'msg_1',
    model: 'claude-opus-4-6',
    content: [{ type: 'text', text: 'ok' }],
    stop_reason: 'end_turn',
    usage: { input_tokens: 1, output_tokens: 1 },
    ...fields,
  };
}
