/**
 * The Lua scripts of the Redis ledger: each operation is one script, atomic on the server, and costs the same
 * however many entries the ledger holds (running totals; running window sums over a sorted set of the last
 * day's spend — the algorithm of `SpendWindows`; leases in a sorted set by expiry). Every script but `attach`
 * first checks the ledger's epoch (`ARGV[1]`) and answers `LOOPGUARD_WIPED` when it changed or is gone: a Redis
 * that lost its data never reads as a ledger with nothing spent.
 *
 * Keys (in order): meta (hash: epoch, spent, possibly, reserved, seq, entries, window edges and sums), runs
 * (run → spent), run-reserved (run → reserved), res (id → reservation JSON), lease (id by expiry), expired
 * (id → expired lease JSON), expired-at (id by expiry), log (the last day's spend, "n:credits" by time), cells
 * ("day\0run\0model\0s|p|n" → spent, possibly billed, settlements).
 * @module
 */

/** The key names of a ledger, in the order the scripts take them. */
export function ledgerKeys(prefix: string): string[] {
  return ['meta', 'runs', 'run-reserved', 'res', 'lease', 'expired', 'expired-at', 'log', 'cells'].map(
    (name) => `${prefix}:${name}`,
  );
}

const COMMON = `
local M, RUNS, RUNRES, RES, LEASE, EXPIRED, EXPIREDAT, LOG, CELLS =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local HOUR, DAY = 3600000, 86400000
local function num(v) return tonumber(v) or 0 end
local function fmt(x) return string.format('%.17g', x) end

local function entry_credits(member)
  return tonumber(string.sub(member, string.find(member, ':', 1, true) + 1))
end

local function move(span, edge_field, sum_field, now)
  local edge = now - span
  local vals = redis.call('HMGET', M, edge_field, sum_field)
  local old, sum = tonumber(vals[1]), num(vals[2])
  if not old then
    sum = 0
    for _, m in ipairs(redis.call('ZRANGEBYSCORE', LOG, '(' .. fmt(edge), '+inf')) do sum = sum + entry_credits(m) end
  elseif edge > old then
    for _, m in ipairs(redis.call('ZRANGEBYSCORE', LOG, '(' .. fmt(old), fmt(edge))) do sum = sum - entry_credits(m) end
  elseif edge < old then
    for _, m in ipairs(redis.call('ZRANGEBYSCORE', LOG, '(' .. fmt(edge), fmt(old))) do sum = sum + entry_credits(m) end
  end
  if redis.call('ZCOUNT', LOG, '(' .. fmt(edge), '+inf') == 0 then sum = 0 end
  redis.call('HSET', M, edge_field, fmt(edge), sum_field, fmt(sum))
  return sum
end

local function add_entry(at, credits)
  local n = redis.call('HINCRBY', M, 'entries', 1)
  redis.call('ZADD', LOG, fmt(at), n .. ':' .. fmt(credits))
  local edges = redis.call('HMGET', M, 'hourEdge', 'dayEdge')
  if edges[1] and at > tonumber(edges[1]) then redis.call('HINCRBYFLOAT', M, 'hourSum', fmt(credits)) end
  if edges[2] and at > tonumber(edges[2]) then redis.call('HINCRBYFLOAT', M, 'daySum', fmt(credits)) end
end

local function spend(at, credits, run, model, possibly, count)
  local c = fmt(credits)
  redis.call('HINCRBYFLOAT', M, 'spent', c)
  if possibly then redis.call('HINCRBYFLOAT', M, 'possibly', c) end
  redis.call('HINCRBYFLOAT', RUNS, run, c)
  add_entry(at, credits)
  local cell = tostring(math.floor(at / DAY)) .. '\\0' .. run .. '\\0' .. model .. '\\0'
  redis.call('HINCRBYFLOAT', CELLS, cell .. 's', c)
  if possibly then redis.call('HINCRBYFLOAT', CELLS, cell .. 'p', c) end
  redis.call('HINCRBY', CELLS, cell .. 'n', count)
end

local function drop(id, r)
  redis.call('HDEL', RES, id)
  redis.call('ZREM', LEASE, id)
  if redis.call('HLEN', RES) == 0 then
    redis.call('HSET', M, 'reserved', '0')
  else
    redis.call('HINCRBYFLOAT', M, 'reserved', fmt(-tonumber(r.c)))
  end
  local left = redis.call('HINCRBYFLOAT', RUNRES, r.r, fmt(-tonumber(r.c)))
  if math.abs(tonumber(left)) < 1e-9 then redis.call('HDEL', RUNRES, r.r) end
end

local function expire_one(id, now)
  local v = redis.call('HGET', RES, id)
  if not v then
    redis.call('ZREM', LEASE, id)
    return
  end
  local r = cjson.decode(v)
  drop(id, r)
  redis.call('HSET', EXPIRED, id, cjson.encode({ c = r.c, r = r.r, m = r.m, a = fmt(now) }))
  redis.call('ZADD', EXPIREDAT, now, id)
  redis.call('HINCRBY', M, 'seq', 1)
  spend(now, tonumber(r.c), r.r, r.m, true, 1)
end

local function expire_due(now, limit)
  local due = redis.call('ZRANGEBYSCORE', LEASE, '-inf', now, 'LIMIT', 0, limit)
  for _, id in ipairs(due) do expire_one(id, now) end
end

local function undo_expired(id, e)
  redis.call('HDEL', EXPIRED, id)
  redis.call('ZREM', EXPIREDAT, id)
  spend(tonumber(e.a), -tonumber(e.c), e.r, e.m, true, -1)
end

local function prune(now)
  local cutoff = now - DAY - HOUR
  if redis.call('ZREMRANGEBYSCORE', LOG, '-inf', fmt(cutoff)) > 0 then
    -- A window whose edge is that far behind counted what was dropped: it is summed anew on its next use.
    local edges = redis.call('HMGET', M, 'hourEdge', 'dayEdge')
    if edges[1] and tonumber(edges[1]) < cutoff then redis.call('HDEL', M, 'hourEdge') end
    if edges[2] and tonumber(edges[2]) < cutoff then redis.call('HDEL', M, 'dayEdge') end
  end
  local old = redis.call('ZRANGEBYSCORE', EXPIREDAT, '-inf', now - DAY, 'LIMIT', 0, 100)
  for _, id in ipairs(old) do
    redis.call('HDEL', EXPIRED, id)
    redis.call('ZREM', EXPIREDAT, id)
  end
end
`;

const EPOCH_CHECK = `
if redis.call('HGET', M, 'epoch') ~= ARGV[1] then
  return redis.error_reply('LOOPGUARD_WIPED ' .. tostring(redis.call('HGET', M, 'epoch')))
end
`;

/** ARGV: create ('1'/'0'), new epoch, reset ('1'/'0'). Returns the epoch, or false when there is none. */
export const ATTACH = `${COMMON}
if ARGV[3] == '1' then
  redis.call('DEL', M, RUNS, RUNRES, RES, LEASE, EXPIRED, EXPIREDAT, LOG, CELLS)
end
local epoch = redis.call('HGET', M, 'epoch')
if epoch then return epoch end
if ARGV[1] ~= '1' then return false end
redis.call('HSET', M, 'epoch', ARGV[2], 'spent', '0', 'possibly', '0', 'reserved', '0', 'seq', '0')
return ARGV[2]
`;

/** ARGV: epoch, id, runId, amount, minimum, now, total, perRun, hourly, daily (-1 = none), expiresAt, model. */
export const RESERVE = `${COMMON}${EPOCH_CHECK}
local id, run = ARGV[2], ARGV[3]
local amount, minimum, now = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local total, per_run, hourly, daily = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
prune(now)
expire_due(now, 100)
local existing = redis.call('HGET', RES, id)
if existing then return { 1, '', cjson.decode(existing).c } end
local totals = redis.call('HMGET', M, 'spent', 'reserved')
local spent, reserved = num(totals[1]), num(totals[2])
local available, reason = math.huge, ''
local function consider(a, why)
  if a < available then available = a; reason = why end
end
if total >= 0 then consider(total - spent - reserved, 'limit') end
if per_run >= 0 then
  consider(per_run - num(redis.call('HGET', RUNS, run)) - num(redis.call('HGET', RUNRES, run)), 'per_run')
end
if hourly >= 0 then consider(hourly - move(HOUR, 'hourEdge', 'hourSum', now) - reserved, 'window') end
if daily >= 0 then consider(daily - move(DAY, 'dayEdge', 'daySum', now) - reserved, 'window') end
if reason ~= '' and available < minimum then return { 0, reason, fmt(math.max(0, available)) } end
local g = fmt(math.min(amount, available))
redis.call('HSET', RES, id, cjson.encode({ c = g, a = fmt(now), e = ARGV[11], r = run, m = ARGV[12] }))
redis.call('ZADD', LEASE, ARGV[11], id)
redis.call('HINCRBYFLOAT', M, 'reserved', g)
redis.call('HINCRBYFLOAT', RUNRES, run, g)
redis.call('HINCRBY', M, 'seq', 1)
return { 1, '', g }
`;

/** ARGV: epoch, id, credits, now, model ('' = the reservation's), possiblyBilled ('1'/'0'). */
export const SETTLE = `${COMMON}${EPOCH_CHECK}
local id, credits, now = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local model, possibly = ARGV[5], ARGV[6] == '1'
prune(now)
expire_due(now, 100)
local run = 'unknown'
local v = redis.call('HGET', RES, id)
if v then
  local r = cjson.decode(v)
  if credits < 0 then return redis.error_reply('LOOPGUARD_NEGATIVE') end
  drop(id, r)
  run = r.r
  if model == '' then model = r.m end
else
  local e = redis.call('HGET', EXPIRED, id)
  if e then
    local x = cjson.decode(e)
    undo_expired(id, x)
    run = x.r
    if model == '' then model = x.m end
  end
end
if model == '' then model = 'unknown' end
redis.call('HINCRBY', M, 'seq', 1)
spend(now, credits, run, model, possibly, 1)
return 1
`;

/** ARGV: epoch, id. */
export const RELEASE = `${COMMON}${EPOCH_CHECK}
local id = ARGV[2]
local v = redis.call('HGET', RES, id)
if v then
  drop(id, cjson.decode(v))
else
  local e = redis.call('HGET', EXPIRED, id)
  if e then undo_expired(id, cjson.decode(e)) end
end
redis.call('HINCRBY', M, 'seq', 1)
return 1
`;

/**
 * ARGV: epoch, now, withReport ('1'/'0'). Expires due leases, then returns
 * { spent, reserved, possibly, hourly, daily, outstanding, expired, runs (flat), cells (flat), reservations }.
 */
export const TOTALS = `${COMMON}${EPOCH_CHECK}
local now = tonumber(ARGV[2])
prune(now)
expire_due(now, 1000000)
local t = redis.call('HMGET', M, 'spent', 'reserved', 'possibly')
local hourly = move(HOUR, 'hourEdge', 'hourSum', now)
local daily = move(DAY, 'dayEdge', 'daySum', now)
local cells, reservations = {}, {}
if ARGV[3] == '1' then
  cells = redis.call('HGETALL', CELLS)
  reservations = redis.call('HVALS', RES)
end
return {
  t[1] or '0', t[2] or '0', t[3] or '0', fmt(hourly), fmt(daily), redis.call('HLEN', RES), redis.call('HLEN', EXPIRED),
  redis.call('HGETALL', RUNS), cells, reservations
}
`;
