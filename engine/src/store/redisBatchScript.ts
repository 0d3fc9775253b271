import type { StoreWrite } from './Store.js';
import { ttlMillis } from './storeValidation.js';

/**
 * A batch as one Lua script: Redis runs a script atomically, so the type check and the writes need no WATCH and the
 * whole batch is one round trip. WATCH + TYPE + MULTI/EXEC cost three (9.7 ms per batch against 7.1 ms for EVAL with
 * AOF fsync always on this machine, where one fsync is ~7 ms), and WATCH serialises batches on a connection, so a
 * second batch could not be sent while the first waited for its fsync; scripts on one connection run in the order
 * sent, and the writes of pipelined scripts share one fsync.
 *
 * `#!lua` (no flags) declares a writing script, so Redis refuses it before it starts when it is out of memory instead
 * of failing half-way (scripts are not rolled back). The type rules are the ones MemoryStore applies: `set`/`del`
 * retype a key, `hset`/`hdel` need a hash or nothing, `rpush` a list or nothing, `zadd`/`zrem` a sorted set or nothing, judged against the state the batch
 * itself builds up; `expect` preconditions are checked first, against the state before the batch. Arguments are passed in chunks because Lua 5.1's unpack is limited to about 8,000 values.
 *
 * ARGV encodes the ops in order as `code, keyIndex, count, args...` with KEYS holding the distinct keys.
 */
export const BATCH_SCRIPT = `#!lua
local types = {}
local function current(i)
  if types[i] == nil then
    local t = redis.call('TYPE', KEYS[i]).ok
    if t == 'none' then t = false end
    types[i] = t
  end
  return types[i]
end
local ops = {}
local p = 1
while p <= #ARGV do
  local n = tonumber(ARGV[p + 2])
  ops[#ops + 1] = { ARGV[p], tonumber(ARGV[p + 1]), p + 3, n }
  p = p + 3 + n
end
for _, op in ipairs(ops) do
  if op[1] == 'expect' then
    local key = KEYS[op[2]]
    local t = redis.call('TYPE', key).ok
    local held = false
    if t == 'string' then held = redis.call('GET', key) elseif t ~= 'none' then held = nil end
    local wanted = false
    if op[4] == 1 then wanted = ARGV[op[3]] end
    if held ~= wanted then return redis.error_reply('AICLOUDOPS_CHANGED ' .. op[2]) end
  end
end
for _, op in ipairs(ops) do
  local code, ki = op[1], op[2]
  if code == 'expect' then
    -- checked above, against the state before the batch
  elseif code == 'del' then
    types[ki] = false
  elseif code == 'set' then
    types[ki] = 'string'
  else
    local wanted = 'hash'
    if code == 'rpush' then wanted = 'list' end
    if code == 'zadd' or code == 'zrem' then wanted = 'zset' end
    local t = current(ki)
    if t and t ~= wanted then
      return redis.error_reply('AICLOUDOPS_WRONGTYPE ' .. ki .. ' ' .. t .. ' ' .. wanted)
    end
    if code ~= 'hdel' and code ~= 'zrem' then types[ki] = wanted end
  end
end
local CHUNK = 4000
local function chunked(command, key, from, n)
  local i = 0
  while i < n do
    local m = math.min(CHUNK, n - i)
    redis.call(command, key, unpack(ARGV, from + i, from + i + m - 1))
    i = i + m
  end
end
for _, op in ipairs(ops) do
  local code, key, from, n = op[1], KEYS[op[2]], op[3], op[4]
  if code == 'set' then
    if ARGV[from + 1] == '' then
      redis.call('SET', key, ARGV[from])
    else
      redis.call('SET', key, ARGV[from], 'PX', ARGV[from + 1])
    end
  elseif code == 'del' then
    redis.call('DEL', key)
  elseif code == 'hset' then
    chunked('HSET', key, from, n)
  elseif code == 'hdel' then
    chunked('HDEL', key, from, n)
  elseif code == 'rpush' then
    chunked('RPUSH', key, from, n)
  elseif code == 'zadd' then
    -- ARGV holds score, member pairs (every score 0); CHUNK is even, so no pair is split.
    chunked('ZADD', key, from, n)
  elseif code == 'zrem' then
    chunked('ZREM', key, from, n)
  end
end
return #ops
`;

/** The script's KEYS (prefixed, distinct, in first-use order) and ARGV for a batch; empty writes are left out. */
export function encodeBatch(
  ops: StoreWrite[],
  prefixed: (key: string) => string,
): { keys: string[]; logicalKeys: string[]; args: Array<string | Buffer> } {
  const index = new Map<string, number>();
  const logicalKeys: string[] = [];
  const args: Array<string | Buffer> = [];
  const keyIndex = (key: string) => {
    let i = index.get(key);
    if (i === undefined) {
      logicalKeys.push(key);
      index.set(key, (i = logicalKeys.length));
    }
    return String(i);
  };
  for (const op of ops) {
    switch (op.op) {
      case 'set':
      case 'setBuffer': {
        const ttl = ttlMillis(op.ttlSeconds);
        args.push('set', keyIndex(op.key), '2', op.value, ttl === undefined ? '' : String(ttl));
        break;
      }
      case 'del':
        args.push('del', keyIndex(op.key), '0');
        break;
      case 'expect':
        args.push('expect', keyIndex(op.key), ...(op.value === null ? ['0'] : ['1', op.value]));
        break;
      case 'hset': {
        const entries = Object.entries(op.fields);
        if (entries.length > 0)
          args.push('hset', keyIndex(op.key), String(entries.length * 2), ...entries.flat());
        break;
      }
      case 'hdel':
        if (op.fields.length > 0) args.push('hdel', keyIndex(op.key), String(op.fields.length), ...op.fields);
        break;
      case 'rpush':
        if (op.values.length > 0)
          args.push('rpush', keyIndex(op.key), String(op.values.length), ...op.values);
        break;
      case 'zadd':
        if (op.members.length > 0) {
          args.push(
            'zadd',
            keyIndex(op.key),
            String(op.members.length * 2),
            ...op.members.flatMap((m) => ['0', m]),
          );
        }
        break;
      case 'zrem':
        if (op.members.length > 0)
          args.push('zrem', keyIndex(op.key), String(op.members.length), ...op.members);
        break;
    }
  }
  return { keys: logicalKeys.map(prefixed), logicalKeys, args };
}

/** The key whose expected value did not hold, from the script's error reply. */
export function parseChanged(message: string, logicalKeys: string[]): string | undefined {
  const match = /AICLOUDOPS_CHANGED (\d+)/.exec(message);
  return match ? (logicalKeys[Number(match[1]) - 1] ?? '?') : undefined;
}

/** The key, its type and the wanted type of a refused batch, from the script's error reply. */
export function parseWrongType(
  message: string,
  logicalKeys: string[],
): { key: string; holds: string; wanted: string } | undefined {
  const match = /AICLOUDOPS_WRONGTYPE (\d+) (\S+) (\S+)/.exec(message);
  if (!match) return undefined;
  return { key: logicalKeys[Number(match[1]) - 1] ?? '?', holds: match[2]!, wanted: match[3]! };
}
