/**
 * `httpFetch`: the client's default `fetch`, a `fetch`-shaped function over Node's `http` / `https` modules.
 * Node's global `fetch` wraps the same kind of exchange in the WHATWG fetch machinery (a `Request`, a fetch
 * controller, the request body turned into a byte stream and copied, a WebAssembly parser); on loopback that
 * machinery costs more CPU per request than the rest of the exchange (see docs/benchmarks.md). Here the
 * request goes out on a keep-alive pool (keep-alive-agents.ts) and the answer comes back as a Node stream, put behind a
 * `ReadableStream` once (node-body-stream.ts), so the rest of the client reads a standard `Response`. It
 * touches no global (the app's own `fetch` is left as it is). A `fetch` given in the client's options is used
 * instead.
 * @module
 */
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { keepAliveAgents } from './keep-alive-agents.js';
import { webStreamOf } from './node-body-stream.js';

/** Statuses whose response has no body (a `Response` refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** Headers `fetch` sends unless told otherwise; the answer is decoded as `fetch` decodes it. */
const FETCH_DEFAULTS = { 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'node' } as const;

/** The request's headers, with `fetch`'s defaults under them and the body's length. */
function headersOf(init: RequestInit | undefined, body: string | Uint8Array | null): OutgoingHttpHeaders {
  const given = init?.headers;
  const own: Record<string, string> = {};
  if (given instanceof Headers || Array.isArray(given)) {
    for (const [name, value] of given as Iterable<[string, string]>) own[name.toLowerCase()] = value;
  } else if (given !== undefined) {
    for (const name of Object.keys(given)) own[name.toLowerCase()] = (given as Record<string, string>)[name] as string;
  }
  const length = body === null ? undefined : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  return { ...FETCH_DEFAULTS, ...own, ...(length === undefined ? {} : { 'content-length': String(length) }) };
}

/** The request body as Node sends it; a body the client never sends (a stream, a form) is refused. */
function bodyOf(init: RequestInit | undefined): string | Uint8Array | null {
  const body = init?.body ?? null;
  if (body === null || typeof body === 'string' || body instanceof Uint8Array) return body;
  throw new TypeError('httpFetch sends string or byte bodies only; pass your own `fetch` for other bodies.');
}

/** The response headers as a `Headers`, every repeated header kept, in the order received. */
function toHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let at = 0; at + 1 < raw.length; at += 2) headers.append(raw[at] as string, raw[at + 1] as string);
  return headers;
}

/** The body decoded as `fetch` decodes it (gzip, deflate, br); any other coding is handed over as it came. */
function decoded(response: IncomingMessage): Readable {
  const coding = String(response.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const decoder =
    coding === 'gzip' || coding === 'x-gzip'
      ? createGunzip()
      : coding === 'deflate'
        ? createInflate()
        : coding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (decoder === undefined) return response;
  // A failure on either side destroys both; the reader sees it through the decoder's `error`.
  return pipeline(response, decoder, () => undefined);
}

/** The rejection `fetch` gives: the signal's reason once aborted, else `TypeError: fetch failed` with the cause. */
function fetchFailure(error: unknown, signal: AbortSignal | null | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  return new TypeError('fetch failed', { cause: error });
}

/** The `Response` of an answer, or the failure `fetch` gives when a `Response` cannot carry it. */
function responseOf(answer: IncomingMessage, method: string, signal: AbortSignal | null | undefined): Response {
  const status = answer.statusCode ?? 0;
  try {
    const init = { status, statusText: answer.statusMessage, headers: toHeaders(answer.rawHeaders) };
    if (NULL_BODY_STATUSES.has(status) || method === 'HEAD') {
      answer.resume();
      return new Response(null, init);
    }
    return new Response(webStreamOf(decoded(answer), signal), init);
  } catch (error) {
    // A status a `Response` cannot carry (outside 200–599) or a header it refuses: the answer is unusable.
    answer.destroy();
    throw fetchFailure(error, signal);
  }
}

/**
 * A `fetch` for the client's requests, over `node:http` / `node:https` on keep-alive pools of its own: string or
 * byte bodies, `fetch`'s `accept-encoding` and `user-agent` unless given (the answer decoded as `fetch` does),
 * the signal honoured until the body is read, redirects never followed (the client's `guardFetch` decides
 * them, as with `redirect: 'manual'`), no time limits of its own (the client's attempt clock keeps time).
 * Resolves with a standard `Response`; fails as `fetch` fails.
 */
export async function httpFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  if (input instanceof Request) return globalThis.fetch(input, init);
  const url = new URL(String(input));
  const signal = init?.signal;
  const method = (init?.method ?? 'GET').toUpperCase();
  const body = bodyOf(init);
  if (url.username !== '' || url.password !== '')
    throw new TypeError('Request cannot be constructed from a URL that includes credentials.');
  if (signal?.aborted) throw signal.reason;
  return new Promise<Response>((resolve, reject) => {
    const https = url.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    const agent = keepAliveAgents[https ? 'https:' : 'http:'];
    const outgoing = send(url, { method, agent, headers: headersOf(init, body), ...(signal ? { signal } : {}) });
    outgoing.once('response', (answer) => {
      try {
        resolve(responseOf(answer, method, signal));
      } catch (error) {
        reject(error);
      }
    });
    outgoing.on('error', (error) => reject(fetchFailure(error, signal)));
    outgoing.end(body ?? undefined);
  });
}
