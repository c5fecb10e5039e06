import { getEventListeners } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InternalServerError, TimeoutError } from '../errors/errors.js';
import {
  type HttpTestServer,
  sendJson,
  sendSse,
  shortStreamEvents,
  startHttpTestServer,
  textReply,
} from '../test-support/http-test-server.js';
import { AttemptClock } from './attempt-clock.js';
import { MessagesClient } from './messages-client.js';

const apiKey = 'sk-test-attempt-clock';
const params = { messages: [{ role: 'user' as const, content: 'hi' }] };

let server: HttpTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The code of the error a controller was aborted with, once it was. */
async function abortCode(controller: AbortController): Promise<string> {
  if (!controller.signal.aborted)
    await new Promise((resolve) => controller.signal.addEventListener('abort', resolve, { once: true }));
  const reason = controller.signal.reason as TimeoutError;
  expect(reason).toBeInstanceOf(TimeoutError);
  expect(reason.retryable).toBe(true);
  return reason.code;
}

/** The timers the process holds (`setTimeout` and `setInterval` not yet cleared or fired). */
function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

describe('AttemptClock: one timer for the limits of an attempt', () => {
  it('Should abort with `timeout` when the whole attempt outlasts timeoutMs', async () => {
    const controller = new AbortController();
    new AttemptClock(controller, { timeoutMs: 40, headersTimeoutMs: 10_000, idleTimeoutMs: undefined });
    expect(await abortCode(controller)).toBe('timeout');
  });

  it('Should abort with `headers_timeout` when the headers are later than headersTimeoutMs', async () => {
    const controller = new AbortController();
    new AttemptClock(controller, { timeoutMs: 10_000, headersTimeoutMs: 40, idleTimeoutMs: 20 });
    expect(await abortCode(controller)).toBe('headers_timeout');
  });

  it('Should prefer `timeout` when both limits are the same length', async () => {
    const controller = new AbortController();
    new AttemptClock(controller, { timeoutMs: 30, headersTimeoutMs: 30, idleTimeoutMs: undefined });
    expect(await abortCode(controller)).toBe('timeout');
  });

  it('Should not run the idle limit before the headers, then abort `idle_timeout` once activity stops', async () => {
    // The clock's own timer and time, faked: how fast the machine is cannot move the limit.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const controller = new AbortController();
      const clock = new AttemptClock(controller, { timeoutMs: 10_000, headersTimeoutMs: 10_000, idleTimeoutMs: 30 });
      await vi.advanceTimersByTimeAsync(90); // three idle limits before the headers: nothing happens
      expect(controller.signal.aborted).toBe(false);
      clock.headersReceived();
      for (let i = 0; i < 6; i += 1) {
        await vi.advanceTimersByTimeAsync(29);
        clock.touch(); // 174 ms of activity, never 30 ms apart
      }
      expect(controller.signal.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(29);
      expect(controller.signal.aborted).toBe(false);
      // The idle limit runs from the last activity (though the timer had been armed for the headers' limit),
      // found by a check every eighth of the limit (4 ms): it passes within 30 + 4 ms of the last touch.
      await vi.advanceTimersByTimeAsync(5);
      expect(controller.signal.aborted).toBe(true);
      expect(await abortCode(controller)).toBe('idle_timeout');
    } finally {
      vi.useRealTimers();
    }
  });

  it('Should never pass the idle limit early, wherever a touch falls between two checks', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      // Touches at every offset from a check (the checks come every 5 ms: an eighth of 40), each one the last.
      for (let offset = 0; offset < 6; offset += 1) {
        const controller = new AbortController();
        const clock = new AttemptClock(controller, { timeoutMs: 10_000, headersTimeoutMs: 10_000, idleTimeoutMs: 40 });
        clock.headersReceived();
        await vi.advanceTimersByTimeAsync(20 + offset);
        clock.touch();
        await vi.advanceTimersByTimeAsync(39);
        expect(controller.signal.aborted, `touched ${offset} ms after a check`).toBe(false);
        await vi.advanceTimersByTimeAsync(6);
        expect(await abortCode(controller)).toBe('idle_timeout');
        clock.stop();
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it("Should check a limit under 8 ms every ms, and keep the whole attempt's limit when it is shorter than a check", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const small = new AbortController();
      const clock = new AttemptClock(small, { timeoutMs: 10_000, headersTimeoutMs: 10_000, idleTimeoutMs: 5 });
      clock.headersReceived();
      await vi.advanceTimersByTimeAsync(3);
      clock.touch();
      await vi.advanceTimersByTimeAsync(4);
      expect(small.signal.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(2); // 5 ms + a 1 ms check after the touch
      expect(await abortCode(small)).toBe('idle_timeout');

      // The idle limit is checked every 125 ms; the whole attempt's 10 ms still ends it at 10 ms.
      const short = new AbortController();
      new AttemptClock(short, { timeoutMs: 10, headersTimeoutMs: 10_000, idleTimeoutMs: 1_000 }).headersReceived();
      await vi.advanceTimersByTimeAsync(9);
      expect(short.signal.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(await abortCode(short)).toBe('timeout');
    } finally {
      vi.useRealTimers();
    }
  });

  it('Should keep a limit longer than a timer can wait (2³¹ − 1 ms) with no warning, and pass it on time', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const month = 30 * 24 * 3600 * 1000;
      const real = new AbortController();
      new AttemptClock(real, { timeoutMs: month, headersTimeoutMs: month, idleTimeoutMs: undefined }).stop();
      await sleep(5);
      // Node sets a longer delay to 1 ms and warns: the clock would fire every ms for a month.
      expect(warnings.map((warning) => warning.name)).toEqual([]);
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      const controller = new AbortController();
      new AttemptClock(controller, { timeoutMs: month, headersTimeoutMs: month, idleTimeoutMs: undefined });
      await vi.advanceTimersByTimeAsync(month - 1);
      expect(controller.signal.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(2);
      expect(await abortCode(controller)).toBe('timeout');
    } finally {
      process.off('warning', onWarning);
      vi.useRealTimers();
    }
  });

  it('Should never fire after stop(), and hold no timer', async () => {
    const before = activeTimers();
    const controller = new AbortController();
    const clock = new AttemptClock(controller, { timeoutMs: 20, headersTimeoutMs: 20, idleTimeoutMs: 20 });
    expect(activeTimers()).toBe(before + 1);
    clock.stop();
    expect(activeTimers()).toBe(before);
    await sleep(60);
    expect(controller.signal.aborted).toBe(false);
  });
});

describe('time limits of a client request, kept by the attempt clock', () => {
  it('Should cut a server that never answers at timeoutMs, for create and stream alike', async () => {
    server = await startHttpTestServer(() => undefined);
    const client = new MessagesClient({ apiKey, baseURL: server.baseURL, timeoutMs: 100, maxRetries: 0 });
    const created = await client.create(params).catch((e: unknown) => e);
    expect(created).toBeInstanceOf(TimeoutError);
    expect(created).toMatchObject({ code: 'timeout' });
    const streamed = await client
      .stream(params)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(streamed).toMatchObject({ code: 'timeout' });
  });

  it('Should cut a stream that keeps sending at timeoutMs, however lively it is', async () => {
    // The stream never ends and never idles past the idle limit: only the whole attempt's limit can end it.
    server = await startHttpTestServer(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 3000 && !response.destroyed; i += 1) {
        response.write(': tick\n\n');
        await sleep(10);
      }
      response.end();
    });
    const client = new MessagesClient({
      apiKey,
      baseURL: server.baseURL,
      timeoutMs: 150,
      idleTimeoutMs: 60_000,
      maxRetries: 0,
    });
    const error = await client
      .stream(params)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout' });
  });

  it("Should count a stream's non-SSE body coming in pieces as activity: a JSON answer, and an error body", async () => {
    // Each body takes over twice the idle limit to arrive, in pieces a twentieth of it apart.
    const trickle = async (response: ServerResponse, status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      const text = JSON.stringify(body);
      const pieces = 40;
      for (let i = 0; i < pieces && !response.destroyed; i += 1) {
        response.write(
          text.slice(Math.floor((i * text.length) / pieces), Math.floor(((i + 1) * text.length) / pieces)),
        );
        await sleep(15);
      }
      response.end();
    };
    server = await startHttpTestServer(async (_request, response, index) => {
      if (index === 0) await trickle(response, 200, textReply({ content: [{ type: 'text', text: 'slow json' }] }));
      else await trickle(response, 500, { type: 'error', error: { type: 'api_error', message: 'slow failure' } });
    });
    const client = new MessagesClient({ apiKey, baseURL: server.baseURL, idleTimeoutMs: 300, maxRetries: 0 });
    const message = await client.stream(params).finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: 'slow json' }]);
    const error = await client
      .stream(params)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).message).toContain('slow failure');
  });

  it('Should leave no listener on the caller signal and no timer after many requests: answered, failed or aborted', async () => {
    let calls = 0;
    server = await startHttpTestServer(async (_request, response) => {
      calls += 1;
      if (calls % 3 === 0) return; // never answers: aborted by the caller below
      if (calls % 3 === 1) sendJson(response, 200, textReply());
      else sendSse(response, shortStreamEvents());
    });
    const client = new MessagesClient({ apiKey, baseURL: server.baseURL, maxRetries: 0 });
    const caller = new AbortController();
    const timersBefore = activeTimers();
    for (let round = 0; round < 20; round += 1) {
      await client.create(params, { signal: caller.signal });
      await client.stream(params, { signal: caller.signal }).finalMessage();
      const stalled = new AbortController();
      const both = AbortSignal.any([caller.signal, stalled.signal]);
      const pending = client.create(params, { signal: both }).catch((e: unknown) => e);
      await sleep(5);
      stalled.abort();
      expect(await pending).toMatchObject({ code: 'aborted' });
      expect(getEventListeners(both, 'abort')).toHaveLength(0);
    }
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    // 60 attempts with 10-minute limits: a timer left behind by any of them would still be here.
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });
});
