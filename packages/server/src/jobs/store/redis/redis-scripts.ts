import type { Redis } from 'ioredis';
import { LUA_PRELUDE } from './redis-lua-prelude.js';
import { TIME_DIGITS } from './redis-keys.js';

/**
 * The scripts of the Redis store: each write is one script, so it is atomic, ordered with every other
 * write of every process, and records, indexes and publishes its event in the same step. Writes carry
 * a write id (`wid`): when ioredis resends a script whose answer was lost in a disconnect, the script
 * recognises its own write and answers `replay` instead of applying it twice.
 *
 * A write answers `{ status, stream id of its last event or '', payload… }`.
 */
const SCRIPTS = {
  // ARGV: 4 wid, 5 row fields (JSON object of strings), 6 state event data, 7 at, 8 since, 9 idempotency
  // index or '', 10 '1' when the id was minted for this job (NewJob.minted_id) or '', 11 and 12
  // (optional): a process id and a message for it, published with the event (NewJob.handover)
  ocjCreate: `
local f = cjson.decode(ARGV[5])
local id = f.command_id
local k = J(id)
local rk = ARGV[9]
local entries = members(f, id, false)
if ARGV[10] == '1' and rk == '' then
  -- A minted id is in no other job, so the index entries (\`i:<id>\` among them) are new unless this
  -- very script ran before (ioredis resent it): adding them is the check, and the hash is not read.
  -- Should the id be stored already after all, the create is refused as any duplicate.
  if zadd(entries, true) < #entries then
    if unadd(entries, id, f) then return { 'replay', '' } end
    return { 'duplicate', '' }
  end
else
  local h = redis.call('HMGET', k, '_w', 'state')
  if h[1] == ARGV[4] then return { 'replay', '' } end
  if rk ~= '' then
    local original = find_original(rk, ARGV[8], f.batch_id or false)
    if original then return { 'original', '', load(original) } end
  end
  if h[2] then return { 'duplicate', '' } end
  zadd(entries)
end
f.event_seq = '1'
local ev = event_json(1, f._j, 'state', ARGV[6], ARGV[7])
if f.state == 'running' and MAXEV >= 2 then
  f._e1 = ev
else
  redis.call('RPUSH', k .. ':events', ev)
end
local args = {}
for name, value in pairs(f) do
  args[#args + 1] = name
  args[#args + 1] = value
end
redis.call('HSET', k, unpack(args))
if rk ~= '' then idem_add(rk, f.batch_id or false, f._m) end
local sid = emit(ev, ARGV[11] and ('>' .. ARGV[11] .. ' ' .. ARGV[12]) or false)
return { 'created', sid }
`,
  // ARGV: 4 wid, 5 id, 6 to, 7 now, 8 at, 9 state event data, 10.. field/value pairs
  ocjTransition: `
local fields = {}
for i = 10, #ARGV do fields[#fields + 1] = ARGV[i] end
local status, x, row = move(ARGV[5], ARGV[6], ARGV[4], fields, ARGV[7], ARGV[9], ARGV[8])
if status == 'missing' then return { 'missing', '' } end
if status == 'conflict' then return { 'conflict', '', x } end
if status == 'replay' then return { 'replay', '', load(ARGV[5]) } end
return { 'ok', x, row }
`,
  // ARGV: 4 wid, 5 now, 6 at, 7 how many at most, 8 state event data, 9.. field/value pairs
  ocjExpire: `
local fields = {}
for i = 9, #ARGV do fields[#fields + 1] = ARGV[i] end
-- Every expiry up to now: its time, then ':' (byte 58, above every digit).
local due = redis.call('ZRANGE', IX, low(EXPIRYP), '(' .. EXPIRYP .. pad(ARGV[5]) .. ';', 'BYLEX', 'LIMIT', 0, tonumber(ARGV[7]))
local out = {}
local last = ''
for _, member in ipairs(due) do
  local id = string.sub(member, #EXPIRYP + ${TIME_DIGITS} + 2)
  local status, sid, row = move(id, 'expired', ARGV[4], fields, ARGV[5], ARGV[8], ARGV[6])
  if status == 'ok' then
    out[#out + 1] = row
    last = sid
  else
    redis.call('ZREM', IX, member)
  end
end
return { 'ok', last, #due, out }
`,
  // ARGV: 4 wid, 5 id, 6 progress or '', 7 message as JSON or '', 8 at
  ocjProgress: `
local k = J(ARGV[5])
local h = redis.call('HMGET', k, 'state', '_w', 'event_seq', '_j', 'progress', 'message', '_e1', '_e2')
if h[1] ~= 'running' then return { 'ignored', '' } end
if h[2] == ARGV[4] then return { 'replay', '', redis.call('LINDEX', k .. ':events', -1) } end
local set = { '_w', ARGV[4] }
local progress, message = h[5], h[6]
if ARGV[6] ~= '' then
  progress = ARGV[6]
  set[#set + 1] = 'progress'
  set[#set + 1] = progress
end
if ARGV[7] ~= '' then
  message = ARGV[7]
  set[#set + 1] = 'message'
  set[#set + 1] = message
end
local data = '{"progress":' .. (progress or 'null') .. ',"message":' .. (message or 'null') .. '}'
local sid, ev = write_event(k, h[3], h[4], h[7], h[8], set, 'progress', data, ARGV[8])
return { 'ok', sid, ev }
`,
  // ARGV: 4 wid, 5 id, 6 at, 7 tail length, 8 log event data, 9.. lines
  ocjLog: `
local k = J(ARGV[5])
local h = redis.call('HMGET', k, 'state', '_w', 'event_seq', '_j', '_e1', '_e2')
if not h[1] or not LIVE[h[1]] then return { 'ignored', '' } end
if h[2] == ARGV[4] then return { 'replay', '', redis.call('LINDEX', k .. ':events', -1) } end
redis.call('RPUSH', k .. ':log', unpack(ARGV, 9))
redis.call('LTRIM', k .. ':log', -tonumber(ARGV[7]), -1)
local sid, ev = write_event(k, h[3], h[4], h[5], h[6], { '_w', ARGV[4] }, 'log', ARGV[8], ARGV[6])
return { 'ok', sid, ev }
`,
  // ARGV: 4 wid, 5 id, 6 type, 7 data, 8 at
  ocjEvent: `
local k = J(ARGV[5])
local h = redis.call('HMGET', k, 'state', '_w', 'event_seq', '_j', '_e1', '_e2')
if not h[1] then return { 'missing', '' } end
if h[2] == ARGV[4] then return { 'replay', '', redis.call('LINDEX', k .. ':events', -1) } end
local sid, ev = write_event(k, h[3], h[4], h[5], h[6], { '_w', ARGV[4] }, ARGV[6], ARGV[7], ARGV[8])
return { 'ok', sid, ev }
`,
  // ARGV: 4 id
  ocjGet: `
return load(ARGV[4]) or {}
`,
  // ARGV: 4 id, 5 after seq, 6 limit
  ocjEvents: `
local k = J(ARGV[4])
local limit = tonumber(ARGV[6])
local h = redis.call('HMGET', k, 'event_seq', '_e1', '_e2')
if not h[1] or limit <= 0 then return {} end
if implied(h[2]) then
  local out = {}
  for seq, ev in ipairs({ h[2], implied(h[3]) and h[3] or nil }) do
    if seq > tonumber(ARGV[5]) and #out < limit then out[#out + 1] = ev end
  end
  return out
end
local n = redis.call('LLEN', k .. ':events')
if n == 0 then return {} end
local first = tonumber(h[1]) - n + 1
local start = math.max(0, tonumber(ARGV[5]) - first + 1)
if start >= n then return {} end
return redis.call('LRANGE', k .. ':events', start, start + limit - 1)
`,
  // ARGV: 4 how many, 5 after member or '', 6 node, 7 action, 8 batch, 9 requester ('=' + value, or ''), 10 states CSV or ''
  ocjList: `
local want = tonumber(ARGV[4])
local eq = {}
local best, bestSize
local function consider(prefixes)
  local size = 0
  for _, p in ipairs(prefixes) do size = size + redis.call('ZLEXCOUNT', IX, low(p), high(p)) end
  if not best or size < bestSize then best, bestSize = prefixes, size end
end
for i, spec in ipairs({ { 'node_id', 'n' }, { 'action', 'a' }, { 'batch_id', 'b' }, { 'requested_by', 'r' } }) do
  local v = ARGV[5 + i]
  if v ~= '' then
    eq[spec[1]] = string.sub(v, 2)
    consider({ pre(spec[2], eq[spec[1]]) })
  end
end
local states
if ARGV[10] ~= '' then
  states = {}
  local prefixes = {}
  for s in string.gmatch(ARGV[10], '[^,]+') do
    states[s] = true
    prefixes[#prefixes + 1] = pre('s', s)
  end
  consider(prefixes)
end
if not best then best = { ALLP } end
local CHUNK = math.max(want, 64)
local sources = {}
for i, p in ipairs(best) do
  sources[i] = { p = p, buf = {}, pos = 1, done = false, hi = ARGV[5] == '' and high(p) or '(' .. p .. ARGV[5] }
end
local function head(s)
  if s.pos > #s.buf then
    if s.done then return nil end
    s.buf = range_rev(s.p, s.hi, low(s.p), CHUNK)
    s.pos = 1
    if #s.buf < CHUNK then s.done = true end
    if #s.buf == 0 then return nil end
    s.hi = '(' .. s.p .. s.buf[#s.buf]
  end
  return s.buf[s.pos]
end
local out = {}
while #out < want do
  local pick, top
  for _, s in ipairs(sources) do
    local m = head(s)
    if m and (not top or before(top, m)) then pick, top = s, m end
  end
  if not pick then break end
  pick.pos = pick.pos + 1
  local id = idof(top)
  local h = redis.call('HMGET', J(id), 'node_id', 'action', 'batch_id', 'requested_by', 'state')
  local ok = h[5] and (not states or states[h[5]])
  for i, field in ipairs({ 'node_id', 'action', 'batch_id', 'requested_by' }) do
    if ok and eq[field] and h[i] ~= eq[field] then ok = false end
  end
  if ok then out[#out + 1] = load(id) end
end
return out
`,
  // ARGV: 4 idempotency index, 5 since (time bound)
  ocjFindByKey: `
local id = find_original(ARGV[4], ARGV[5], false)
return id and load(id) or {}
`,
  // ARGV: 4 node, 5 now
  ocjWaiting: `
local out = {}
local p = pre('w', ARGV[4])
local waiting = redis.call('ZRANGE', IX, low(p), high(p), 'BYLEX')
for _, x in ipairs(waiting) do
  local m = string.sub(x, #p + 1)
  local id = idof(m)
  local h = redis.call('HMGET', J(id), 'state', 'expires_ms')
  if h[1] == 'queued' and h[2] and tonumber(h[2]) > tonumber(ARGV[5]) then out[#out + 1] = load(id) end
end
return out
`,
  // ARGV: 4 finished before (ms, 16 digits), 5 how many at most
  ocjPurgeAge: `
local due = redis.call('ZRANGE', IX, low(FINISHEDP), '(' .. FINISHEDP .. ARGV[4], 'BYLEX', 'LIMIT', 0, tonumber(ARGV[5]))
for _, member in ipairs(due) do drop(string.sub(member, #FINISHEDP + ${TIME_DIGITS} + 2)) end
return #due
`,
  // ARGV: 4 jobs to keep, 5 how many at most
  ocjPurgeCount: `
local excess = redis.call('ZLEXCOUNT', IX, low(ALLP), high(ALLP)) - tonumber(ARGV[4])
if excess <= 0 then return 0 end
local members = redis.call('ZRANGE', IX, low(ENDEDP), high(ENDEDP), 'BYLEX', 'LIMIT', 0, math.min(excess, tonumber(ARGV[5])))
for _, m in ipairs(members) do drop(idof(string.sub(m, #ENDEDP + 1))) end
return #members
`,
  // ARGV: 4 how many at most. Moves jobs indexed by an earlier build (a zset per index) into the
  // index set, oldest first; answers how many it moved.
  ocjMigrateIndexes: `
local OLD = P .. 'jobs'
if redis.call('TYPE', OLD).ok ~= 'zset' then return 0 end
local function old(name, value) return P .. 'jobs:' .. name .. ':' .. value end
local moved = redis.call('ZRANGE', OLD, 0, tonumber(ARGV[4]) - 1)
for _, m in ipairs(moved) do
  local id = idof(m)
  local v = redis.call('HMGET', J(id), 'node_id', 'state', 'action', 'batch_id', 'requested_by', 'expires_ms', 'finished_ms')
  if v[2] then
    local h = { _m = m, node_id = v[1], state = v[2], action = v[3], batch_id = v[4], requested_by = v[5], expires_ms = v[6], finished_ms = v[7] }
    zadd(members(h, id, false))
    redis.call('ZREM', old('node', v[1]), m)
    redis.call('ZREM', old('state', v[2]), m)
    redis.call('ZREM', old('action', v[3]), m)
    redis.call('ZREM', old('waiting', v[1]), m)
    if v[4] then redis.call('ZREM', old('batch', v[4]), m) end
    if v[5] then redis.call('ZREM', old('by', v[5]), m) end
  end
  redis.call('ZREM', P .. 'jobs:ended', m)
  redis.call('ZREM', P .. 'jobs:finished', id)
  redis.call('ZREM', P .. 'jobs:expiry', id)
  redis.call('ZREM', OLD, m)
end
return #moved
`,
} as const;

/** The name of one store script. */
export type JobScriptName = keyof typeof SCRIPTS;

/** A script as a client method: the common arguments first, then the script's own. */
export type JobScript = (...args: (string | number)[]) => Promise<unknown>;

/** Define every script on a client as a command (EVALSHA, falling back to EVAL once per connection). */
export function defineJobScripts(client: Redis): Record<JobScriptName, JobScript> {
  const out = {} as Record<JobScriptName, JobScript>;
  for (const [name, body] of Object.entries(SCRIPTS) as [JobScriptName, string][]) {
    client.defineCommand(name, { numberOfKeys: 0, lua: LUA_PRELUDE + body });
    const method = (client as unknown as Record<string, JobScript>)[name]!;
    out[name] = method.bind(client);
  }
  return out;
}
