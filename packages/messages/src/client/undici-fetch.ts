/**
 * `undiciFetch`: the client's default `fetch`, a `fetch`-shaped function over undici's `request`. Node's own
 * `fetch` is undici too, but wrapped in the WHATWG fetch machinery (a `Request`, a fetch controller, the
 * request body turned into a byte stream and copied); on loopback that machinery costs more CPU per request
 * than the rest of the exchange (see docs/benchmarks.md). `request` sends the same bytes on the same
 * connection pool and hands back a Node stream, which is put behind a `ReadableStream` once, so the rest of
 * the client reads a standard `Response` (node-body-stream.ts). A `fetch` given in the client's options is used instead.
 * @module
 */
import { type Dispatcher, request } from 'undici';
import { webStreamOf } from './node-body-stream.js';

/** Statuses whose response has no body (a `Response` refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** The request's headers as undici takes them. */
function headersOf(init: RequestInit | undefined): Record<string, string> {
  const given = init?.headers;
  if (given === undefined) return {};
  if (given instanceof Headers || Array.isArray(given)) return Object.fromEntries(given as Iterable<[string, string]>);
  return given as Record<string, string>;
}

/** The request body as undici takes it; a body the client never sends (a stream, a form) is refused. */
function bodyOf(init: RequestInit | undefined): string | Uint8Array | null {
  const body = init?.body ?? null;
  if (body === null || typeof body === 'string' || body instanceof Uint8Array) return body;
  throw new TypeError('undiciFetch sends string or byte bodies only; pass your own `fetch` for other bodies.');
}

/** The response headers as a `Headers` (a repeated header keeps every value). */
function toHeaders(raw: Dispatcher.ResponseData['headers']): Headers {
  const headers = new Headers();
  for (const name of Object.keys(raw)) {
    const value = raw[name];
    if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

/** The rejection `fetch` gives: the signal's reason once aborted, else `TypeError: fetch failed` with the cause. */
function fetchFailure(error: unknown, signal: AbortSignal | null | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  return new TypeError('fetch failed', { cause: error });
}

/**
 * A `fetch` for the client's requests, over undici's `request` on its global dispatcher: string or byte
 * bodies, the signal honoured until the body is read, redirects never followed (the client's `guardFetch`
 * decides them, as with `redirect: 'manual'`), undici's own header and body timeouts off (the client's
 * attempt clock keeps time). Resolves with a standard `Response`; fails as `fetch` fails.
 */
export async function undiciFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  if (input instanceof Request) return globalThis.fetch(input, init);
  const signal = init?.signal;
  const sent = bodyOf(init);
  let answer: Dispatcher.ResponseData;
  try {
    answer = await request(String(input), {
      method: (init?.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: headersOf(init),
      body: sent,
      signal: signal ?? undefined,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  } catch (error) {
    throw fetchFailure(error, signal);
  }
  const { statusCode: status, body } = answer;
  try {
    const headers = toHeaders(answer.headers);
    if (NULL_BODY_STATUSES.has(status) || init?.method === 'HEAD') {
      body.dump().catch(() => undefined);
      return new Response(null, { status, headers });
    }
    return new Response(webStreamOf(body, signal), { status, headers });
  } catch (error) {
    // A status a `Response` cannot carry (outside 200–599) or a header it refuses: the answer is unusable.
    body.destroy();
    throw fetchFailure(error, signal);
  }
}
