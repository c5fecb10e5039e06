import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpTestServer, type RecordedRequest, startHttpTestServer } from '../test-support/http-test-server.js';
import { httpFetch } from './http-fetch.js';

let servers: HttpTestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function serve(
  handler: (request: RecordedRequest, response: ServerResponse) => void | Promise<void>,
): Promise<HttpTestServer> {
  const server = await startHttpTestServer(handler);
  servers.push(server);
  return server;
}

/** What a caller can see of a response: status and its text, headers, body. */
async function seen(response: Response): Promise<unknown> {
  const headers: string[][] = [];
  response.headers.forEach((value, name) => {
    if (name !== 'date' && name !== 'keep-alive') headers.push([name, value]);
  });
  return {
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    headers,
    body: response.body === null ? null : await response.text(),
  };
}

const answers: Record<string, (response: ServerResponse) => void> = {
  json: (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
    res.end('{"ok":true,"text":"héllo ✓"}');
  },
  error: (res) => {
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' });
    res.end('{"type":"error","error":{"type":"rate_limit_error"}}');
  },
  repeated: (res) => {
    res.setHeader('set-cookie', ['a=1', 'b=2']);
    res.setHeader('x-many', ['one', 'two']);
    res.end('two of each');
  },
  empty: (res) => {
    res.writeHead(204);
    res.end();
  },
  unchanged: (res) => {
    res.writeHead(304, 'Not Changed Here', { etag: '"v1"' });
    res.end();
  },
  teapot: (res) => {
    res.writeHead(418, 'I Am A Teapot', { 'content-type': 'text/plain' });
    res.end('short and stout');
  },
  redirect: (res) => {
    res.writeHead(307, { location: '/elsewhere' });
    res.end('moved');
  },
  gzip: (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipSync('{"packed":"gzip"}'));
  },
  deflate: (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
    res.end(deflateSync('{"packed":"deflate"}'));
  },
  br: (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' });
    res.end(brotliCompressSync('{"packed":"br"}'));
  },
  chunked: (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('event: a\ndata: {}\n\n');
    setTimeout(() => res.end('event: b\ndata: {}\n\n'), 5);
  },
};

describe('httpFetch', () => {
  it('Should answer every kind of response as the global fetch answers it, and send what fetch sends', async () => {
    const server = await serve((request, res) => answers[request.url.split('/').pop() as string]?.(res));
    for (const kind of Object.keys(answers)) {
      const init = {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
        body: '{"q":"ü"}',
        redirect: 'manual' as const,
      };
      const ours = await seen(await httpFetch(`${server.baseURL}/${kind}`, init));
      const theirs = await seen(await fetch(`${server.baseURL}/${kind}`, init));
      expect(ours, kind).toEqual(theirs);
    }
    const sent = server.requests.map(({ method, body, headers }) => ({
      method,
      body,
      auth: headers.authorization,
      agent: headers['user-agent'],
      encodings: String(headers['accept-encoding'])
        .split(', ')
        .filter((coding) => coding !== 'br'),
    }));
    for (let at = 0; at < sent.length; at += 2) expect(sent[at]).toEqual(sent[at + 1]);
    expect(sent[0]).toEqual({
      method: 'POST',
      body: '{"q":"ü"}',
      auth: 'Bearer sk-test',
      agent: 'node',
      encodings: ['gzip', 'deflate'],
    });
  });

  it('Should reject with the signal’s reason when aborted before the headers, and fail the body read when aborted after', async () => {
    const server = await serve((request, res) => {
      if (request.url.endsWith('/stall')) return; // never answers
      res.writeHead(200);
      res.write('first part');
    });
    const before = new AbortController();
    const pending = httpFetch(`${server.baseURL}/stall`, { signal: before.signal });
    const reason = new Error('stop before headers');
    setTimeout(() => before.abort(reason), 10);
    await expect(pending).rejects.toBe(reason);

    const after = new AbortController();
    const response = await httpFetch(`${server.baseURL}/partial`, { signal: after.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first part');
    const late = new Error('stop mid-body');
    after.abort(late);
    await expect(reader.read()).rejects.toBe(late);
  });

  it('Should fail as fetch fails: refused → "fetch failed" with the code; reset mid-body → "terminated"; an impossible status → "fetch failed"', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await httpFetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as TypeError).message).toBe('fetch failed');
    expect(((refused as TypeError).cause as { code?: string }).code).toBe('ECONNREFUSED');

    const server = await serve((request, res) => {
      if (request.url.endsWith('/odd')) {
        res.writeHead(600);
        res.end('no such status');
        return;
      }
      res.writeHead(200, { 'content-length': '100' });
      res.write('only part of it');
      setTimeout(() => res.socket?.destroy(), 5);
    });
    const response = await httpFetch(`${server.baseURL}/reset`);
    const failed = await response.text().catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(TypeError);
    expect((failed as TypeError).message).toBe('terminated');
    await expect(httpFetch(`${server.baseURL}/odd`)).rejects.toThrow('fetch failed');
  });

  it('Should close the connection when the body is cancelled unread, and read a large body in order', async () => {
    let closedOnServer: Promise<void> = Promise.resolve();
    const big = Buffer.alloc(4 * 1024 * 1024);
    for (let at = 0; at < big.length; at += 1) big[at] = at % 251;
    const server = await serve((request, res) => {
      if (request.url.endsWith('/big')) {
        res.end(big);
        return;
      }
      closedOnServer = new Promise((resolve) => res.socket?.once('close', () => resolve()));
      res.writeHead(200);
      res.write('a first chunk');
    });
    const response = await httpFetch(`${server.baseURL}/endless`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel();
    await closedOnServer;

    const whole = Buffer.from(await (await httpFetch(`${server.baseURL}/big`)).arrayBuffer());
    expect(whole.equals(big)).toBe(true);
  });

  it('Should refuse a URL carrying credentials without echoing them, as fetch refuses it', async () => {
    const refused = await httpFetch('http://user:secret-password@127.0.0.1:9/').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TypeError);
    expect(String(refused)).not.toContain('secret-password');
  });

  it('Should refuse a body it cannot send, naming what to do instead', async () => {
    await expect(httpFetch('http://127.0.0.1:9/', { method: 'POST', body: new Blob(['x']) })).rejects.toThrow(
      /string or byte bodies only/,
    );
  });
});
