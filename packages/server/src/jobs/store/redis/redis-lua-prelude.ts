import {
  DROPPED_PARAMS,
  JOB_STATES,
  JOB_TRANSITIONS,
  NEVER_SENT_END_STATES,
  isTerminal,
} from '../../job-model.js';
import { INDEX_PREFIX, MEMBER_ID_OFFSET, TIME_DIGITS } from './redis-keys.js';

/** `{ a = true, b = true }`: a Lua set of state names. */
function luaSet(states: readonly string[]): string {
  return `{ ${states.map((s) => `['${s}'] = true`).join(', ')} }`;
}

// The legal moves, written into every script from JOB_TRANSITIONS: the check runs inside the script,
// atomically with the write, whichever process calls it.
const TRANSITIONS = `{ ${JOB_STATES.map((from) => `['${from}'] = ${luaSet(JOB_TRANSITIONS[from])}`).join(', ')} }`;
const LIVE = luaSet(JOB_STATES.filter((s) => !isTerminal(s)));
const NEVER_SENT = luaSet(NEVER_SENT_END_STATES);
/** An ended job larger than this (a big result) is not published: waiting processes read it back. */
export const ENDED_ROW_MAX_BYTES = 64 * 1024;

// A Lua long string: the marker's JSON holds no `]]`.
const DROPPED = `[[${JSON.stringify(DROPPED_PARAMS)}]]`;

/**
 * Shared by every script. ARGV[1] is the key prefix, ARGV[2] maxEventsPerJob, ARGV[3] the length of
 * the event stream; a script's own arguments start at ARGV[4] (the write id, for a write). Keys are built from the prefix (see
 * redis-keys.ts), so the store needs one Redis (or a primary with replicas), not Redis Cluster.
 * Strings are compared byte by byte (`before`), never with `<`, which uses the server's locale.
 */
export const LUA_PRELUDE = `
local P = ARGV[1]
local MAXEV = tonumber(ARGV[2])
local BACKLOG = ARGV[3]
local TRANSITIONS = ${TRANSITIONS}
local LIVE = ${LIVE}
local NEVER_SENT = ${NEVER_SENT}
local DROPPED = ${DROPPED}
local IX = P .. 'jobs:index'
local ENDED_ROW_MAX = ${ENDED_ROW_MAX_BYTES}

local function J(id) return P .. 'job:' .. id end
local function idof(member) return string.sub(member, ${MEMBER_ID_OFFSET}) end

-- The one sorted set of every list index (redis-keys.ts): a member is an index's prefix then the
-- job's member (or, for the time-ordered ones, its time and id). A prefix with a value carries the
-- value's length, so no prefix is the start of another.
local function pre(tag, value) return tag .. #value .. ':' .. value .. ':' end
local ALLP, ENDEDP, FINISHEDP, EXPIRYP, IDP = '${INDEX_PREFIX.all}', '${INDEX_PREFIX.ended}', '${INDEX_PREFIX.finished}', '${INDEX_PREFIX.expiry}', '${INDEX_PREFIX.id}'
-- A time in ms as ${TIME_DIGITS} digits, whole (\`up\`: rounded up, else down) and from 0 to the largest safe integer,
-- so that the bytes of two of them order as the numbers do.
local function pad(ms, up)
  local n = tonumber(ms) or 0
  if up then n = math.ceil(n) else n = math.floor(n) end
  if n < 0 then n = 0 elseif n > ${Number.MAX_SAFE_INTEGER} then n = ${Number.MAX_SAFE_INTEGER} end
  return string.format('%0${TIME_DIGITS}.0f', n)
end
-- Bounds of every member of prefix p (a member is p, then ASCII digits, then the id: never byte 255).
local function low(p) return '(' .. p end
local function high(p) return '(' .. p .. '\\255' end
-- The members of prefix p between the exclusive bounds hi and lo, newest first, without the prefix.
local function range_rev(p, hi, lo, n)
  local out = redis.call('ZRANGE', IX, hi, lo, 'BYLEX', 'REV', 'LIMIT', 0, n)
  for i, x in ipairs(out) do out[i] = string.sub(x, #p + 1) end
  return out
end
-- Add \`members\` to the index; with \`nx\`, only those not there (the answer: how many were added).
local function zadd(members, nx)
  local args = nx and { 'NX' } or {}
  for _, x in ipairs(members) do
    args[#args + 1] = 0
    args[#args + 1] = x
  end
  return redis.call('ZADD', IX, unpack(args))
end

-- The index members of the job \`id\` whose hash is \`h\` (field → value; _m, node_id, state, action,
-- batch_id, requested_by, expires_ms, finished_ms read). \`every\`: also those its state may have left
-- (to remove a job whatever it went through).
local function members(h, id, every)
  local m = h._m
  local out = { ALLP .. m, pre('n', h.node_id) .. m, pre('s', h.state) .. m, pre('a', h.action) .. m, IDP .. id }
  if h.batch_id then out[#out + 1] = pre('b', h.batch_id) .. m end
  if h.requested_by then out[#out + 1] = pre('r', h.requested_by) .. m end
  if h.expires_ms and (every or h.state == 'queued') then
    out[#out + 1] = EXPIRYP .. pad(h.expires_ms, true) .. ':' .. id
    out[#out + 1] = pre('w', h.node_id) .. m
  end
  if every or not LIVE[h.state] then
    out[#out + 1] = ENDEDP .. m
    if h.finished_ms then out[#out + 1] = FINISHEDP .. pad(h.finished_ms) .. ':' .. id end
  end
  return out
end

-- A create found some of its index entries there (ZADD NX): take out those it added that the stored
-- job \`id\` does not have (a resend's first state, once the job moved on; every one of another job's).
-- True when the stored job is the one \`f\` describes (the same create, resent).
local function unadd(entries, id, f)
  local v = redis.call('HMGET', J(id), '_m', 'node_id', 'state', 'action', 'batch_id', 'requested_by', 'expires_ms', 'finished_ms')
  local keep = {}
  if v[1] then
    local h = { _m = v[1], node_id = v[2], state = v[3], action = v[4], batch_id = v[5], requested_by = v[6], expires_ms = v[7], finished_ms = v[8] }
    for _, x in ipairs(members(h, id, false)) do keep[x] = true end
  end
  local gone = {}
  for _, x in ipairs(entries) do
    if not keep[x] then gone[#gone + 1] = x end
  end
  if #gone > 0 then redis.call('ZREM', IX, unpack(gone)) end
  return v[1] == f._m and v[2] == f.node_id and v[4] == f.action and v[5] == (f.batch_id or false)
    and v[6] == (f.requested_by or false)
end

local function before(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

local function load(id)
  local h = redis.call('HGETALL', J(id))
  if #h == 0 then return false end
  return { h, redis.call('LRANGE', J(id) .. ':log', 0, -1) }
end

-- Every script that records events has its write id at ARGV[4]: the event carries it, so the writing
-- process can tell its own events apart (and deliver them in the context of the call that wrote them).
-- With \`tail\`, a line after the event: the JSON row of a job this write ended, so that a process
-- waiting for the job answers without reading it back, or \`>\` then a process id, a space and a
-- message for that process (NewJob.handover); see redis-event-feed.ts.
local function emit(ev, tail)
  local sid = redis.call('XADD', P .. 'events:log', 'MAXLEN', '~', BACKLOG, '*', 'e', ev, 'w', ARGV[4])
  local message = sid .. '\\n' .. ARGV[4] .. '\\n' .. ev
  if tail then message = message .. '\\n' .. tail end
  redis.call('PUBLISH', P .. 'events', message)
  return sid
end

local function event_json(seq, jid, etype, data, at)
  return '{"seq":' .. seq .. ',"job_id":' .. jid .. ',"type":"' .. etype ..
    '","data":' .. data .. ',"at":"' .. at .. '"}'
end

-- True while the job's state events are implied: a job created \`running\` keeps its first event in
-- its hash (\`_e1\`), and, when it ends with no event in between, its second one (\`_e2\`): no list
-- for a job that only started and ended. The first other event moves them to the list ('' then).
local function implied(e1) return e1 and e1 ~= '' end

-- Keep event number \`seq\` (\`ev\`) of the job at key k: in its list, or as \`_e2\` in \`fields\` (the
-- HSET the caller runs next) when it is the end of a job whose first event is implied. e1, e2: the
-- job's \`_e1\`, \`_e2\` as the caller read them. The list holds at most seq events, so it needs a trim
-- only past MAXEV.
local function keep_event(k, seq, ev, ends, e1, e2, fields)
  if implied(e1) and seq == 2 and ends and MAXEV >= 2 then
    fields[#fields + 1] = '_e2'
    fields[#fields + 1] = ev
    return
  end
  if implied(e1) then
    fields[#fields + 1] = '_e1'
    fields[#fields + 1] = ''
    if implied(e2) then
      fields[#fields + 1] = '_e2'
      fields[#fields + 1] = ''
      redis.call('RPUSH', k .. ':events', e1, e2, ev)
    else
      redis.call('RPUSH', k .. ':events', e1, ev)
    end
  else
    redis.call('RPUSH', k .. ':events', ev)
  end
  if seq > MAXEV then redis.call('LTRIM', k .. ':events', -MAXEV, -1) end
end

-- Write \`fields\` (a flat field/value list) and the next event in one HSET; h_seq and jid are the
-- job's event_seq and _j, e1 and e2 its _e1 and _e2, as the caller read them. With \`h\` (the whole
-- hash as the caller read it, name → value), also returns the job as load() does, built from \`h\`
-- and \`fields\` without reading the hash again; with \`ended\` too (the write ends the job),
-- publishes that row with the event when it is small enough.
local function write_event(k, h_seq, jid, e1, e2, fields, etype, data, at, h, ended)
  local seq = tonumber(h_seq or 0) + 1
  local ev = event_json(seq, jid, etype, data, at)
  keep_event(k, seq, ev, ended == true, e1, e2, fields)
  fields[#fields + 1] = 'event_seq'
  fields[#fields + 1] = tostring(seq)
  redis.call('HSET', k, unpack(fields))
  local row = false
  local carried = false
  if h then
    for i = 1, #fields, 2 do h[fields[i]] = fields[i + 1] end
    local flat = {}
    for name, value in pairs(h) do
      if name ~= '_e1' and name ~= '_e2' then
        flat[#flat + 1] = name
        flat[#flat + 1] = value
      end
    end
    -- Every log write records an event: a job at its first or second event has no log yet.
    local log = {}
    if seq > 2 then log = redis.call('LRANGE', k .. ':log', 0, -1) end
    row = { flat, log }
    if ended then
      local json = cjson.encode(row)
      if #json <= ENDED_ROW_MAX then carried = json end
    end
  end
  return emit(ev, carried), ev, row
end

-- Scale-out: the hash field \`_r\` names the process running the job ('-': a start the requesting
-- process gave up on), written by the cluster layer (cluster-jobs.ts). An ending write leaves it
-- there: the reaper looks for a dead process's jobs among the \`running\` ones only.
local function move(id, to, wid, fields, now, data, at)
  local k = J(id)
  local all = redis.call('HGETALL', k)
  local h = {}
  for i = 1, #all, 2 do h[all[i]] = all[i + 1] end
  local from = h.state
  if not from then return 'missing' end
  if h._w == wid and from == to then return 'replay' end
  if not TRANSITIONS[from][to] then return 'conflict', from end
  local m = h._m
  local set = { 'state', to, '_w', wid }
  for i = 1, #fields do set[#set + 1] = fields[i] end
  -- Ended without being sent: the params leave the store in this same write.
  if from == 'queued' and NEVER_SENT[to] then
    set[#set + 1] = 'params'
    set[#set + 1] = DROPPED
  end
  if to == 'running' then
    set[#set + 1] = 'started_ms'
    set[#set + 1] = now
  end
  if not LIVE[to] then
    set[#set + 1] = 'finished_ms'
    set[#set + 1] = now
  end
  local gone = { pre('s', from) .. m }
  if from == 'queued' and h.expires_ms then
    gone[2] = EXPIRYP .. pad(h.expires_ms, true) .. ':' .. id
    gone[3] = pre('w', h.node_id) .. m
  end
  redis.call('ZREM', IX, unpack(gone))
  local new = { pre('s', to) .. m }
  if not LIVE[to] then
    new[2] = ENDEDP .. m
    new[3] = FINISHEDP .. pad(now) .. ':' .. id
  end
  zadd(new)
  local sid, _, row = write_event(k, h.event_seq, h._j, h._e1, h._e2, set, 'state', data, at, h, not LIVE[to])
  return 'ok', sid, row
end

local function find_original(rk, since, except)
  local members = redis.call('ZRANGE', rk, '+', '[' .. since, 'BYLEX', 'REV', 'LIMIT', 0, 8)
  for _, m in ipairs(members) do
    local id = idof(m)
    if not (except and redis.call('HGET', J(id), 'batch_id') == except) then return id end
  end
  return false
end

local function idem_add(rk, batch, m)
  if not batch then
    redis.call('ZADD', rk, 0, m)
    return
  end
  local reps = rk .. ':batches'
  local old = redis.call('HGET', reps, batch)
  if old and before(m, old) then return end
  if old then redis.call('ZREM', rk, old) end
  redis.call('ZADD', rk, 0, m)
  redis.call('HSET', reps, batch, m)
end

local function idem_remove(rk, batch, m)
  redis.call('ZREM', rk, m)
  if not batch then return end
  local reps = rk .. ':batches'
  if redis.call('HGET', reps, batch) ~= m then return end
  local p = pre('b', batch)
  local hi = high(p)
  while true do
    local siblings = range_rev(p, hi, low(p), 32)
    for _, s in ipairs(siblings) do
      if redis.call('HGET', J(idof(s)), '_i') == rk then
        redis.call('ZADD', rk, 0, s)
        redis.call('HSET', reps, batch, s)
        return
      end
    end
    if #siblings < 32 then break end
    hi = '(' .. p .. siblings[#siblings]
  end
  redis.call('HDEL', reps, batch)
end

local function drop(id)
  local k = J(id)
  local v = redis.call('HMGET', k, '_m', 'node_id', 'state', 'action', 'batch_id', 'requested_by', '_i', 'expires_ms', 'finished_ms')
  if not v[1] then return 0 end
  local h = { _m = v[1], node_id = v[2], state = v[3], action = v[4], batch_id = v[5], requested_by = v[6], expires_ms = v[8], finished_ms = v[9] }
  redis.call('ZREM', IX, unpack(members(h, id, true)))
  redis.call('DEL', k, k .. ':log', k .. ':events')
  if v[7] then idem_remove(v[7], v[5] or nil, v[1]) end
  return 1
end
`;
