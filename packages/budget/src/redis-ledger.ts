/**
 * `redisLedger({ url, key })`: a ledger shared by many processes and machines. Reserve, settle, release
 * and totals are Lua scripts, so each is atomic on the server. Spend lives under `{key}:spent`,
 * `{key}:runs`, `{key}:log` (a sorted set by time, for rolling windows) and `{key}:res` (reservations).
 * @module
 */
import { Redis } from 'ioredis';
import { LedgerError } from './budget-exceeded-error.js';
import { DAY_MS, HOUR_MS, type Ledger, type LedgerTotals, type ReserveResult } from './ledger.js';

/** Options of `redisLedger`. */
export interface RedisLedgerOptions {
  /** `redis://host:port/db`. @default 'redis://127.0.0.1:6379' */
  url?: string;
  /** Prefix of the ledger's keys; budgets sharing a key share the ledger. @default 'loopguard:budget' */
  key?: string;
  /** Time to wait for a connection before failing, in ms. @default 2000 */
  connectTimeoutMs?: number;
}

const PARSE_RESERVATION = `
local function parse(v)
  local a = string.find(v, '|', 1, true)
  local b = string.find(v, '|', a + 1, true)
  return tonumber(string.sub(v, 1, a - 1)), tonumber(string.sub(v, a + 1, b - 1)), string.sub(v, b + 1)
end
local function window_sum(key, since)
  local sum = 0
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', key, '(' .. since, '+inf')) do
    sum = sum + tonumber(string.sub(m, 1, string.find(m, '|', 1, true) - 1))
  end
  return sum
end
local function fmt(x) return string.format('%.17g', x) end
`;

const RESERVE = `${PARSE_RESERVATION}
local id, run_id = ARGV[1], ARGV[2]
local amount, minimum, now = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local total, per_run, hourly, daily = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - ${DAY_MS})
local reserved, run_reserved = 0, 0
local res = redis.call('HVALS', KEYS[4])
for _, v in ipairs(res) do
  local credits, _, owner = parse(v)
  reserved = reserved + credits
  if owner == run_id then run_reserved = run_reserved + credits end
end
local spent = tonumber(redis.call('GET', KEYS[1]) or '0')
local available, reason = math.huge, ''
local function consider(a, why) if a < available then available = a; reason = why end end
if total >= 0 then consider(total - spent - reserved, 'limit') end
if per_run >= 0 then consider(per_run - tonumber(redis.call('HGET', KEYS[2], run_id) or '0') - run_reserved, 'per_run') end
if hourly >= 0 then consider(hourly - window_sum(KEYS[3], now - ${HOUR_MS}) - reserved, 'window') end
if daily >= 0 then consider(daily - window_sum(KEYS[3], now - ${DAY_MS}) - reserved, 'window') end
if reason ~= '' and available < minimum then return {0, reason, fmt(math.max(0, available))} end
local granted = math.min(amount, available)
redis.call('HSET', KEYS[4], id, fmt(granted) .. '|' .. fmt(now) .. '|' .. run_id)
return {1, '', fmt(granted)}
`;

const SETTLE = `${PARSE_RESERVATION}
local id, credits, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local run_id = 'unknown'
local v = redis.call('HGET', KEYS[4], id)
if v then
  local _, _, owner = parse(v)
  run_id = owner
  redis.call('HDEL', KEYS[4], id)
end
redis.call('INCRBYFLOAT', KEYS[1], credits)
redis.call('HINCRBYFLOAT', KEYS[2], run_id, credits)
redis.call('ZADD', KEYS[3], now, credits .. '|' .. id)
return 1
`;

const TOTALS = `${PARSE_RESERVATION}
local now = tonumber(ARGV[1])
local reserved, outstanding = 0, 0
for _, v in ipairs(redis.call('HVALS', KEYS[4])) do
  local credits = parse(v)
  reserved = reserved + credits
  outstanding = outstanding + 1
end
return {
  redis.call('GET', KEYS[1]) or '0', fmt(reserved), fmt(window_sum(KEYS[3], now - ${HOUR_MS})),
  fmt(window_sum(KEYS[3], now - ${DAY_MS})), outstanding, redis.call('HGETALL', KEYS[2])
}
`;

type ScriptRedis = Redis & {
  loopguardReserve(...args: Array<string | number>): Promise<[number, string, string]>;
  loopguardSettle(...args: Array<string | number>): Promise<number>;
  loopguardTotals(...args: Array<string | number>): Promise<[string, string, string, string, number, string[]]>;
};

function safeUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//[redacted]@');
}

/** A ledger in Redis. The first operation connects; an unreachable server fails fast with `LedgerError`. */
export function redisLedger(options: RedisLedgerOptions = {}): Ledger {
  const url = options.url ?? 'redis://127.0.0.1:6379';
  const prefix = options.key ?? 'loopguard:budget';
  const keys = [`${prefix}:spent`, `${prefix}:runs`, `${prefix}:log`, `${prefix}:res`];
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => (times > 3 ? null : 50 * times),
  }) as ScriptRedis;
  redis.on('error', () => undefined);
  redis.defineCommand('loopguardReserve', { numberOfKeys: 4, lua: RESERVE });
  redis.defineCommand('loopguardSettle', { numberOfKeys: 4, lua: SETTLE });
  redis.defineCommand('loopguardTotals', { numberOfKeys: 4, lua: TOTALS });
  let ready: Promise<void> | undefined;

  async function connected(): Promise<ScriptRedis> {
    ready ??= redis.connect().catch((error: unknown) => {
      ready = undefined;
      redis.disconnect();
      throw new LedgerError(`Cannot reach Redis at ${safeUrl(url)}: ${(error as Error).message}`, {
        code: 'ledger_unavailable',
        cause: error,
      });
    });
    await ready;
    return redis;
  }

  async function run<T>(work: (client: ScriptRedis) => Promise<T>): Promise<T> {
    const client = await connected();
    try {
      return await work(client);
    } catch (error) {
      throw new LedgerError(`Redis ledger operation failed: ${(error as Error).message}`, {
        code: 'ledger_unavailable',
        cause: error,
      });
    }
  }

  const limitArg = (value: number | undefined): number => (value === undefined ? -1 : value);

  return {
    reserve: (request) =>
      run(async (client) => {
        const { limits } = request;
        const [ok, reason, amount] = await client.loopguardReserve(
          ...keys,
          request.id,
          request.runId,
          request.amount,
          request.minimum,
          request.now,
          limitArg(limits.total),
          limitArg(limits.perRun),
          limitArg(limits.hourly),
          limitArg(limits.daily),
        );
        return (
          ok === 1
            ? { ok: true, granted: Number(amount) }
            : { ok: false, reason: reason as 'limit' | 'per_run' | 'window', available: Number(amount) }
        ) satisfies ReserveResult;
      }),
    settle: (id, credits, now) =>
      run(async (client) => {
        await client.loopguardSettle(...keys, id, String(credits), now);
      }),
    release: (id) =>
      run(async (client) => {
        await client.hdel(keys[3] as string, id);
      }),
    totals: (now) =>
      run(async (client): Promise<LedgerTotals> => {
        const [spent, reserved, hourly, daily, outstanding, runs] = await client.loopguardTotals(...keys, now);
        const perRun: Record<string, number> = {};
        for (let i = 0; i < runs.length; i += 2) perRun[runs[i] as string] = Number(runs[i + 1]);
        return {
          spent: Number(spent),
          reserved: Number(reserved),
          hourly: Number(hourly),
          daily: Number(daily),
          perRun,
          outstanding: Number(outstanding),
        };
      }),
    close: async () => {
      if (redis.status === 'ready' || redis.status === 'connecting' || redis.status === 'connect')
        await redis.quit().catch(() => undefined);
      redis.disconnect();
    },
  };
}
