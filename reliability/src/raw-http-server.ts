/**
 * A raw HTTP server on 127.0.0.1 whose every answer is written by the test, byte for byte: for responses
 * and streams no well-behaved gateway would send.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running raw server; `answer` is replaced per test (it sees the request, to echo what was sent). */
export interface RawHttpServer {
  baseURL: string;
  answer: (response: ServerResponse, request: IncomingMessage) => void;
  close(): Promise<void>;
}

/** Starts the server. */
export async function startRawHttpServer(): Promise<RawHttpServer> {
  const raw: RawHttpServer = {
    baseURL: '',
    answer: (response) => response.end(),
    close: async () => undefined,
  };
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => raw.answer(response, request));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  raw.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  raw.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return raw;
}

/** Writes an SSE body made of raw text. */
export function sseBody(response: ServerResponse, text: string): void {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.end(text);
}

/** One SSE event as the gateway writes it. */
export function sse(data: Record<string, unknown>, event = String(data.type)): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
