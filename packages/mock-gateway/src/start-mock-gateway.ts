/**
 * `startMockGateway(options)`: a real local HTTP server speaking the gateway's protocol — auth, credits,
 * spend limits, IP allowlist, rate limits, every error code, SSE in full or short form — with a stand-in
 * model and fault injection. Works for any Anthropic client (Bearer or `x-api-key`). This file holds the
 * options and the server's start and stop; requests are answered in `http/` (auth, routing, errors),
 * `messages/` (`POST /messages`), `account/` (balances, `GET /credits`) and `faults/`.
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { MockAccount, MockAccountOptions } from './account/mock-account.js';
import type { FaultOptions, FaultRule } from './faults/fault.js';
import { createGatewayContext } from './gateway-context.js';
import { createRequestHandler } from './http/handle-request.js';
import type { MockRequestRecord } from './http/request-record.js';
import type { ModelResponder } from './models/model-reply.js';

/** Options of `startMockGateway`. */
export interface MockGatewayOptions {
  /** Port to listen on, on 127.0.0.1. @default 0 (a free port) */
  port?: number;
  /** Host to listen on. @default '127.0.0.1' */
  host?: string;
  /** Accounts. @default [{ key: 'sk-local-test', credits: 1000 }] */
  keys?: MockAccountOptions[];
  /** The stand-in model. @default schemaDrivenModel() */
  model?: ModelResponder;
  /** Faults to inject, by rule. */
  faults?: FaultOptions | FaultRule[];
  /** Stream form: Anthropic's `full` or the seed's `short` (no block start/stop). @default 'full' */
  streamForm?: 'full' | 'short';
  /** The clock of spend windows and rate limits. @default Date.now */
  now?: () => number;
  /** Delay between stream events, in ms. @default 0 */
  eventDelayMs?: number;
  /** What a request without `stream` gets: `true` as on the gateway, `false` as on Anthropic's API. @default true */
  streamByDefault?: boolean;
  /**
   * Server-side threads (`thread: create | continue`, not in the gateway's documented contract). `false`
   * plays a gateway without them: a request with `thread` gets a 400 `thread_unsupported_request`. @default true
   */
  threads?: boolean;
  /** Records kept in `requests` at most (the oldest go first); `Infinity` keeps all. @default 1000 */
  maxRecordedRequests?: number;
  /** Bytes of request bodies kept in `requests` at most (the oldest go first); `Infinity` keeps all. @default 67_108_864 (64 MiB) */
  maxRecordedBodyBytes?: number;
  /**
   * Characters per token of the stand-in tokenizer, for input and output. 1 plays the harshest real
   * tokenizer (CJK text, code, base64 at about one token per character). @default 4
   */
  charactersPerToken?: number;
  /**
   * The model id responses name, when it should differ from the requested one (a dated id such as
   * `claude-opus-4-6-20260101`, or one missing from a price table). @default the requested model
   */
  responseModel?: string;
}

/** A running mock gateway. */
export interface MockGateway {
  /** `http://127.0.0.1:PORT/v1`. */
  baseURL: string;
  /** The port it listens on. */
  port: number;
  /** Accounts by key. */
  accounts: Map<string, MockAccount>;
  /** The requests received, in order: the last `maxRecordedRequests` (1,000 unless set otherwise). */
  requests: MockRequestRecord[];
  /** Credits billed so far to every account together (what a budget's cap is checked against). */
  billed(): number;
  /** Forgets every thread, as a restarted gateway would: a `continue` then gets a 404 `thread_not_found`. */
  forgetThreads(): void;
  /** Stops the server and closes every connection. */
  close(): Promise<void>;
}

/** Starts a mock gateway; resolves once it listens. Bad options reject with a `RangeError` naming the option. */
export async function startMockGateway(options: MockGatewayOptions = {}): Promise<MockGateway> {
  // Stalls end when the gateway closes, so a long stall never outlives it.
  const closing = new AbortController();
  const context = createGatewayContext(options, closing.signal);
  const sockets = new Set<Socket>();
  const server = createServer(createRequestHandler(context));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://${host}:${port}/v1`,
    port,
    accounts: context.accounts.byKey,
    requests: context.requests,
    billed: () => context.accounts.billed(),
    forgetThreads: () => context.threads.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
