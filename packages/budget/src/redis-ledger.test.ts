import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerError } from './budget-exceeded-error.js';
import type { Ledger } from './ledger.js';
import { redisLedger } from './redis-ledger.js';
import { type RedisServer, startRedisServer } from './redis-server.js';
import { redisSkipReason } from './test-support/redis-skip-reason.js';

const skip = redisSkipReason();

describe('redisLedger without a server', () => {
  it('Should fail fast with a LedgerError naming the address, password redacted', async () => {
    const ledger = redisLedger({ url: 'redis://user:hunter2@127.0.0.1:1', connectTimeoutMs: 500 });
    const error = await ledger.totals(Date.now()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerError);
    expect((error as Error).message).toContain('127.0.0.1:1');
    expect((error as Error).message).not.toContain('hunter2');
    await ledger.close();
  });
});

describe.skipIf(skip !== undefined)('redisLedger on a real redis-server', () => {
  let server: RedisServer;
  const open: Ledger[] = [];
  const ledger = (key: string) => {
    const made = redisLedger({ url: server.url, key });
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

  it('Should reserve, settle and release atomically against every limit', async () => {
    const l = ledger('unit');
    const now = 100_000_000;
    expect(
      await l.reserve({ id: 'a', runId: 'r1', amount: 4, minimum: 4, now, limits: { total: 10, perRun: 5 } }),
    ).toEqual({ ok: true, granted: 4 });
    expect(
      await l.reserve({ id: 'b', runId: 'r1', amount: 2, minimum: 2, now, limits: { total: 10, perRun: 5 } }),
    ).toEqual({ ok: false, reason: 'per_run', available: 1 });
    expect(await l.reserve({ id: 'c', runId: 'r2', amount: 8, minimum: 1, now, limits: { total: 10 } })).toEqual({
      ok: true,
      granted: 6,
    });
    await l.settle('a', 3.25, now);
    await l.release('c');
    const totals = await l.totals(now);
    expect(totals).toMatchObject({ spent: 3.25, reserved: 0, outstanding: 0, hourly: 3.25, perRun: { r1: 3.25 } });
  });

  it('Should keep rolling windows across a restart of the ledger', async () => {
    const start = 200_000_000;
    const first = ledger('windows');
    await first.settle('old', 5, start);
    await first.settle('new', 2, start + 3_000_000);
    await first.close();
    const second = ledger('windows');
    const totals = await second.totals(start + 3_700_000);
    expect(totals.hourly).toBe(2);
    expect(totals.daily).toBe(7);
    expect(
      await second.reserve({
        id: 'w',
        runId: 'r',
        amount: 2,
        minimum: 2,
        now: start + 3_700_000,
        limits: { hourly: 3 },
      }),
    ).toEqual({ ok: false, reason: 'window', available: 1 });
  });

  it('Should never over-grant when 64 callers race for one cap', async () => {
    const callers = Array.from({ length: 64 }, () => ledger('race64'));
    const now = Date.now();
    const results = await Promise.all(
      callers.map((c, i) => c.reserve({ id: `r${i}`, runId: 'x', amount: 1, minimum: 1, now, limits: { total: 20 } })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(20);
  });
});
