import { setTimeout as sleep } from 'node:timers/promises';
import type { ToolUseBlock } from '@loopguard/messages';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { ToolRegistry } from './tool-registry.js';

const use = (id: string, name: string, input: unknown): ToolUseBlock => ({ type: 'tool_use', id, name, input });

describe('ToolRegistry.run', () => {
  it('Should answer every tool_use with one tool_result, in order, whatever happens', async () => {
    let executed = 0;
    const registry = new ToolRegistry([
      defineTool({
        name: 'add',
        description: 'adds',
        input: z.object({ a: z.number(), b: z.number() }),
        execute: ({ a, b }) => {
          executed += 1;
          return { sum: a + b };
        },
      }),
      defineTool({
        name: 'boom',
        description: 'throws',
        input: z.object({}),
        execute: () => {
          throw new Error('disk on fire');
        },
      }),
      defineTool({
        name: 'slow',
        description: 'hangs',
        input: z.object({}),
        timeoutMs: 50,
        execute: () => sleep(10_000),
      }),
    ]);
    const results = await registry.run([
      use('1', 'add', { a: 1, b: 2 }),
      use('2', 'add', { a: 'one', b: 2, extra: true }),
      use('3', 'nope', {}),
      use('4', 'boom', {}),
      use('5', 'slow', {}),
    ]);
    expect(results.map((r) => r.tool_use_id)).toEqual(['1', '2', '3', '4', '5']);
    expect(results[0]).toEqual({ type: 'tool_result', tool_use_id: '1', content: '{"sum":3}' });
    expect(results[1]).toMatchObject({ is_error: true });
    expect(results[1]?.content).toMatch(/^- a: /m);
    expect(results[2]).toMatchObject({ is_error: true, content: expect.stringContaining('Unknown tool "nope"') });
    expect(results[3]).toMatchObject({ is_error: true, content: 'Tool "boom" failed: Error: disk on fire' });
    expect(String(results[3]?.content)).not.toMatch(/at .*\.ts/);
    expect(results[4]).toMatchObject({ is_error: true, content: expect.stringMatching(/timed out after 50 ms/) });
    expect(executed).toBe(1);
  });

  it('Should never pass extra or wrong-typed fields to execute', async () => {
    const seen: unknown[] = [];
    const registry = new ToolRegistry([
      defineTool({
        name: 'strict',
        description: 's',
        input: z.object({ n: z.number() }),
        execute: (input) => {
          seen.push(input);
          return 'ok';
        },
      }),
    ]);
    await registry.run([use('a', 'strict', { n: 1, injected: 'rm -rf /' }), use('b', 'strict', { n: '1' })]);
    expect(seen).toEqual([{ n: 1 }]);
  });

  it('Should run calls concurrently up to the limit and keep results in order', async () => {
    let running = 0;
    let peak = 0;
    const registry = new ToolRegistry([
      defineTool({
        name: 'wait',
        description: 'waits',
        input: z.object({ ms: z.number() }),
        execute: async ({ ms }) => {
          running += 1;
          peak = Math.max(peak, running);
          await sleep(ms);
          running -= 1;
          return `waited ${ms}`;
        },
      }),
    ]);
    const results = await registry.run(
      [
        use('a', 'wait', { ms: 40 }),
        use('b', 'wait', { ms: 5 }),
        use('c', 'wait', { ms: 20 }),
        use('d', 'wait', { ms: 1 }),
      ],
      { concurrency: 2 },
    );
    expect(results.map((r) => r.content)).toEqual(['waited 40', 'waited 5', 'waited 20', 'waited 1']);
    expect(peak).toBe(2);
  });

  it('Should start every call at once, in order, when there are no more calls than the limit', async () => {
    const seen: string[] = [];
    const registry = new ToolRegistry([
      defineTool({
        name: 'wait',
        description: 'waits',
        input: z.object({ ms: z.number() }),
        execute: async ({ ms }) => {
          seen.push(`run ${ms}`);
          await sleep(ms);
          return `waited ${ms}`;
        },
      }),
    ]);
    const reports = await registry.runWithReports([use('a', 'wait', { ms: 30 }), use('b', 'wait', { ms: 1 })], {
      concurrency: 2,
      onCallStart: (block) => seen.push(`start ${block.id}`),
      onCallEnd: (block) => seen.push(`end ${block.id}`),
    });
    expect(reports.map((report) => report.result.content)).toEqual(['waited 30', 'waited 1']);
    expect(seen).toEqual(['start a', 'start b', 'run 30', 'run 1', 'end b', 'end a']);
  });

  it('Should turn content blocks and text through unchanged', async () => {
    const registry = new ToolRegistry([
      defineTool({
        name: 'pic',
        description: 'image',
        input: z.object({}),
        execute: () => [
          { type: 'text' as const, text: 'a cat' },
          { type: 'image' as const, source: { type: 'url' as const, url: 'https://example.com/cat.png' } },
        ],
      }),
    ]);
    const [result] = await registry.run([use('p', 'pic', {})]);
    expect(result?.content).toEqual([
      { type: 'text', text: 'a cat' },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
    ]);
  });
});
