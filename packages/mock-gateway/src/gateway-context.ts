/**
 * `createGatewayContext(options, closing)`: what every request handler of one mock gateway shares — its
 * options with their defaults, accounts, request log, threads, fault picker and request counters.
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { MockAccounts } from './account/mock-accounts.js';
import { createFaultPicker, type FaultPicker } from './faults/create-fault-picker.js';
import { RequestLog } from './http/request-log.js';
import type { MockRequestRecord } from './http/request-record.js';
import { CHARACTERS_PER_TOKEN } from './messages/count-tokens.js';
import { ThreadStore } from './messages/thread-store.js';
import type { ModelResponder } from './models/model-reply.js';
import { schemaDrivenModel } from './models/schema-driven-model.js';
import type { MockGatewayOptions } from './start-mock-gateway.js';

/** One gateway's shared state; see `MockGatewayOptions` for each setting's meaning and default. */
export interface GatewayContext {
  now: () => number;
  model: ModelResponder;
  pickFault: FaultPicker;
  streamForm: 'full' | 'short';
  eventDelayMs: number;
  streamByDefault: boolean;
  charactersPerToken: number;
  /** `false` plays a gateway without server-side threads. */
  threadsEnabled: boolean;
  responseModel: string | undefined;
  accounts: MockAccounts;
  /** The records behind `gateway.requests`. */
  requests: MockRequestRecord[];
  log: RequestLog<MockRequestRecord>;
  threads: ThreadStore;
  /** Counts a `POST /messages` that reached the model stage; returns its 1-based number. */
  nextMessageNumber(): number;
  /** Counts any request; returns its 1-based number (for `x-request-id`). */
  nextRequestNumber(): number;
  /** Waits `ms`, or until the gateway closes, so a long stall never outlives it. */
  stall(ms: number): Promise<void>;
}

/** The context of a gateway started with `options`; `closing` aborts when it closes. Throws on a bad option. */
export function createGatewayContext(options: MockGatewayOptions, closing: AbortSignal): GatewayContext {
  const charactersPerToken = options.charactersPerToken ?? CHARACTERS_PER_TOKEN;
  if (!(charactersPerToken > 0)) throw new RangeError('`charactersPerToken` must be > 0.');
  const accounts = new MockAccounts(options.keys);
  const requests: MockRequestRecord[] = [];
  const log = new RequestLog(requests, {
    maxRequests: options.maxRecordedRequests,
    maxBodyBytes: options.maxRecordedBodyBytes,
  });
  let messageRequests = 0;
  let allRequests = 0;
  return {
    now: options.now ?? Date.now,
    model: options.model ?? schemaDrivenModel(),
    pickFault: createFaultPicker(options.faults),
    streamForm: options.streamForm ?? 'full',
    eventDelayMs: options.eventDelayMs ?? 0,
    streamByDefault: options.streamByDefault ?? true,
    charactersPerToken,
    threadsEnabled: options.threads !== false,
    responseModel: options.responseModel,
    accounts,
    requests,
    log,
    threads: new ThreadStore(),
    nextMessageNumber: () => ++messageRequests,
    nextRequestNumber: () => ++allRequests,
    stall: (ms) => sleep(ms, undefined, { signal: closing }).catch(() => undefined),
  };
}
