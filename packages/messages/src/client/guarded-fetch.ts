/**
 * `guardFetch(fetch, options)`: the fetch every client request goes through. It never lets a redirect
 * carry credentials to another origin: redirects are taken by hand (`redirect: 'manual'`), a 307/308 to the
 * base URL's own origin is followed (same method, same body, at most `maxRedirects` times), and anything
 * else — another origin, a 301/302/303 that would turn the POST into a GET, no `location` — is refused
 * with a `RedirectError`. It also scrubs the key from response headers (a server echoing it in
 * `x-request-id` would otherwise put it in errors and log lines).
 * @module
 */
import { redactSecret } from '../errors/redact-secret.js';
import { RedirectError } from '../errors/redirect-error.js';

/** Redirects followed at most per request. @default 5 */
export const MAX_REDIRECTS = 5;

/** What `guardFetch` needs. */
export interface GuardFetchOptions {
  /** The key to scrub from response headers. */
  apiKey: string;
  /** Requests may be redirected within this URL's origin only. */
  baseURL: string;
  /** @default MAX_REDIRECTS */
  maxRedirects?: number;
}

const FOLLOWED = new Set([307, 308]);

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

/** The origin of `location` resolved against `url`, or undefined when it is not a URL. */
function resolveLocation(location: string, url: string): URL | undefined {
  try {
    return new URL(location, url);
  } catch {
    return undefined;
  }
}

/** `response`, or a copy whose headers no longer hold the key. */
function scrubHeaders(response: Response, apiKey: string): Response {
  let dirty = false;
  response.headers.forEach((value) => {
    if (value.includes(apiKey) || /\bsk-[A-Za-z0-9_-]{4,}/.test(value)) dirty = true;
  });
  if (!dirty) return response;
  const headers = new Headers();
  response.headers.forEach((value, name) => {
    headers.append(name, redactSecret(value, apiKey));
  });
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Wraps `fetch` so that redirects stay on the base URL's origin and response headers never hold the key. */
export function guardFetch(fetch: typeof globalThis.fetch, options: GuardFetchOptions): typeof globalThis.fetch {
  const origin = new URL(options.baseURL).origin;
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  return async (input, init) => {
    let url = input instanceof Request ? input.url : String(input);
    for (let hop = 0; ; hop += 1) {
      const response = await fetch(url, { ...init, redirect: 'manual' });
      if (!isRedirect(response.status)) return scrubHeaders(response, options.apiKey);
      await response.body?.cancel().catch(() => undefined);
      const target = resolveLocation(response.headers.get('location') ?? '', url);
      const refuse = (why: string): never => {
        throw new RedirectError(redactSecret(`${response.status} redirect refused: ${why}`, options.apiKey), {
          status: response.status,
          code: 'redirect_refused',
        });
      };
      if (!response.headers.has('location') || target === undefined) refuse('it has no valid `location` header.');
      if (target?.origin !== origin) {
        refuse(
          `it points to another origin (${target?.origin}), and the API key is never sent to another origin. Set \`baseURL\` to the address the gateway redirects to, if you trust it.`,
        );
      }
      if (!FOLLOWED.has(response.status)) {
        refuse('only 307/308 keep the method and body; a 301/302/303 would turn the request into a GET.');
      }
      if (hop >= maxRedirects) refuse(`more than ${maxRedirects} redirects in a row.`);
      url = (target as URL).href;
    }
  };
}
