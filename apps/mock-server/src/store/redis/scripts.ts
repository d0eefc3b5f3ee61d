/**
 * The store's atomic operations as Lua scripts: each runs alone on the Redis server, so an
 * operation that must happen once (end a task, reserve a balance, claim an idempotency key) does,
 * whatever instance calls it. Keys are computed from the prefix in some scripts (eviction), so
 * the store needs one Redis server, not a cluster.
 */
/**
 * Adds an item (a hash) to an owned log unless its id exists: the owner's sorted set orders it
 * by a global sequence (newest-first pages), the order list evicts the oldest beyond capacity.
 * Returns 1 when added, 0 when the id was there.
 */
const LOG_ADD = `
local function logAdd(item, ownerSet, order, seq, unended, id, capacity, itemPrefix, ownerPrefix, markUnended, fields)
  if redis.call('EXISTS', item) == 1 then return 0 end
  redis.call('HSET', item, unpack(fields))
  redis.call('ZADD', ownerSet, redis.call('INCR', seq), id)
  redis.call('RPUSH', order, id)
  if markUnended then redis.call('SADD', unended, id) end
  while redis.call('LLEN', order) > capacity do
    local old = redis.call('LPOP', order)
    local oldKey = itemPrefix .. old
    local owner = redis.call('HGET', oldKey, 'owner')
    redis.call('DEL', oldKey)
    if owner then redis.call('ZREM', ownerPrefix .. owner, old) end
    redis.call('SREM', unended, old)
  end
  return 1
end`;

/** Gives `micros` back to an owner that has a balance (keys without one have no limit). */
const REFUND = `
local function refund(balances, owner, micros)
  if redis.call('HEXISTS', balances, owner) == 1 then
    redis.call('HINCRBY', balances, owner, micros)
  end
end`;

export const SCRIPTS = {
  /**
   * Adds an item (a hash) to an owned log unless its id exists: the owner's sorted set orders it
   * by a global sequence (newest-first pages), the order list evicts the oldest beyond capacity.
   * KEYS: item, owner set, order list, sequence, unended set. ARGV: id, capacity, item key
   * prefix, owner set prefix, '1' to mark it unended, then field/value pairs.
   */
  logAdd: {
    numberOfKeys: 5,
    lua: `${LOG_ADD}
return logAdd(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5] == '1', { unpack(ARGV, 6) })`,
  },
  /** A newest-first page: the total, then each item's fields. KEYS: owner set. ARGV: start, stop, item key prefix. */
  logPage: {
    numberOfKeys: 1,
    lua: `
local out = { redis.call('ZCARD', KEYS[1]) }
for _, id in ipairs(redis.call('ZREVRANGE', KEYS[1], ARGV[1], ARGV[2])) do
  out[#out + 1] = redis.call('HGETALL', ARGV[3] .. id)
end
return out`,
  },
  /**
   * Every owner's items, newest first, as `logPage` answers (the total, then each item's fields),
   * optionally only some owners'. With owners, one pass over the order list (at most the store's
   * capacity), in chunks. KEYS: order list. ARGV: start, stop, item key prefix, then the owners.
   */
  logBrowse: {
    numberOfKeys: 1,
    lua: `
local start, stop, prefix = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local len = redis.call('LLEN', KEYS[1])
local out = { len }
if #ARGV == 3 then
  if start < len then
    local ids = redis.call('LRANGE', KEYS[1], math.max(0, len - 1 - stop), len - 1 - start)
    for i = #ids, 1, -1 do out[#out + 1] = redis.call('HGETALL', prefix .. ids[i]) end
  end
  return out
end
local owners = {}
for i = 4, #ARGV do owners[ARGV[i]] = true end
local total, page = 0, {}
local hi = len - 1
while hi >= 0 do
  local lo = math.max(0, hi - 499)
  local ids = redis.call('LRANGE', KEYS[1], lo, hi)
  for i = #ids, 1, -1 do
    if owners[redis.call('HGET', prefix .. ids[i], 'owner')] then
      if total >= start and total <= stop then page[#page + 1] = ids[i] end
      total = total + 1
    end
  end
  hi = lo - 1
end
out[1] = total
for _, id in ipairs(page) do out[#out + 1] = redis.call('HGETALL', prefix .. id) end
return out`,
  },
  /**
   * What each task's status follows from, newest first, optionally only some owners' tasks: five
   * lines a task (one string, which is quick to carry): its id, startsAt, endsAt, failure and
   * ended (empty while it has not ended). None holds a line break (the JSON ones escape theirs). The status itself is
   * the engine's `settledStatusAt`, applied to these in TypeScript: the rule lives in one place.
   * One pass over the order list (at most the store's capacity), in chunks.
   * KEYS: order list. ARGV: item key prefix, then the owners (none: every owner's).
   */
  taskTimes: {
    numberOfKeys: 1,
    lua: `
local prefix = ARGV[1]
local owners = nil
if #ARGV > 1 then
  owners = {}
  for i = 2, #ARGV do owners[ARGV[i]] = true end
end
local out = {}
local hi = redis.call('LLEN', KEYS[1]) - 1
while hi >= 0 do
  local lo = math.max(0, hi - 499)
  local ids = redis.call('LRANGE', KEYS[1], lo, hi)
  for i = #ids, 1, -1 do
    local f = redis.call('HMGET', prefix .. ids[i], 'owner', 'startsAt', 'endsAt', 'failure', 'ended')
    if f[1] and (not owners or owners[f[1]]) then
      out[#out + 1] = ids[i]
      out[#out + 1] = f[2]
      out[#out + 1] = f[3]
      out[#out + 1] = f[4]
      out[#out + 1] = f[5] or ''
    end
  end
  hi = lo - 1
end
return table.concat(out, '\\n')`,
  },
  /**
   * Ends a task once, with its effects in the same step: the usage entry of a completed task
   * (added as `logAdd` adds), the refund of a failed one's price (as `balanceRefund`), its webhook
   * delivery (kept like the others, the oldest evicted beyond capacity). Either all of it happens
   * or none (a task already ended: nothing).
   * KEYS: task, task unended set, usage item, usage owner set, usage order, usage seq, usage
   * unended set, balances, delivery, delivery order, deliveries pending.
   * ARGV: id, ended JSON, endsAt, failure JSON, capacity, then the refund (owner, micros — or two
   * ''), the delivery (id, JSON, key prefix — or three ''), the usage entry (id, its item key
   * prefix, owner set prefix, then its field/value pairs — or one '').
   */
  taskEnd: {
    numberOfKeys: 11,
    lua: `${LOG_ADD}
${REFUND}
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'ended') == 1 then return false end
redis.call('HSET', KEYS[1], 'ended', ARGV[2], 'endsAt', ARGV[3], 'failure', ARGV[4])
redis.call('HDEL', KEYS[1], 'pollsLeft')
redis.call('SREM', KEYS[2], ARGV[1])
local capacity = tonumber(ARGV[5])
if ARGV[6] ~= '' then refund(KEYS[8], ARGV[6], ARGV[7]) end
if ARGV[8] ~= '' then
  redis.call('SET', KEYS[9], ARGV[9])
  redis.call('RPUSH', KEYS[10], ARGV[8])
  redis.call('SADD', KEYS[11], ARGV[8])
  while redis.call('LLEN', KEYS[10]) > capacity do
    local old = redis.call('LPOP', KEYS[10])
    redis.call('DEL', ARGV[10] .. old)
    redis.call('SREM', KEYS[11], old)
  end
end
if ARGV[11] ~= '' then
  logAdd(KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], ARGV[11], capacity, ARGV[12], ARGV[13], false, { unpack(ARGV, 14) })
end
return redis.call('HGETALL', KEYS[1])`,
  },
  /** Counts a poll of a task waiting for polls; the first starts it. KEYS: task. ARGV: now. */
  taskPoll: {
    numberOfKeys: 1,
    lua: `
if redis.call('HEXISTS', KEYS[1], 'ended') == 0 and redis.call('HEXISTS', KEYS[1], 'pollsLeft') == 1 then
  if redis.call('HGET', KEYS[1], 'startsAt') == 'Infinity' then
    redis.call('HSET', KEYS[1], 'startsAt', ARGV[1])
  end
  redis.call('HINCRBY', KEYS[1], 'pollsLeft', -1)
end
return redis.call('HGETALL', KEYS[1])`,
  },
  /** Takes `micros` when the owner has a balance that covers it. KEYS: balances. ARGV: owner, micros. */
  balanceReserve: {
    numberOfKeys: 1,
    lua: `
local balance = redis.call('HGET', KEYS[1], ARGV[1])
if not balance then return { 1 } end
if tonumber(balance) < tonumber(ARGV[2]) then return { 0, balance } end
redis.call('HINCRBY', KEYS[1], ARGV[1], -tonumber(ARGV[2]))
return { 1 }`,
  },
  /** Gives `micros` back to an owner that has a balance. KEYS: balances. ARGV: owner, micros. */
  balanceRefund: {
    numberOfKeys: 1,
    lua: `${REFUND}
refund(KEYS[1], ARGV[1], ARGV[2])
return 1`,
  },
  /** Stores an answer unless one is there; returns the existing one. KEYS: answer. ARGV: JSON, ttl ms. */
  claim: {
    numberOfKeys: 1,
    lua: `
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`,
  },
  /**
   * Compare-and-set of a delivery that still exists (reset may have forgotten it): writes the new
   * JSON only if the stored one is still the expected one. KEYS: delivery, pending set. ARGV: id,
   * expected JSON, new JSON, '1' when pending.
   */
  deliveryReplace: {
    numberOfKeys: 2,
    lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[3])
if ARGV[4] == '1' then redis.call('SADD', KEYS[2], ARGV[1]) else redis.call('SREM', KEYS[2], ARGV[1]) end
return 1`,
  },
  /**
   * Counts a request key's header-fault uses, keeping at most `cap` keys (the oldest forgotten).
   * KEYS: counts hash, order list. ARGV: key, cap.
   */
  faultCount: {
    numberOfKeys: 2,
    lua: `
local count = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
if count == 1 then
  redis.call('RPUSH', KEYS[2], ARGV[1])
  while redis.call('LLEN', KEYS[2]) > tonumber(ARGV[2]) do
    redis.call('HDEL', KEYS[1], redis.call('LPOP', KEYS[2]))
  end
end
return count`,
  },
  /**
   * Takes one use of the fault at `index` if it is still `expected` (another instance may have
   * taken it): returns the fault as taken, or false. KEYS: fault list. ARGV: index, expected,
   * taken, '1' when this was its last use.
   */
  faultTake: {
    numberOfKeys: 1,
    lua: `
local index = tonumber(ARGV[1])
if redis.call('LINDEX', KEYS[1], index) ~= ARGV[2] then return false end
if ARGV[4] == '1' then
  redis.call('LSET', KEYS[1], index, '\\0')
  redis.call('LREM', KEYS[1], 1, '\\0')
else
  redis.call('LSET', KEYS[1], index, ARGV[3])
end
return ARGV[3]`,
  },
} as const;

export type ScriptName = keyof typeof SCRIPTS;
