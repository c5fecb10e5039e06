/**
 * `redisLedger({ url, key })`: a ledger shared by many processes and machines. Each operation is one Lua
 * script (`redis-ledger-scripts.ts`), atomic on the server, at a cost flat in the number of past entries.
 *
 * Failure model:
 * - Redis restarted with its data (RDB/AOF), or unreachable for a while: the same ledger object reconnects by
 *   itself (ioredis, retrying in the background). While it is down every operation fails at once with
 *   `LedgerError` `ledger_unavailable` — nothing is queued, nothing resent: an operation whose reply was lost is
 *   not replayed (its reservation, if it was taken, counts as spent once its lease runs out).
 * - Redis restarted empty, flushed, or its keys evicted: the ledger's epoch (written when it was created) is
 *   gone or different, and every operation fails with `ledger_wiped` — spend is never reset to zero by
 *   accident. A new ledger is started only on purpose: `create: true` writes an epoch when there is none, and
 *   `initialize({ reset: true })` deletes the ledger and starts a new one. Run Redis with `maxmemory-policy
 *   noeviction` (the default) and persistence if spend must survive a restart.
 * - A process that dies holding reservations: they count as spent (possibly billed) once their lease
 *   (`leaseMs`) runs out, at the next operation of any process.
 *
 * `ioredis` is an optional peer dependency, loaded on first use.
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Redis as RedisClient } from 'ioredis';
import { checkLeaseMs, checkReserveRequest, checkSettle } from './internal/check-ledger-input.js';
import { DEFAULT_LEASE_MS, type Ledger, type LedgerReport, type ReserveResult } from './ledger.js';
import { LedgerError } from './ledger-error.js';
import { reportRowsOf, totalsOf } from './redis-ledger-replies.js';
import { ATTACH, ledgerKeys, RELEASE, RESERVE, SETTLE, TOTALS } from './redis-ledger-scripts.js';

/** Options of `redisLedger`. */
export interface RedisLedgerOptions {
  /** `redis://[user:password@]host:port/db`. @default 'redis://127.0.0.1:6379' */
  url?: string;
  /** Prefix of the ledger's keys; budgets sharing a key share the ledger. @default 'loopguard:budget' */
  key?: string;
  /**
   * Start a new ledger (from zero) when there is none under `key`. Leave it off in processes that join an
   * existing ledger: if Redis lost its data they then fail with `ledger_wiped` / `ledger_uninitialized`
   * instead of starting over. An object that already saw the ledger never re-creates it. @default false
   */
  create?: boolean;
  /** How long a reservation stays reserved before it counts as spent (possibly billed), in ms. @default 600000 (10 minutes) */
  leaseMs?: number;
  /** Time to wait for a (re)connection before an operation fails with `ledger_unavailable`, in ms. @default 2000 */
  connectTimeoutMs?: number;
}

/** A Redis ledger: the `Ledger` contract, plus starting a new ledger on purpose. */
export interface RedisLedger extends Ledger {
  /**
   * Creates the ledger when there is none (as `create: true` would), or with `reset: true` deletes every key of
   * this ledger and starts a new one from zero; other processes using the old one then fail with `ledger_wiped`.
   */
  initialize(options?: { reset?: boolean }): Promise<void>;
}

type ScriptClient = RedisClient & Record<string, (...args: Array<string | number>) => Promise<unknown>>;

function safeUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//[redacted]@');
}

async function loadRedis(where: string): Promise<typeof import('ioredis').Redis> {
  try {
    return (await import('ioredis')).Redis;
  } catch (error) {
    throw new LedgerError(
      'redisLedger needs the `ioredis` package (an optional peer dependency of @loopguard/budget): npm install ioredis',
      { code: 'ledger_unavailable', path: where, cause: error },
    );
  }
}

const limitArg = (value: number | undefined): number =>
  value === undefined || value === Number.POSITIVE_INFINITY ? -1 : value;

/**
 * A ledger in Redis. Operations connect on first use; see the module note for what a restart or an outage does.
 * (Longer than 60 lines on purpose: one closure over the connection's state — client, pending connection,
 * epoch, closed — shared by its small inner functions, each well under 60 lines.)
 */
export function redisLedger(options: RedisLedgerOptions = {}): RedisLedger {
  const url = options.url ?? 'redis://127.0.0.1:6379';
  const prefix = options.key ?? 'loopguard:budget';
  const where = `${safeUrl(url)} key ${prefix}`;
  const leaseMs = checkLeaseMs(options.leaseMs ?? DEFAULT_LEASE_MS, where);
  const connectTimeoutMs = options.connectTimeoutMs ?? 2000;
  const keys = ledgerKeys(prefix);
  let client: Promise<ScriptClient> | undefined;
  /** One wait for the connection, shared by every operation that arrives while it is made. */
  let connecting: Promise<void> | undefined;
  let epoch: string | undefined;
  let closed = false;

  const unavailable = (reason: string, cause?: unknown) =>
    new LedgerError(`The Redis ledger at ${where} is unavailable: ${reason}`, {
      code: 'ledger_unavailable',
      path: where,
      cause,
    });

  async function makeClient(): Promise<ScriptClient> {
    const Redis = await loadRedis(where);
    const redis = new Redis(url, {
      lazyConnect: true,
      connectTimeout: connectTimeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: (times: number) => Math.min(50 * times, 1000),
    }) as unknown as ScriptClient;
    redis.on('error', () => undefined);
    for (const [name, lua] of Object.entries({ ATTACH, RESERVE, SETTLE, RELEASE, TOTALS }))
      redis.defineCommand(`loopguard${name}`, { numberOfKeys: keys.length, lua });
    return redis;
  }

  /** The client, connected: waits up to `connectTimeoutMs` while connecting, fails at once while reconnecting. */
  async function ready(): Promise<ScriptClient> {
    if (closed) throw unavailable('the ledger was closed.');
    client ??= makeClient();
    const redis = await client;
    if (redis.status === 'ready') return redis;
    if (redis.status === 'reconnecting') throw unavailable('the connection was lost; reconnecting in the background.');
    if (redis.status === 'wait' || redis.status === 'end') redis.connect().catch(() => undefined);
    connecting ??= new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(unavailable(`no connection within ${connectTimeoutMs} ms.`));
      }, connectTimeoutMs);
      const onReady = () => {
        cleanup();
        resolve();
      };
      const cleanup = () => {
        clearTimeout(timer);
        redis.off('ready', onReady);
        connecting = undefined;
      };
      redis.on('ready', onReady);
    });
    await connecting;
    return redis;
  }

  function translate(error: unknown): LedgerError {
    if (error instanceof LedgerError) return error;
    const message = (error as Error)?.message ?? String(error);
    if (message.includes('LOOPGUARD_WIPED')) {
      return new LedgerError(
        `The Redis ledger at ${where} lost its data (Redis restarted empty, was flushed, or evicted keys): its epoch ${epoch} is gone. Spend is never reset silently: restore Redis's data, or start a new ledger on purpose (ledger.initialize({ reset: true })).`,
        { code: 'ledger_wiped', path: where, cause: error },
      );
    }
    if (message.includes('LOOPGUARD_NEGATIVE'))
      return new LedgerError('Ledger: settle of an open reservation needs credits >= 0.', {
        code: 'ledger_invalid_amount',
        path: where,
      });
    return unavailable(message, error);
  }

  async function attach(redis: ScriptClient, create: boolean, reset: boolean): Promise<string> {
    const found = (await redis.loopguardATTACH?.(...keys, create ? '1' : '0', randomUUID(), reset ? '1' : '0')) as
      | string
      | null;
    if (!found) {
      throw new LedgerError(
        `There is no Redis ledger at ${where}: it was never created, or Redis lost its data. Spend is never reset silently: to start a new ledger from zero, pass { create: true } to redisLedger (or call ledger.initialize()).`,
        { code: 'ledger_uninitialized', path: where },
      );
    }
    return found;
  }

  async function run<T>(script: string, args: Array<string | number>, read: (reply: never) => T): Promise<T> {
    try {
      const redis = await ready();
      epoch ??= await attach(redis, options.create === true, false);
      const reply = await (redis[`loopguard${script}`] as (...a: Array<string | number>) => Promise<unknown>)(
        ...keys,
        epoch,
        ...args,
      );
      return read(reply as never);
    } catch (error) {
      throw translate(error);
    }
  }

  return {
    reserve: async (request) => {
      checkReserveRequest(request, where);
      const { limits } = request;
      return run(
        'RESERVE',
        [
          request.id,
          request.runId,
          request.amount,
          request.minimum,
          request.now,
          limitArg(limits.total),
          limitArg(limits.perRun),
          limitArg(limits.hourly),
          limitArg(limits.daily),
          request.now + leaseMs,
          request.model ?? 'unknown',
        ],
        ([ok, reason, amount]: [number, string, string]): ReserveResult =>
          ok === 1
            ? { ok: true, granted: Number(amount) }
            : { ok: false, reason: reason as 'limit' | 'per_run' | 'window', available: Number(amount) },
      );
    },
    settle: async (id, credits, now, detail = {}) => {
      checkSettle(id, credits, now, where);
      await run('SETTLE', [id, credits, now, detail.model ?? '', detail.possiblyBilled ? '1' : '0'], () => undefined);
    },
    release: async (id) => {
      await run('RELEASE', [id], () => undefined);
    },
    totals: (now) => run('TOTALS', [now, '0'], totalsOf),
    report: (now) =>
      run(
        'TOTALS',
        [now, '1'],
        (reply: unknown[]): LedgerReport => ({
          totals: totalsOf(reply),
          rows: reportRowsOf(reply[8] as string[], reply[9] as string[]),
        }),
      ),
    initialize: async (initializeOptions = {}) => {
      try {
        const redis = await ready();
        epoch = await attach(redis, true, initializeOptions.reset === true);
      } catch (error) {
        throw translate(error);
      }
    },
    close: async () => {
      closed = true;
      const redis = await client?.catch(() => undefined);
      if (!redis) return;
      if (redis.status === 'ready') await redis.quit().catch(() => undefined);
      redis.disconnect();
    },
  };
}
