/**
 * `MockRequestRecord`: what the mock gateway keeps of each request it received (`gateway.requests`), keys
 * redacted.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { Fault } from '../faults/fault.js';

/** A request the gateway received. Keys are redacted from the headers. */
export interface MockRequestRecord {
  /** The HTTP method. */
  method: string;
  /** The path, without the query. */
  path: string;
  /** The request's headers, `authorization` and `x-api-key` redacted. */
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

function redactedHeaders(request: IncomingMessage): MockRequestRecord['headers'] {
  const headers: MockRequestRecord['headers'] = { ...request.headers };
  if (headers.authorization) headers.authorization = 'Bearer [redacted]';
  if (headers['x-api-key']) headers['x-api-key'] = '[redacted]';
  return headers;
}

/** The record of a request just received at `path`: no body read yet, no account known yet. */
export function createRequestRecord(request: IncomingMessage, path: string): MockRequestRecord {
  return {
    method: request.method ?? '',
    path,
    headers: redactedHeaders(request),
    body: undefined,
    accountIndex: -1,
  };
}
