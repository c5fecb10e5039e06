/**
 * The Lua scripts of `redisStore`: each fenced write checks the run's lease (owner, token, not expired) and
 * writes in one step, so a process that lost its lease can never write after the new owner did.
 * @module
 */

const CHECK = `
local current = redis.call('GET', KEYS[1])
if not current then return 'lease_lost' end
local lease = cjson.decode(current)
if lease.owner ~= ARGV[1] or tostring(lease.token) ~= ARGV[2] or tonumber(lease.expiresAt) <= tonumber(ARGV[3]) then
  return 'lease_lost'
end
`;

/** KEYS: lease, journal. ARGV: owner, token, now, entry JSON. */
export const APPEND = `${CHECK}
redis.call('RPUSH', KEYS[2], ARGV[4])
return 'ok'`;

/** KEYS: lease, run. ARGV: owner, token, now, record JSON. */
export const SET_RECORD = `${CHECK}
redis.call('SET', KEYS[2], ARGV[4])
return 'ok'`;

/** KEYS: lease, checkpoints hash. ARGV: owner, token, now, name, value JSON. */
export const SET_CHECKPOINT = `${CHECK}
redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
return 'ok'`;

/** KEYS: lease, run. ARGV: runId, owner, ttl, now. Returns the new lease JSON, 'held', or 'missing'. */
export const ACQUIRE = `
if redis.call('EXISTS', KEYS[2]) == 0 then return 'missing' end
local now = tonumber(ARGV[4])
local token = 1
local current = redis.call('GET', KEYS[1])
if current then
  local lease = cjson.decode(current)
  local live = tonumber(lease.expiresAt) > now
  if lease.owner ~= ARGV[2] and live then return 'held' end
  if lease.owner == ARGV[2] and live then token = tonumber(lease.token) else token = tonumber(lease.token) + 1 end
end
local lease = cjson.encode({ runId = ARGV[1], owner = ARGV[2], token = token, expiresAt = now + tonumber(ARGV[3]) })
redis.call('SET', KEYS[1], lease)
return lease`;

/** KEYS: lease. ARGV: owner, token. */
export const RELEASE = `
local current = redis.call('GET', KEYS[1])
if not current then return 'ok' end
local lease = cjson.decode(current)
if lease.owner == ARGV[1] and tostring(lease.token) == ARGV[2] then
  lease.expiresAt = 0
  redis.call('SET', KEYS[1], cjson.encode(lease))
end
return 'ok'`;
