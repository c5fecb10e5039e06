import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileLedger } from './file-ledger.js';
import type { Ledger, ReserveRequest } from './ledger.js';
import { DAY_MS, HOUR_MS } from './ledger.js';
import { isLedgerError, LedgerError } from './ledger-error.js';
import { memoryLedger } from './memory-ledger.js';
import { redisLedger } from './redis-ledger.js';
import { type RedisServer, startRedisServer } from './redis-server.js';
import { redisSkipReason } from './test-support/redis-skip-reason.js';

const skip = redisSkipReason();
const LEASE = 60_000;
let server: RedisServer | undefined;
const open: Ledger[] = [];
let made = 0;

beforeAll(async () => {
  if (skip === undefined) server = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(open.map((ledger) => ledger.close()));
  await server?.stop();
});

const factories: Array<[string, () => Ledger]> = [
  ['memoryLedger', () => memoryLedger({ leaseMs: LEASE })],
  [
    'fileLedger',
    () => fileLedger(join(mkdtempSync(join(tmpdir(), 'loopguard-contract-')), 'spend.jsonl'), { leaseMs: LEASE }),
  ],
];
if (skip === undefined) {
  factories.push([
    'redisLedger',
    () =>
      redisLedger({
        url: (server as RedisServer).url,
        key: `contract-${process.pid}-${made++}`,
        create: true,
        leaseMs: LEASE,
      }),
  ]);
}

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
const request = (id: string, amount: number, extra: Partial<ReserveRequest> = {}): ReserveRequest => ({
  id,
  runId: 'r1',
  amount,
  minimum: amount,
  now: T0,
  limits: { total: 10 },
  ...extra,
});

describe.each(factories)('the ledger contract: %s', (_name, factory) => {
  const ledger = () => {
    const created = factory();
    open.push(created);
    return created;
  };

  it('Should reserve, settle and release atomically against the total and per-run limits', async () => {
    const l = ledger();
    const limits = { total: 10, perRun: 5 };
    expect(await l.reserve(request('a', 4, { limits }))).toEqual({ ok: true, granted: 4 });
    expect(await l.reserve(request('b', 2, { limits }))).toEqual({ ok: false, reason: 'per_run', available: 1 });
    expect(await l.reserve(request('c', 8, { runId: 'r2', minimum: 1 }))).toEqual({ ok: true, granted: 6 });
    await l.settle('a', 3.25, T0);
    await l.release('c');
    expect(await l.totals(T0)).toMatchObject({
      spent: 3.25,
      reserved: 0,
      possiblyBilled: 0,
      outstanding: 0,
      expired: 0,
      hourly: 3.25,
      perRun: { r1: 3.25 },
    });
  });

  it('Should answer a reserve repeated with the same id with the same grant, taking nothing more', async () => {
    const l = ledger();
    expect(await l.reserve(request('same', 3))).toEqual({ ok: true, granted: 3 });
    expect(await l.reserve(request('same', 3))).toEqual({ ok: true, granted: 3 });
    expect((await l.totals(T0)).reserved).toBe(3);
  });

  it('Should roll spend out of the hourly window after an hour and out of the daily one after a day, never early', async () => {
    const l = ledger();
    await l.settle('old', 5, T0);
    await l.settle('new', 2, T0 + 50 * 60_000);
    expect(await l.totals(T0 + HOUR_MS - 1)).toMatchObject({ hourly: 7, daily: 7 });
    const later = await l.totals(T0 + HOUR_MS + 2 * 60_000);
    expect(later).toMatchObject({ hourly: 2, daily: 7, spent: 7 });
    expect(await l.reserve(request('w', 2, { now: T0 + HOUR_MS + 2 * 60_000, limits: { hourly: 3 } }))).toEqual({
      ok: false,
      reason: 'window',
      available: 1,
    });
    expect(await l.totals(T0 + DAY_MS + 52 * 60_000)).toMatchObject({ hourly: 0, daily: 0, spent: 7 });
  });

  it('Should count a reservation whose lease ran out as spent, possibly billed — then correct it when it settles late', async () => {
    const l = ledger();
    expect(await l.reserve(request('slow', 4, { model: 'claude-opus-4-6' }))).toEqual({ ok: true, granted: 4 });
    expect(await l.totals(T0 + LEASE - 1)).toMatchObject({ reserved: 4, spent: 0, outstanding: 1, expired: 0 });
    const expired = await l.totals(T0 + LEASE);
    expect(expired).toMatchObject({ reserved: 0, spent: 4, possiblyBilled: 4, outstanding: 0, expired: 1 });
    expect(expired.perRun).toEqual({ r1: 4 });
    // The cap still holds it: only 6 of 10 are left.
    expect(await l.reserve(request('next', 7, { now: T0 + LEASE + 1 }))).toEqual({
      ok: false,
      reason: 'limit',
      available: 6,
    });
    await l.settle('slow', 1.5, T0 + LEASE + 2);
    expect(await l.totals(T0 + LEASE + 3)).toMatchObject({ spent: 1.5, possiblyBilled: 0, expired: 0, reserved: 0 });
  });

  it('Should take an expired reservation back out of spend when it is released (proven not billed)', async () => {
    const l = ledger();
    await l.reserve(request('gone', 4));
    expect((await l.totals(T0 + LEASE)).spent).toBe(4);
    await l.reserve(request('other', 1, { now: T0 + LEASE }));
    await l.release('gone');
    expect(await l.totals(T0 + LEASE + 1)).toMatchObject({ spent: 0, possiblyBilled: 0, expired: 0, reserved: 1 });
  });

  it('Should record what a settlement was (possibly billed, model) and report it by day, run and model', async () => {
    const l = ledger();
    await l.reserve(request('x', 3, { model: 'claude-opus-4-6' }));
    await l.reserve(request('y', 2, { runId: 'r2' }));
    await l.settle('x', 3, T0 + 1, { possiblyBilled: true });
    await l.settle('y', 0.5, T0 + DAY_MS, { model: 'claude-opus-4-6-20260101' });
    await l.reserve(request('z', 1, { now: T0 + DAY_MS }));
    const report = await l.report(T0 + DAY_MS);
    expect(report.totals).toMatchObject({ spent: 3.5, possiblyBilled: 3, reserved: 1, outstanding: 1 });
    expect(report.rows).toEqual([
      {
        day: '2026-11-24',
        runId: 'r1',
        model: 'claude-opus-4-6',
        spent: 3,
        possiblyBilled: 3,
        reserved: 0,
        settlements: 1,
      },
      {
        day: '2026-11-25',
        runId: 'r1',
        model: 'unknown',
        spent: 0,
        possiblyBilled: 0,
        reserved: 1,
        settlements: 0,
      },
      {
        day: '2026-11-25',
        runId: 'r2',
        model: 'claude-opus-4-6-20260101',
        spent: 0.5,
        possiblyBilled: 0,
        reserved: 0,
        settlements: 1,
      },
    ]);
  });

  it('Should accept a negative settle with an unknown id as given (a reconciliation correction)', async () => {
    const l = ledger();
    await l.settle('a', 5, T0);
    await l.settle('correction-1', -1.25, T0 + 1);
    expect(await l.totals(T0 + 2)).toMatchObject({ spent: 3.75, perRun: { unknown: 3.75 } });
  });

  it('Should refuse bad amounts with a LedgerError naming the field, and change nothing', async () => {
    const l = ledger();
    await l.reserve(request('open', 2));
    const attempts: Array<() => Promise<unknown>> = [
      () => l.reserve(request('n1', -1)),
      () => l.reserve(request('n2', Number.NaN)),
      () => l.reserve(request('n3', Number.POSITIVE_INFINITY)),
      () => l.reserve(request('n4', 1, { now: Number.NaN })),
      () => l.reserve(request('', 1)),
      () => l.settle('open', -1, T0),
      () => l.settle('x', Number.POSITIVE_INFINITY, T0),
      () => l.settle('x', Number.NaN, T0),
    ];
    for (const attempt of attempts) {
      const error = await Promise.resolve()
        .then(attempt)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LedgerError);
      expect(isLedgerError(error)).toBe(true);
      expect((error as LedgerError).code).toBe('ledger_invalid_amount');
    }
    await expect(l.reserve(request('n5', Number.NaN))).rejects.toThrow(/`amount`/);
    expect(await l.totals(T0)).toMatchObject({ spent: 0, reserved: 2, outstanding: 1 });
  });

  // The reservation rule at its edges, written twice (LedgerState in TypeScript, the RESERVE script in Lua):
  // a reservation exactly at a cap fits, one credit over is refused with what is left, a clamped one gets
  // what is left down to its minimum, and a reservation whose lease ran out counts as spent against every cap.
  const spendOnRun = async (l: Ledger, id: string, credits: number, runId = 'r1') => {
    await l.reserve(request(id, credits, { runId, limits: {} }));
    await l.settle(id, credits, T0);
  };
  const edges: Array<[string, (l: Ledger) => Promise<unknown>, ReserveRequest, unknown]> = [
    ['exactly at the total cap', (l) => l.settle('s', 6, T0), request('x', 4), { ok: true, granted: 4 }],
    [
      'one credit over the total cap',
      (l) => l.settle('s', 6, T0),
      request('x', 5),
      { ok: false, reason: 'limit', available: 4 },
    ],
    [
      'exactly at the per-run cap',
      (l) => spendOnRun(l, 's', 3),
      request('x', 2, { limits: { perRun: 5 } }),
      { ok: true, granted: 2 },
    ],
    [
      'one credit over the per-run cap (another run is not held by it)',
      (l) => spendOnRun(l, 's', 3).then(() => spendOnRun(l, 'o', 4, 'r2')),
      request('x', 3, { limits: { perRun: 5 } }),
      { ok: false, reason: 'per_run', available: 2 },
    ],
    [
      'exactly at the hourly cap',
      (l) => l.settle('s', 3, T0),
      request('x', 2, { limits: { hourly: 5 } }),
      { ok: true, granted: 2 },
    ],
    [
      'one credit over the daily cap',
      (l) => l.settle('s', 3, T0),
      request('x', 3, { limits: { daily: 5 } }),
      { ok: false, reason: 'window', available: 2 },
    ],
    [
      'a clamped reservation: what is left, down to its minimum exactly',
      (l) => l.settle('s', 6, T0),
      request('x', 8, { minimum: 4 }),
      { ok: true, granted: 4 },
    ],
    [
      'a clamped reservation one credit over its minimum',
      (l) => l.settle('s', 6, T0),
      request('x', 8, { minimum: 5 }),
      { ok: false, reason: 'limit', available: 4 },
    ],
    [
      'an expired lease counted as spent: exactly at the total cap',
      (l) => l.reserve(request('old', 4)),
      request('x', 6, { now: T0 + LEASE }),
      { ok: true, granted: 6 },
    ],
    [
      'an expired lease counted as spent: one credit over the total cap',
      (l) => l.reserve(request('old', 4)),
      request('x', 7, { now: T0 + LEASE }),
      { ok: false, reason: 'limit', available: 6 },
    ],
    [
      'an expired lease counted as spent against its run',
      (l) => l.reserve(request('old', 4)),
      request('x', 2, { now: T0 + LEASE, limits: { perRun: 5 } }),
      { ok: false, reason: 'per_run', available: 1 },
    ],
    [
      'an expired lease counted as spent in the hourly window',
      (l) => l.reserve(request('old', 4, { runId: 'r2' })),
      request('x', 2, { now: T0 + LEASE, limits: { hourly: 5 } }),
      { ok: false, reason: 'window', available: 1 },
    ],
  ];

  it.each(edges)('Should apply the reservation rule at its edge: %s', async (_edge, prepare, asked, expected) => {
    const l = ledger();
    await prepare(l);
    expect(await l.reserve(asked)).toEqual(expected);
  });

  it('Should never over-grant when 64 callers race for one cap', async () => {
    const l = ledger();
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        l.reserve(request(`r${i}`, 1, { runId: `run-${i}`, limits: { total: 20 } })),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(20);
    expect((await l.totals(T0)).reserved).toBe(20);
  });
});
