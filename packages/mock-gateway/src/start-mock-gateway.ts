/**
 * `startMockGateway(options)`: a real local HTTP server speaking the gateway's protocol — auth, credits,
 * spend limits, IP allowlist, rate limits, every error code, SSE in full or short form — with a stand-in
 * model and fault injection. Works for any Anthropic client (Bearer or `x-api-key`).
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MessageCreateParams } from '@loopguard/messages';
import { buildMessage } from './build-message.js';
import { CHARACTERS_PER_TOKEN, countInputTokens } from './count-tokens.js';
import { createFaultPicker, type Fault, type FaultOptions, type FaultRule } from './faults.js';
import { sendGatewayError } from './gateway-error.js';
import { MockAccount, type MockAccountOptions } from './mock-account.js';
import type { ModelReply, ModelResponder } from './model-reply.js';
import { creditsFor, GATEWAY_PRICES, roundCredits } from './pricing.js';
import { RequestLog } from './request-log.js';
import { schemaDrivenModel } from './schema-driven-model.js';
import { streamEvents } from './stream-events.js';
import { ThreadStore } from './thread-store.js';
import { validateRequest } from './validate-request.js';

/** The key of the default account. */
export const DEFAULT_MOCK_KEY = 'sk-local-test';
/** The only model the gateway serves. */
export const MOCK_MODEL = 'claude-opus-4-6';
/** Largest accepted request body: 32 MiB. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

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

/** A request the gateway received. Keys are redacted from the headers. */
export interface MockRequestRecord {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (`undefined` when not JSON). */
  body: unknown;
  /** The account key's position in `keys`, or -1. */
  accountIndex: number;
  /** The HTTP status answered. */
  status?: number;
  /** The fault injected, if any. */
  fault?: Fault;
  /** The size of the request body, in bytes, once read. */
  bodyBytes?: number;
}

/** A running mock gateway. */
export interface MockGateway {
  /** `http://127.0.0.1:PORT/v1`. */
  baseURL: string;
  port: number;
  /** Accounts by key. */
  accounts: Map<string, MockAccount>;
  /** The requests received, in order: the last `maxRecordedRequests` (1,000 unless set otherwise). */
  requests: MockRequestRecord[];
  /** Forgets every thread, as a restarted gateway would: a `continue` then gets a 404 `thread_not_found`. */
  /** Credits billed so far to every account together (what a budget's cap is checked against). */
  billed(): number;
  /** Forgets every thread, as a restarted gateway would: a `continue` then gets a 400 `thread_not_found`. */
  forgetThreads(): void;
  /** Stops the server and closes every connection. */
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve('too_large');
        request.pause();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function keyOf(request: IncomingMessage): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && /^Bearer\s+/i.test(authorization))
    return authorization.replace(/^Bearer\s+/i, '').trim();
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : undefined;
}

function redactedHeaders(request: IncomingMessage): MockRequestRecord['headers'] {
  const headers: MockRequestRecord['headers'] = { ...request.headers };
  if (headers.authorization) headers.authorization = 'Bearer [redacted]';
  if (headers['x-api-key']) headers['x-api-key'] = '[redacted]';
  return headers;
}

function clientIp(request: IncomingMessage): string {
  return (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

/** Starts a mock gateway; resolves once it listens. */
export async function startMockGateway(options: MockGatewayOptions = {}): Promise<MockGateway> {
  const now = options.now ?? Date.now;
  const model = options.model ?? schemaDrivenModel();
  const pickFault = createFaultPicker(options.faults);
  const streamForm = options.streamForm ?? 'full';
  const eventDelayMs = options.eventDelayMs ?? 0;
  const streamByDefault = options.streamByDefault ?? true;
  const charactersPerToken = options.charactersPerToken ?? CHARACTERS_PER_TOKEN;
  if (!(charactersPerToken > 0)) throw new RangeError('`charactersPerToken` must be > 0.');
  const accountOptions = options.keys ?? [{ key: DEFAULT_MOCK_KEY, credits: 1000 }];
  const accounts = new Map<string, MockAccount>();
  const keyIndexes = new Map<string, number>();
  accountOptions.forEach((account, index) => {
    accounts.set(account.key, new MockAccount(account));
    keyIndexes.set(account.key, index);
  });
  const requests: MockRequestRecord[] = [];
  const log = new RequestLog(requests, {
    maxRequests: options.maxRecordedRequests,
    maxBodyBytes: options.maxRecordedBodyBytes,
  });
  const threads = new ThreadStore();
  const sockets = new Set<Socket>();
  let messageRequests = 0;
  // Stalls end when the gateway closes, so a long stall never outlives it.
  const closing = new AbortController();
  const stall = (ms: number): Promise<void> => sleep(ms, undefined, { signal: closing.signal }).catch(() => undefined);
  let requestCounter = 0;

  function authenticate(
    request: IncomingMessage,
    response: ServerResponse,
    record: MockRequestRecord,
  ): MockAccount | undefined {
    const key = keyOf(request);
    const account = key === undefined ? undefined : accounts.get(key);
    record.accountIndex = key === undefined ? -1 : (keyIndexes.get(key) ?? -1);
    if (key === undefined || key === '') {
      sendGatewayError(response, 401, 'invalid_api_key', 'Missing API key. Send "Authorization: Bearer sk-...".');
    } else if (!key.startsWith('sk-')) {
      sendGatewayError(response, 401, 'invalid_api_key', 'Invalid API key format: keys start with "sk-".');
    } else if (!account) {
      sendGatewayError(response, 401, 'invalid_api_key', 'API key is invalid, disabled, or deleted.');
    } else if (account.disabled) {
      sendGatewayError(response, 401, 'invalid_api_key', 'API key is invalid, disabled, or deleted.');
    } else if (account.ipAllowlist && !account.ipAllowlist.includes(clientIp(request))) {
      sendGatewayError(response, 403, 'ip_not_allowed', "Request IP not in the key's allowlist.");
    } else {
      return account;
    }
    return undefined;
  }

  async function handleMessages(
    request: IncomingMessage,
    response: ServerResponse,
    record: MockRequestRecord,
    raw: Buffer,
  ): Promise<void> {
    const account = authenticate(request, response, record);
    if (!account) return;
    const waitMs = account.takeRateLimit(now());
    if (waitMs !== undefined) {
      sendGatewayError(response, 429, 'rate_limit_exceeded', 'Too many requests, please slow down.', {
        'retry-after': String(Math.ceil(waitMs / 1000)),
        'retry-after-ms': String(waitMs),
      });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      sendGatewayError(response, 400, 'invalid_request', 'The request body is not valid JSON.');
      return;
    }
    record.body = body;
    if (options.threads === false && typeof body === 'object' && body !== null && 'thread' in body) {
      sendGatewayError(response, 400, 'thread_unsupported_request', 'This gateway does not support `thread`.');
      return;
    }
    const expanded =
      typeof body === 'object' && body !== null ? threads.expand(body as Record<string, unknown>) : { params: body };
    if ('problem' in expanded) {
      // 404, as the Anthropic API answers an unknown thread.
      sendGatewayError(response, 404, 'thread_not_found', expanded.problem);
      return;
    }
    const problem = validateRequest(expanded.params);
    if (problem) {
      sendGatewayError(response, 400, 'invalid_request', problem);
      return;
    }
    const params = expanded.params as MessageCreateParams;
    if (params.model !== MOCK_MODEL) {
      sendGatewayError(response, 404, 'model_not_found', `Model '${params.model}' does not exist or is inactive.`);
      return;
    }
    const limit = account.reachedLimit(now());
    if (limit) {
      sendGatewayError(response, 429, 'spend_limit_exceeded', `Key spend limit reached (${limit}).`);
      return;
    }
    const inputCost = (countInputTokens(params, charactersPerToken) * GATEWAY_PRICES.inputPerMillion) / 1_000_000;
    if (account.credits <= 0 || account.credits < inputCost) {
      sendGatewayError(response, 402, 'insufficient_credits', 'Your credit balance is too low. Please top up.');
      return;
    }
    const stream = typeof params.stream === 'boolean' ? params.stream : streamByDefault;
    messageRequests += 1;
    const fault = pickFault(messageRequests, stream);
    if (fault) record.fault = fault;
    if (fault?.type === 'status') {
      const code =
        fault.code ??
        (fault.status === 429 ? 'rate_limit_exceeded' : fault.status === 503 ? 'upstream_error' : 'internal_error');
      const headers: Record<string, string> =
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
      sendGatewayError(response, fault.status, code, fault.message ?? `Injected ${code}.`, headers);
      return;
    }
    if (fault?.type === 'reset' && !fault.billed) {
      request.socket.destroy();
      return;
    }
    const thinking =
      params.thinkingFlag === true || (params.thinking as { type?: string } | undefined)?.type === 'enabled';
    let generated: ReturnType<typeof buildMessage>;
    let reply: ModelReply;
    try {
      reply = await model({ params, thinking, stream, requestNumber: messageRequests });
      generated = buildMessage(params, reply, charactersPerToken);
      if (options.responseModel !== undefined) generated.message.model = options.responseModel;
    } catch (error) {
      sendGatewayError(response, 500, 'internal_error', error instanceof Error ? error.message : String(error));
      return;
    }
    const { message } = generated;
    threads.record(body as Record<string, unknown>, params, message);
    // The account is charged the exact cost once the reply is made, as a gateway bills the work done even
    // when the answer never reaches the client; `credits_consumed` reports it rounded, as the seed shows.
    const cost = creditsFor(message.usage.input_tokens, message.usage.output_tokens);
    account.charge(cost, now());
    if (fault?.type === 'reset') {
      model.undelivered?.(reply);
      request.socket.destroy();
      return;
    }
    if (fault?.type === 'stall' && (fault.beforeHeaders || !stream)) await stall(fault.ms);
    if (request.socket.destroyed) {
      model.undelivered?.(reply);
      return;
    }
    if (!stream) {
      const text = JSON.stringify({ ...message, credits_consumed: roundCredits(cost) });
      if (fault?.type === 'cut' || fault?.type === 'malformed') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(fault.type === 'cut' ? text.slice(0, text.length >> 1) : `<html>${text.slice(0, 20)}`);
        if (fault.type === 'cut') request.socket.destroy();
        model.undelivered?.(reply);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    // Headers go out at once, as a gateway's do, so a stall after them is a stall of a begun answer.
    response.flushHeaders();
    const events = streamEvents(generated, streamForm);
    for (const [index, event] of events.entries()) {
      if (response.destroyed) return;
      if (fault?.type === 'cut' && index === fault.afterEvents) {
        // Flush what was sent (headers and events so far), then drop the connection mid-body.
        await new Promise<void>((resolve) => response.write(': cut\n\n', () => resolve()));
        request.socket.destroy();
        model.undelivered?.(reply);
        return;
      }
      if (fault?.type === 'stall' && !fault.beforeHeaders && index === (fault.afterEvents ?? 1)) await stall(fault.ms);
      if (fault?.type === 'malformed' && index === (fault.afterEvents ?? 1)) {
        model.undelivered?.(reply);
        response.write('event: content_block_delta\ndata: {"type": "content_block_delta", "delta": \n\n');
      }
      if (response.destroyed) return;
      response.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      if (eventDelayMs > 0) await sleep(eventDelayMs);
    }
    response.end();
  }

  const server = createServer((request, response) => {
    requestCounter += 1;
    response.setHeader('x-request-id', `req_mock_${requestCounter}`);
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const record: MockRequestRecord = {
      method: request.method ?? '',
      path,
      headers: redactedHeaders(request),
      body: undefined,
      accountIndex: -1,
    };
    log.add(record);
    response.on('finish', () => {
      record.status = response.statusCode;
    });
    const handle = async (): Promise<void> => {
      const raw = await readBody(request);
      log.sized(record, raw === 'too_large' ? MAX_BODY_BYTES : raw.length);
      if (raw === 'too_large') {
        sendGatewayError(
          response,
          413,
          'request_too_large',
          `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
          { connection: 'close' },
        );
        return;
      }
      // Only what the seed implies: {baseURL}/messages with a baseURL ending in /v1, and /v1/v1/... for
      // the official SDK given that baseURL (it appends /v1/messages itself). A bare /messages is a 404.
      const route = /^\/v1(?:\/v1)?(\/messages|\/credits)$/.exec(path)?.[1];
      if (request.method === 'POST' && route === '/messages') return handleMessages(request, response, record, raw);
      if (request.method === 'GET' && route === '/credits') {
        const account = authenticate(request, response, record);
        if (!account) return;
        const body = JSON.stringify({ credits: account.credits });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(body);
        return;
      }
      const hint = /^\/(messages|credits)$/.test(path) ? ` Did you mean /v1${path}? (a baseURL ends in /v1)` : '';
      sendGatewayError(response, 404, 'not_found', `No route for ${request.method} ${path}.${hint}`);
    };
    handle().catch((error: unknown) => {
      sendGatewayError(
        response,
        500,
        'internal_error',
        error instanceof Error ? error.message : 'Unexpected server error.',
      );
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    baseURL: `http://${host}:${port}/v1`,
    port,
    accounts,
    requests,
    billed: () => [...accounts.values()].reduce((sum, account) => sum + account.spent, 0),
    forgetThreads: () => threads.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
