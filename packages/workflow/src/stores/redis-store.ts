/**
 * `redisStore({ url })`: runs and journals in Redis, for processes on many machines. Each run's record, journal
 * (a list), checkpoints (a hash) and lease are keys under `prefix`; every fenced write is one Lua script that
 * checks the lease first. Lease times come from the callers' clocks: keep the machines' clocks in sync (NTP).
 *
 * Failure model: what a write returned is in Redis; how much survives a Redis restart is Redis's persistence
 * (run it with AOF `appendfsync everysec` or `always` for durable runs). A Redis that lost a run answers
 * `run_not_found` for it, never an empty journal for a run that exists.
 * @module
 */
import type { Redis as RedisClient } from 'ioredis';
import { WorkflowError } from '../engine/workflow-error.js';
import { ACQUIRE, APPEND, RELEASE, SET_CHECKPOINT, SET_RECORD } from './redis-store-scripts.js';
import type { JournalEntry, Lease, RunRecord, WorkflowStore } from './workflow-store.js';

/** Options of `redisStore`. */
export interface RedisStoreOptions {
  /** @default 'redis://127.0.0.1:6379' */
  url?: string;
  /** Prefix of every key. @default 'loopguard:workflow:' */
  prefix?: string;
}

type Scripted = RedisClient & Record<string, (...args: Array<string | number>) => Promise<string>>;

async function connect(url: string): Promise<Scripted> {
  let Redis: typeof import('ioredis').Redis;
  try {
    Redis = (await import('ioredis')).Redis;
  } catch (error) {
    throw new WorkflowError(
      'redisStore needs the `ioredis` package (an optional peer dependency): npm install ioredis',
      {
        code: 'invalid_definition',
        cause: error,
      },
    );
  }
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 }) as Scripted;
  for (const [name, lua, keys] of [
    ['wfAppend', APPEND, 2],
    ['wfSetRecord', SET_RECORD, 2],
    ['wfSetCheckpoint', SET_CHECKPOINT, 2],
    ['wfAcquire', ACQUIRE, 2],
    ['wfRelease', RELEASE, 1],
  ] as const)
    redis.defineCommand(name, { lua, numberOfKeys: keys });
  await redis.connect();
  return redis;
}

/**
 * A store in Redis, shared by processes on many machines.
 *
 * Why this function is long: it builds the store's object, one short method per operation of
 * `WorkflowStore`, closed over the store's connection and paths.
 */
export function redisStore(options: RedisStoreOptions = {}): WorkflowStore {
  const url = options.url ?? 'redis://127.0.0.1:6379';
  const prefix = options.prefix ?? 'loopguard:workflow:';
  let client: Promise<Scripted> | undefined;
  const redis = () => {
    client ??= connect(url);
    return client;
  };
  const key = (kind: string, runId: string) => `${prefix}${kind}:${runId}`;
  const lost = (lease: Lease) =>
    new WorkflowError(`Run ${lease.runId}: this process no longer holds its lease (another took the run over).`, {
      code: 'lease_lost',
      runId: lease.runId,
    });
  const fenced = async (lease: Lease, script: string, keys: string[], ...args: string[]) => {
    const answer = await (await redis())[script]?.(
      ...keys,
      lease.owner,
      String(lease.token),
      String(Date.now()),
      ...args,
    );
    if (answer !== 'ok') throw lost(lease);
  };
  const parse = <T>(text: string | null, runId: string): T | undefined => {
    if (text === null) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new WorkflowError(`Run ${runId}: a value in Redis is not JSON.`, {
        code: 'store_corrupt',
        runId,
        cause: error,
      });
    }
  };
  const getRun = async (runId: string) => parse<RunRecord>(await (await redis()).get(key('run', runId)), runId);
  return {
    async createRun(record) {
      const r = await redis();
      const created = (await r.set(key('run', record.runId), JSON.stringify(record), 'NX')) === 'OK';
      if (created) await r.zadd(`${prefix}runs`, record.createdAt, record.runId);
      return created ? { record, created } : { record: (await getRun(record.runId)) as RunRecord, created };
    },
    getRun,
    async listRuns(filter = {}) {
      const ids = await (await redis()).zrevrange(`${prefix}runs`, 0, -1);
      const records = await Promise.all(ids.map(getRun));
      return records.filter(
        (record): record is RunRecord =>
          record !== undefined && (filter.status === undefined || record.status === filter.status),
      );
    },
    async updateRun(lease, patch) {
      const current = await getRun(lease.runId);
      if (!current) throw new WorkflowError(`No run ${lease.runId}.`, { code: 'run_not_found', runId: lease.runId });
      const record = { ...current, ...patch, updatedAt: Date.now() };
      await fenced(lease, 'wfSetRecord', [key('lease', lease.runId), key('run', lease.runId)], JSON.stringify(record));
      return JSON.parse(JSON.stringify(record)) as RunRecord;
    },
    async journal(runId) {
      const r = await redis();
      if ((await r.exists(key('run', runId))) === 0)
        throw new WorkflowError(`No run ${runId}.`, { code: 'run_not_found', runId });
      return (await r.lrange(key('journal', runId), 0, -1)).map(
        (line) => parse<JournalEntry>(line, runId) as JournalEntry,
      );
    },
    async append(lease, entry) {
      await fenced(lease, 'wfAppend', [key('lease', lease.runId), key('journal', lease.runId)], JSON.stringify(entry));
    },
    async saveCheckpoint(lease, name, value) {
      await fenced(
        lease,
        'wfSetCheckpoint',
        [key('lease', lease.runId), key('checkpoints', lease.runId)],
        name,
        JSON.stringify(value),
      );
    },
    async readCheckpoint(runId, name) {
      return parse(await (await redis()).hget(key('checkpoints', runId), name), runId);
    },
    async acquire(runId, owner, ttlMs, now) {
      const answer = await (await redis()).wfAcquire?.(
        key('lease', runId),
        key('run', runId),
        runId,
        owner,
        String(ttlMs),
        String(now),
      );
      if (answer === 'missing') throw new WorkflowError(`No run ${runId}.`, { code: 'run_not_found', runId });
      if (answer === 'held') return undefined;
      return parse<Lease>(answer ?? null, runId);
    },
    async release(lease) {
      await (await redis()).wfRelease?.(key('lease', lease.runId), lease.owner, String(lease.token));
    },
    async lease(runId) {
      return parse<Lease>(await (await redis()).get(key('lease', runId)), runId);
    },
    async close() {
      if (client) await (await client).quit();
    },
  };
}
