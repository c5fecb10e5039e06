import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRedisServerInstalled, type RedisServer, startRedisServer } from '@loopguard/budget/redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowError } from '../engine/workflow-error.js';
import { fileStore } from './file-store.js';
import { memoryStore } from './memory-store.js';
import { redisStore } from './redis-store.js';
import type { RunRecord, WorkflowStore } from './workflow-store.js';

const record = (runId: string): RunRecord => ({
  runId,
  workflow: 'w',
  input: {},
  status: 'running',
  createdAt: 1,
  updatedAt: 1,
});
const entry = (name: string, index: number) => ({ name, kind: 'step' as const, index, value: { name }, at: 1 });

let redis: RedisServer | undefined;
let prefixes = 0;
if (!isRedisServerInstalled() && process.env.CI)
  throw new Error('redis-server is not installed, and CI=true: .ci/run installs it.');
beforeAll(async () => {
  if (isRedisServerInstalled()) redis = await startRedisServer();
}, 30_000);
const opened: WorkflowStore[] = [];
afterAll(async () => {
  for (const store of opened) await store.close();
  await redis?.stop();
});

describe.each([
  ['memoryStore', () => memoryStore()],
  ['fileStore', () => fileStore(mkdtempSync(join(tmpdir(), 'loopguard-store-')))],
  [
    'redisStore',
    () => {
      const store = redisStore({ url: redis?.url, prefix: `test-${prefixes++}:` });
      opened.push(store);
      return store;
    },
  ],
] as Array<[string, () => WorkflowStore]>)('%s (the store contract)', (name, make) => {
  if (name === 'redisStore' && !isRedisServerInstalled()) return;
  it('Should create a run once, and keep one owner at a time with fencing: a superseded owner cannot write', async () => {
    const store = make();
    expect((await store.createRun(record('r1'))).created).toBe(true);
    expect((await store.createRun({ ...record('r1'), input: { other: true } })).record.input).toEqual({});
    const now = Date.now();
    const a = await store.acquire('r1', 'A', 60_000, now);
    expect(a?.token).toBe(1);
    expect(await store.acquire('r1', 'B', 60_000, now)).toBeUndefined();
    await store.append(a!, entry('one', 0));
    // A stalls past its lease; B takes the run over with a higher token; A's late writes are refused.
    const shortA = await store.acquire('r1', 'A', 1, now);
    const b = await store.acquire('r1', 'B', 60_000, now + 10);
    expect(b?.token).toBeGreaterThan(shortA?.token ?? Number.POSITIVE_INFINITY);
    const late = await store.append(shortA!, entry('two', 1)).catch((error: unknown) => error);
    expect(late).toBeInstanceOf(WorkflowError);
    expect((late as WorkflowError).code).toBe('lease_lost');
    await expect(store.updateRun(shortA!, { status: 'done' })).rejects.toMatchObject({ code: 'lease_lost' });
    await store.append(b!, entry('two', 1));
    expect((await store.journal('r1')).map((e) => e.name)).toEqual(['one', 'two']);
    await store.release(b!);
    expect((await store.acquire('r1', 'C', 60_000, Date.now()))?.token).toBeGreaterThan(b?.token ?? 0);
  });

  it('Should keep checkpoints (the latest only) and list runs by status, newest first', async () => {
    const store = make();
    await store.createRun({ ...record('old'), createdAt: 1 });
    await store.createRun({ ...record('new'), createdAt: 2 });
    const lease = await store.acquire('old', 'A', 60_000, Date.now());
    await store.saveCheckpoint(lease!, 'agent', { turn: 1 });
    await store.saveCheckpoint(lease!, 'agent', { turn: 2 });
    expect(await store.readCheckpoint('old', 'agent')).toEqual({ turn: 2 });
    await store.updateRun(lease!, { status: 'suspended' });
    expect((await store.listRuns()).map((r) => r.runId)).toEqual(['new', 'old']);
    expect((await store.listRuns({ status: 'suspended' })).map((r) => r.runId)).toEqual(['old']);
    await expect(store.journal('missing')).rejects.toMatchObject({ code: 'run_not_found' });
  });
});

describe('fileStore failure model', () => {
  it('Should ignore a journal line torn by a killed writer, cut it before the next entry, and refuse a corrupt line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopguard-store-'));
    const store = fileStore(dir);
    await store.createRun(record('r1'));
    const lease = await store.acquire('r1', 'A', 60_000, Date.now());
    await store.append(lease!, entry('one', 0));
    const journal = join(dir, 'r1', 'journal.jsonl');
    appendFileSync(journal, '{"name":"two","ki');
    expect((await store.journal('r1')).map((e) => e.name)).toEqual(['one']);
    await store.append(lease!, entry('two', 1));
    expect((await store.journal('r1')).map((e) => e.name)).toEqual(['one', 'two']);
    expect(readFileSync(journal, 'utf8').split('\n')).toHaveLength(3);
    appendFileSync(journal, 'not json\n');
    await expect(store.journal('r1')).rejects.toMatchObject({ code: 'store_corrupt' });
  });
});
