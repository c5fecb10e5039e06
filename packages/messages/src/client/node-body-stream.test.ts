import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { webStreamOf } from './node-body-stream.js';

describe('webStreamOf', () => {
  it('Should hand over the chunks in order, as they are (no copy), and end with the Node stream', async () => {
    const body = new PassThrough();
    const chunks = [Buffer.from('one'), Buffer.from('two'), Buffer.from('three')];
    for (const chunk of chunks) body.write(chunk);
    body.end();
    const reader = webStreamOf(body).getReader();
    const read: Uint8Array[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read()) read.push(next.value);
    expect(Buffer.concat(read).toString()).toBe('onetwothree');
    expect(read[0]?.buffer).toBe(chunks[0]?.buffer);
  });

  it('Should hold at most a chunk or two while nobody reads (the Node stream is paused, not drained)', async () => {
    const body = new PassThrough({ highWaterMark: 16 });
    const stream = webStreamOf(body);
    for (let at = 0; at < 100; at += 1) body.write(Buffer.alloc(16, at));
    await new Promise((resolve) => setImmediate(resolve));
    expect(body.isPaused()).toBe(true);
    expect(body.readableLength + body.writableLength).toBeGreaterThanOrEqual(16 * 98);
    const reader = stream.getReader();
    expect((await reader.read()).value?.[0]).toBe(0);
    await reader.cancel();
  });

  it('Should fail the read as fetch does ("terminated", the cause kept), or with the abort reason once aborted', async () => {
    const body = new PassThrough();
    const reader = webStreamOf(body).getReader();
    const cause = new Error('socket hang up');
    body.destroy(cause);
    const failed = await reader.read().catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(TypeError);
    expect((failed as TypeError).message).toBe('terminated');
    expect((failed as TypeError).cause).toBe(cause);

    const aborted = new AbortController();
    const reason = new Error('caller stopped');
    aborted.abort(reason);
    const other = new PassThrough();
    const second = webStreamOf(other, aborted.signal).getReader();
    other.destroy(new Error('aborted underneath'));
    await expect(second.read()).rejects.toBe(reason);
  });

  it('Should destroy the Node stream when cancelled, and ignore whatever it emits afterwards instead of throwing', async () => {
    const body = new PassThrough();
    const reader = webStreamOf(body).getReader();
    body.write('first');
    await reader.read();
    await reader.cancel(new Error('enough'));
    expect(body.destroyed).toBe(true);
    // A late `end` or `error` (one already queued when the reader cancelled) must not reach the closed controller.
    expect(() => body.emit('end')).not.toThrow();
    expect(() => body.emit('data', Buffer.from('late'))).not.toThrow();
    expect(() => body.emit('error', new Error('late'))).not.toThrow();
  });
});
