import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from './ledger.js';
import { LedgerError } from './ledger-error.js';
import { type RedisLedger, redisLedger } from './redis-ledger.js';
import { type RedisServer, startRedisServer } from './redis-server.js';
import { redisSkipReason } from './test-support/redis-skip-reason.js';
import { spawnTsChild } from './test-support/spawn-ts-child.js';

const skip = redisSkipReason();
const T0 = Date.UTC(2026, 10, 24, 12);
const reserve = (ledger: Ledger, id: string, amount: number, now = T0) =>
  ledger.reserve({ id, runId: 'r', amount, minimum: amount, now, limits: { total: 100 } });

async function refusal(work: Promise<unknown>): Promise<LedgerError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LedgerError);
  return error as LedgerError;
}

/** Retries `work` until it succeeds (the client reconnects in the background); fails after 15 s. */
async function eventually<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

describe('redisLedger without a server', () => {
  it('Should fail fast with a LedgerError naming the address, password redacted', async () => {
    const ledger = redisLedger({ url: 'redis://user:hunter2@127.0.0.1:1', connectTimeoutMs: 500 });
    const error = await refusal(ledger.totals(Date.now()));
    expect(error.code).toBe('ledger_unavailable');
    expect(error.message).toContain('127.0.0.1:1');
    expect(error.message).not.toContain('hunter2');
    expect(error.path).not.toContain('hunter2');
    await ledger.close();
  });
});

describe.skipIf(skip !== undefined)('redisLedger on a real redis-server', () => {
  let server: RedisServer;
  const open: Ledger[] = [];
  const ledger = (key: string, options: { create?: boolean; leaseMs?: number } = { create: true }): RedisLedger => {
    const made = redisLedger({ url: server.url, key, ...options });
    open.push(made);
    return made;
  };
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(open.map((l) => l.close()));
    await server?.stop();
  });

  it('Should refuse a ledger that was never created unless asked to create it', async () => {
    const error = await refusal(ledger('never-made', {}).totals(T0));
    expect(error.code).toBe('ledger_uninitialized');
    expect(error.message).toContain('create: true');
    const created = ledger('never-made', { create: true });
    await reserve(created, 'a', 2);
    expect((await ledger('never-made', {}).totals(T0)).reserved).toBe(2);
  });

  it('Should fail closed with ledger_wiped after a FLUSHALL, until a new ledger is started on purpose', async () => {
    const first = ledger('wiped');
    await first.settle('a', 7, T0);
    const admin = new Redis(server.url);
    await admin.flushall();
    await admin.quit();
    expect((await refusal(first.totals(T0))).code).toBe('ledger_wiped');
    expect((await refusal(reserve(first, 'b', 1))).code).toBe('ledger_wiped');
    expect((await refusal(ledger('wiped', {}).totals(T0))).code).toBe('ledger_uninitialized');
    const restarted = ledger('wiped', {});
    await restarted.initialize({ reset: true });
    expect((await restarted.totals(T0)).spent).toBe(0);
    // The object that knew the old ledger never takes the new one for it.
    expect((await refusal(first.totals(T0))).code).toBe('ledger_wiped');
  });

  it('Should never over-grant when 64 callers, each with its own connection, race for one cap', async () => {
    const callers = Array.from({ length: 64 }, () => ledger('race64'));
    const results = await Promise.all(
      callers.map((c, i) =>
        c.reserve({ id: `r${i}`, runId: 'x', amount: 1, minimum: 1, now: T0, limits: { total: 20 } }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(20);
  });

  it("Should count a SIGKILLed process's reservation as spent once its lease runs out", async () => {
    const key = 'lease-kill';
    const watcher = ledger(key);
    await watcher.initialize();
    const child = spawnTsChild('./ledger-child.ts', ['redis', server.url, key, 'hang', '4']);
    await child.waitFor('reserved');
    await child.kill();
    const now = Date.now();
    expect(await watcher.totals(now)).toMatchObject({ reserved: 4, outstanding: 1, spent: 0 });
    expect(await watcher.totals(now + 600_000 + 1000)).toMatchObject({
      reserved: 0,
      outstanding: 0,
      spent: 4,
      possiblyBilled: 4,
      expired: 1,
    });
  }, 30_000);
});

describe.skipIf(skip !== undefined)('redisLedger across Redis restarts', () => {
  it('Should fail fast while Redis is down, reconnect by itself, and keep its spend when Redis restarts with its data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'loopguard-redis-'));
    let server = await startRedisServer({ dataDir });
    const ledger = redisLedger({ url: server.url, key: 'restart', create: true });
    try {
      await reserve(ledger, 'a', 3);
      await ledger.settle('a', 2.5, T0);
      await server.stop();
      const error = await refusal(reserve(ledger, 'b', 1));
      expect(error.code).toBe('ledger_unavailable');
      server = await startRedisServer({ dataDir, port: server.port });
      const totals = await eventually(() => ledger.totals(T0));
      expect(totals).toMatchObject({ spent: 2.5, reserved: 0 });
      expect(await reserve(ledger, 'c', 1)).toEqual({ ok: true, granted: 1 });
    } finally {
      await ledger.close();
      await server.stop();
    }
  }, 60_000);

  it('Should fail closed with ledger_wiped when Redis restarts empty, for the same object and every later one', async () => {
    let server = await startRedisServer();
    const ledger = redisLedger({ url: server.url, key: 'restart-empty', create: true });
    const joiner = redisLedger({ url: server.url, key: 'restart-empty' });
    try {
      await ledger.settle('a', 9, T0);
      await server.stop();
      server = await startRedisServer({ port: server.port });
      const error = await eventually(() =>
        ledger.totals(T0).then(
          () => new LedgerError('read a wiped ledger as if nothing happened', { code: 'ledger_corrupt' }),
          (e: LedgerError) => {
            if (e.code === 'ledger_unavailable') throw e;
            return e;
          },
        ),
      );
      expect(error.code).toBe('ledger_wiped');
      expect((await refusal(joiner.totals(T0))).code).toBe('ledger_uninitialized');
    } finally {
      await ledger.close();
      await joiner.close();
      await server.stop();
    }
  }, 60_000);
});
