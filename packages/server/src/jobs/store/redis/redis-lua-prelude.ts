import {
  DROPPED_PARAMS,
  JOB_STATES,
  JOB_TRANSITIONS,
  NEVER_SENT_END_STATES,
  isTerminal,
} from '../../job-model.js';
import { MEMBER_ID_OFFSET } from './redis-keys.js';

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
local ALL = P .. 'jobs'
local ENDED = P .. 'jobs:ended'
local FINISHED = P .. 'jobs:finished'
local EXPIRY = P .. 'jobs:expiry'
local ENDED_ROW_MAX = ${ENDED_ROW_MAX_BYTES}

local function J(id) return P .. 'job:' .. id end
local function ix(name, value) return P .. 'jobs:' .. name .. ':' .. value end
local function idof(member) return string.sub(member, ${MEMBER_ID_OFFSET}) end

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
-- With \`ended\` (the JSON row of a job this write ended), the row rides on the same message after
-- the event, so a process waiting for the job answers without reading it back (see redis-event-feed.ts).
local function emit(ev, ended)
  local sid = redis.call('XADD', P .. 'events:log', 'MAXLEN', '~', BACKLOG, '*', 'e', ev, 'w', ARGV[4])
  local message = sid .. '\\n' .. ARGV[4] .. '\\n' .. ev
  if ended then message = message .. '\\n' .. ended end
  redis.call('PUBLISH', P .. 'events', message)
  return sid
end

-- Event number \`seq\` of the job at key k (\`jid\`: its id as JSON), whose hash the caller already
-- moved to that seq. The list holds at most seq events, so it needs a trim only past MAXEV.
local function push_event(k, seq, jid, etype, data, at, ended)
  local ev = '{"seq":' .. seq .. ',"job_id":' .. jid .. ',"type":"' .. etype ..
    '","data":' .. data .. ',"at":"' .. at .. '"}'
  redis.call('RPUSH', k .. ':events', ev)
  if seq > MAXEV then redis.call('LTRIM', k .. ':events', -MAXEV, -1) end
  return emit(ev, ended), ev
end

-- Write \`fields\` (a flat field/value list) and the next event in one HSET; h_seq and jid are the
-- job's event_seq and _j as the caller read them. With \`h\` (the whole hash as the caller read it,
-- name → value), also returns the job as load() does, built from \`h\` and \`fields\` without
-- reading the hash again; with \`ended\` too (the write ends the job), publishes that row with the
-- event when it is small enough.
local function write_event(k, h_seq, jid, fields, etype, data, at, h, ended)
  local seq = tonumber(h_seq or 0) + 1
  fields[#fields + 1] = 'event_seq'
  fields[#fields + 1] = tostring(seq)
  redis.call('HSET', k, unpack(fields))
  local row = false
  local carried = false
  if h then
    for i = 1, #fields, 2 do h[fields[i]] = fields[i + 1] end
    local flat = {}
    for name, value in pairs(h) do
      flat[#flat + 1] = name
      flat[#flat + 1] = value
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
  local sid, ev = push_event(k, seq, jid, etype, data, at, carried)
  return sid, ev, row
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
  redis.call('ZREM', ix('state', from), m)
  redis.call('ZADD', ix('state', to), 0, m)
  if from == 'queued' and h.expires_ms then
    redis.call('ZREM', EXPIRY, id)
    redis.call('ZREM', ix('waiting', h.node_id), m)
  end
  if not LIVE[to] then
    redis.call('ZADD', ENDED, 0, m)
    redis.call('ZADD', FINISHED, now, id)
  end
  local sid, _, row = write_event(k, h.event_seq, h._j, set, 'state', data, at, h, not LIVE[to])
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
  local max = '+'
  while true do
    local siblings = redis.call('ZRANGE', ix('batch', batch), max, '-', 'BYLEX', 'REV', 'LIMIT', 0, 32)
    for _, s in ipairs(siblings) do
      if redis.call('HGET', J(idof(s)), '_i') == rk then
        redis.call('ZADD', rk, 0, s)
        redis.call('HSET', reps, batch, s)
        return
      end
    end
    if #siblings < 32 then break end
    max = '(' .. siblings[#siblings]
  end
  redis.call('HDEL', reps, batch)
end

local function drop(id)
  local k = J(id)
  local h = redis.call('HMGET', k, '_m', 'node_id', 'state', 'action', 'batch_id', 'requested_by', '_i')
  local m = h[1]
  if not m then return 0 end
  redis.call('ZREM', ALL, m)
  redis.call('ZREM', ix('node', h[2]), m)
  redis.call('ZREM', ix('state', h[3]), m)
  redis.call('ZREM', ix('action', h[4]), m)
  if h[5] then redis.call('ZREM', ix('batch', h[5]), m) end
  if h[6] then redis.call('ZREM', ix('by', h[6]), m) end
  redis.call('ZREM', ix('waiting', h[2]), m)
  redis.call('ZREM', ENDED, m)
  redis.call('ZREM', FINISHED, id)
  redis.call('ZREM', EXPIRY, id)
  redis.call('DEL', k, k .. ':log', k .. ':events')
  if h[7] then idem_remove(h[7], h[5] or nil, m) end
  return 1
end
`;
