import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBudget } from '@loopguard/budget';
import { isRedisServerInstalled, type RedisServer, startRedisServer } from '@loopguard/budget/redis-server';
import { MessagesClient } from '@loopguard/messages';
import { type MockGateway, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { defineTool } from '@loopguard/tools';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fileStore } from '../stores/file-store.js';
import { memoryStore } from '../stores/memory-store.js';
import { redisStore } from '../stores/redis-store.js';
import type { WorkflowStore } from '../stores/workflow-store.js';
import { defineWorkflow } from './define-workflow.js';
import { createWorkflowEngine } from './workflow-engine.js';
import { WorkflowError } from './workflow-error.js';
import type { WorkflowEvent } from './workflow-events.js';

let redis: RedisServer | undefined;
let prefixes = 0;
const opened: WorkflowStore[] = [];
beforeAll(async () => {
  if (isRedisServerInstalled()) redis = await startRedisServer();
}, 30_000);
afterAll(async () => {
  for (const store of opened) await store.close();
  await redis?.stop();
});

const stores: Array<[string, () => WorkflowStore]> = [
  ['memoryStore', () => memoryStore()],
  ['fileStore', () => fileStore(mkdtempSync(join(tmpdir(), 'loopguard-wf-')))],
  ...(isRedisServerInstalled() || process.env.CI
    ? ([
        [
          'redisStore',
          () => {
            const store = redisStore({ url: redis?.url, prefix: `engine-${prefixes++}:` });
            opened.push(store);
            return store;
          },
        ],
      ] as Array<[string, () => WorkflowStore]>)
    : []),
];

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

describe.each(stores)('workflows on %s', (_name, makeStore) => {
  it('Should journal steps, suspend at an approval, and on resume replay finished steps without running them', async () => {
    const ran: string[] = [];
    const order = defineWorkflow({
      name: 'order',
      input: z.object({ item: z.string() }),
      output: z.object({ receipt: z.string(), approvedBy: z.string() }),
      run: async (ctx, { item }) => {
        const price = await ctx.step('price', () => {
          ran.push('price');
          return { item, cents: 1299 };
        });
        const decision = await ctx.approval('manager', { item, cents: price.cents });
        const receipt = await ctx.step('charge', () => {
          ran.push('charge');
          return `charged ${price.cents} for ${item}`;
        });
        return { receipt, approvedBy: String(decision.note) };
      },
    });
    const engine = createWorkflowEngine({ store: makeStore(), workflows: [order] });
    const first = await engine.start(order, { item: 'lamp' }, { runId: 'order-1' });
    expect(first).toMatchObject({
      status: 'suspended',
      suspension: { kind: 'approval', name: 'manager', details: { item: 'lamp', cents: 1299 } },
    });
    expect(await engine.listRuns({ status: 'suspended' })).toHaveLength(1);
    const events: WorkflowEvent[] = [];
    const handle = engine.resume('order-1', { approvals: { manager: { approved: true, note: 'ana' } } });
    for await (const event of handle) events.push(event);
    const done = await handle;
    expect(done).toMatchObject({ status: 'done', output: { receipt: 'charged 1299 for lamp', approvedBy: 'ana' } });
    expect(ran).toEqual(['price', 'charge']);
    expect(
      events.map((e) => (e.type.startsWith('step') ? `${e.type}:${(e as { name: string }).name}` : e.type)),
    ).toEqual([
      'run_started',
      'step_replayed:price',
      'step_started:manager',
      'step_finished:manager',
      'step_started:charge',
      'step_finished:charge',
      'done',
    ]);
    // Idempotent start: the same run id gives the run back, nothing runs again.
    expect(await engine.start(order, { item: 'lamp' }, { runId: 'order-1' })).toMatchObject({ status: 'done' });
    expect(ran).toEqual(['price', 'charge']);
  });

  it('Should run parallel steps, retry a step with backoff, and refuse a reused name or a diverged replay', async () => {
    let flaky = 0;
    let second = false;
    const fan = defineWorkflow({
      name: 'fan',
      input: z.object({}),
      output: z.array(z.number()),
      run: async (ctx) => {
        const values = await Promise.all([1, 2, 3].map((n) => ctx.step(`part-${n}`, () => n * 10)));
        const extra = await ctx.step(
          'flaky',
          () => {
            flaky += 1;
            if (flaky < 3) throw new Error(`flake ${flaky}`);
            return 4;
          },
          { retry: { attempts: 3, minTimeoutMs: 1 } },
        );
        if (second) await ctx.step('part-1', () => 0);
        return [...values, extra];
      },
    });
    const engine = createWorkflowEngine({ store: makeStore(), workflows: [fan] });
    const handle = engine.start(fan, {}, { runId: 'fan-1' });
    const retried: WorkflowEvent[] = [];
    for await (const event of handle) if (event.type === 'step_retried') retried.push(event);
    expect(await handle).toMatchObject({ status: 'done', output: [10, 20, 30, 4] });
    expect(retried).toHaveLength(2);
    second = true;
    const reused = await engine.resume('fan-1');
    expect(reused.status).toBe('done');
    const diverging = defineWorkflow({
      name: 'diverging',
      input: z.object({}),
      output: z.string(),
      run: async (ctx) => {
        if (second) await ctx.step('b', () => 'b');
        await ctx.step('a', () => 'a');
        await ctx.approval('go');
        return 'ok';
      },
    });
    const engine2 = createWorkflowEngine({ store: makeStore(), workflows: [diverging, fan] });
    second = false;
    const suspendLater = await engine2.start(diverging, {}, { runId: 'div-1' });
    expect(suspendLater.status).toBe('suspended');
    second = true;
    const failed = await engine2.resume('div-1', { approvals: { go: true } });
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'replay_diverged' } });
    const twice = defineWorkflow({
      name: 'twice',
      input: z.object({}),
      output: z.string(),
      run: async (ctx) => {
        await ctx.step('same', () => 1);
        await ctx.step('same', () => 2);
        return 'never';
      },
    });
    const engine3 = createWorkflowEngine({ store: makeStore(), workflows: [twice] });
    expect(await engine3.start(twice, {})).toMatchObject({ status: 'failed', error: { code: 'step_name_reused' } });
  });

  it('Should refuse bad input naming the field, and sleep durably until recover() finds the run due', async () => {
    let clock = 1_000_000;
    const nap = defineWorkflow({
      name: 'nap',
      input: z.object({ minutes: z.number().int().positive() }),
      output: z.string(),
      run: async (ctx, { minutes }) => {
        await ctx.sleep('nap', minutes * 60_000);
        return await ctx.step('wake', () => 'awake');
      },
    });
    const engine = createWorkflowEngine({ store: makeStore(), workflows: [nap], now: () => clock });
    expect(() => engine.start(nap, { minutes: -1 })).toThrow(WorkflowError);
    expect(() => engine.start(nap, { minutes: -1 })).toThrow(/minutes/);
    const first = await engine.start(nap, { minutes: 5 }, { runId: 'nap-1' });
    expect(first).toMatchObject({ status: 'suspended', suspension: { kind: 'sleep', until: 1_000_000 + 300_000 } });
    clock += 299_999;
    expect(await engine.recover()).toHaveLength(0);
    clock += 1;
    const [woken, ...others] = await engine.recover();
    expect(others).toHaveLength(0);
    expect(await woken).toMatchObject({ status: 'done', output: 'awake' });
  });

  it('Should suspend an agent step when its budget runs out, and finish it after the cap is raised, without repaying turns', async () => {
    const g = await startMockGateway({
      model: scriptedModel([
        ...['a', 'b', 'c', 'd', 'e'].map((text) => ({ toolCalls: [{ name: 'note', input: { text } }] })),
        { text: 'Finished.' },
      ]),
    });
    gateway = g;
    const notes: string[] = [];
    const note = defineTool({
      name: 'note',
      description: 'Notes a text',
      input: z.object({ text: z.string() }),
      execute: async ({ text }) => {
        notes.push(text);
        return 'noted';
      },
    });
    // Room for the first turns' reservations (each a true upper bound), not for all six turns.
    let perRun = 0.85;
    const client = () => {
      const c = new MessagesClient({ baseURL: g.baseURL, apiKey: 'sk-local-test' });
      c.use(createBudget({ limit: { credits: 100 }, perRun: { credits: perRun } }));
      return c;
    };
    const research = defineWorkflow({
      name: 'research',
      input: z.object({ topic: z.string() }),
      output: z.string(),
      run: async (ctx, { topic }) => {
        const result = await ctx.agent('agent', {
          client: client(),
          prompt: `Note ${topic}`,
          tools: [note],
          maxTokens: 200,
        });
        return result.text;
      },
    });
    const engine = createWorkflowEngine({ store: makeStore(), workflows: [research] });
    const first = await engine.start(research, { topic: 'x' }, { runId: 'research-1' });
    expect(first).toMatchObject({ status: 'budget_exceeded', suspension: { kind: 'budget', name: 'agent' } });
    const requestsAtCap = g.requests.length;
    expect(requestsAtCap).toBeGreaterThan(0);
    expect(requestsAtCap).toBeLessThan(6);
    expect(notes).toHaveLength(requestsAtCap);
    perRun = 10;
    const done = await engine.resume('research-1');
    expect(done).toMatchObject({ status: 'done', output: 'Finished.' });
    expect(g.requests.length).toBe(6);
    expect(notes).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
