import { OpenClawError } from '@openclaw-node/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DROPPED_PARAMS,
  JOB_STATES,
  JOB_TRANSITIONS,
  REDACTED,
  type JobEvent,
  type JobState,
  type JobStore,
  type JobStoreOptions,
  type NewJob,
} from '../../src/jobs/index.js';
import { T0, caught, testClock, type StoreFactory, type StoreHarness, type TestClock } from './helpers.js';

let counter = 0;
/** A new job with a unique id. */
export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  counter += 1;
  return {
    command_id: `job-${String(counter).padStart(5, '0')}`,
    node_id: 'ws-001',
    action: 'rv.open_sources',
    params: { sources: ['/show/a.exr'] },
    requested_by: 'pipeline',
    ...overrides,
  };
}

/** Opens stores on a test clock and closes them after each test. */
export function useStores(factory: StoreFactory): {
  clock: () => TestClock;
  open: (options?: JobStoreOptions) => Promise<JobStore>;
} {
  let clock = testClock();
  const harnesses: StoreHarness[] = [];
  beforeEach(() => {
    clock = testClock();
  });
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.cleanup()));
  });
  return {
    clock: () => clock,
    open: async (options = {}) => {
      const harness = await factory({ now: clock.now, ...options });
      harnesses.push(harness);
      return harness.store;
    },
  };
}

/** Put a fresh job in `state` by legal moves. */
async function jobIn(store: JobStore, state: JobState): Promise<string> {
  const offline = state === 'expired';
  const { job } = await store.create(
    newJob({
      state: offline || state === 'queued' ? 'queued' : 'running',
      expires_at: offline ? T0 + 1000 : null,
    }),
  );
  if (state !== 'queued' && state !== 'running') await store.transition(job.command_id, state);
  return job.command_id;
}

/** The behaviour every JobStore shares: records, transitions, progress, logs and events. */
export function describeJobStoreRecords(name: string, factory: StoreFactory): void {
  describe(`${name}: records`, () => {
    const { clock, open } = useStores(factory);

    it('creates a queued job and reads it back with every field', async () => {
      const store = await open();
      const { job, created } = await store.create(
        newJob({ command_id: 'c-1', timeout_s: 30, batch_id: 'b-1' }),
      );
      expect(created).toBe(true);
      expect(job).toEqual({
        command_id: 'c-1',
        node_id: 'ws-001',
        action: 'rv.open_sources',
        params: { sources: ['/show/a.exr'] },
        requested_by: 'pipeline',
        state: 'queued',
        created_at: new Date(T0).toISOString(),
        expires_at: null,
        started_at: null,
        finished_at: null,
        duration_ms: null,
        progress: null,
        message: null,
        result: null,
        error: null,
        log_tail: [],
        timeout_s: 30,
        idempotency_key: null,
        batch_id: 'b-1',
        request_hash: null,
      });
      expect(await store.get('c-1')).toEqual(job);
      expect(await store.get('nope')).toBeUndefined();
      expect(await store.listEvents('c-1')).toEqual([
        { seq: 1, job_id: 'c-1', type: 'state', data: { state: 'queued' }, at: new Date(T0).toISOString() },
      ]);
    });

    it('creates a job already running, with started_at set', async () => {
      const store = await open();
      const { job } = await store.create(newJob({ state: 'running' }));
      expect(job).toMatchObject({ state: 'running', started_at: new Date(T0).toISOString() });
    });

    it('returns copies: changing a returned record does not change the stored job', async () => {
      const store = await open();
      const { job } = await store.create(newJob());
      (job.params as { sources: string[] }).sources.push('/evil');
      job.log_tail.push('x');
      const again = await store.get(job.command_id);
      expect(again?.params).toEqual({ sources: ['/show/a.exr'] });
      expect(again?.log_tail).toEqual([]);
    });

    it('redacts params the schema marks secret before storing them, without touching the input', async () => {
      const store = await open();
      const params = { user: 'ann', password: 'hunter2', nested: { token: 'abc', keep: 1 } };
      const { job } = await store.create(
        newJob({
          params,
          params_schema: {
            type: 'object',
            properties: {
              password: { type: 'string', writeOnly: true },
              nested: { type: 'object', properties: { token: { type: 'string', secret: true } } },
            },
          },
        }),
      );
      expect(job.params).toEqual({ user: 'ann', password: REDACTED, nested: { token: REDACTED, keep: 1 } });
      expect((await store.get(job.command_id))?.params).toEqual(job.params);
      expect(params.password).toBe('hunter2');
    });

    it.each([
      [{ command_id: '' }, 'command_id'],
      [{ command_id: 'a\nb' }, 'command_id'],
      [{ node_id: undefined }, 'node_id'],
      [{ action: 42 }, 'action'],
      [{ params: [] }, 'params'],
      [{ state: 'succeeded' }, 'state'],
      [{ timeout_s: -1 }, 'timeout_s'],
      [{ expires_at: 'soon' }, 'expires_at'],
      [{ state: 'running', expires_at: T0 + 1 }, 'expires_at'],
      [{ idempotency_key: 'x'.repeat(256) }, 'idempotency_key'],
      [{ batch_id: '' }, 'batch_id'],
    ])('rejects %j naming the field', async (change, field) => {
      const store = await open();
      const error = await caught(() => store.create({ ...newJob(), ...change } as NewJob));
      expect(error).toMatchObject({ code: 'INVALID_BODY', details: { field } });
      expect(error.message).toContain(field);
    });

    it('refuses a second job with the same command_id', async () => {
      const store = await open();
      await store.create(newJob({ command_id: 'dup' }));
      const error = await caught(() => store.create(newJob({ command_id: 'dup' })));
      expect(error).toMatchObject({ code: 'INVALID_BODY', details: { field: 'command_id' } });
    });

    it('refuses a duplicate sent in the same turn as the original, which stays stored', async () => {
      const store = await open();
      const [first, second] = await Promise.allSettled([
        store.create(newJob({ command_id: 'dup-turn', action: 'first.one' })),
        store.create(newJob({ command_id: 'dup-turn', action: 'second.one' })),
      ]);
      expect(first.status).toBe('fulfilled');
      expect(second).toMatchObject({
        status: 'rejected',
        reason: { code: 'INVALID_BODY', details: { field: 'command_id' } },
      });
      expect(await store.get('dup-turn')).toMatchObject({ action: 'first.one' });
      expect((await store.listEvents('dup-turn')).length).toBe(1);
    });

    it('fails every call after close', async () => {
      const store = await open();
      await store.close();
      expect((await caught(() => store.get('x'))).code).toBe('JOB_STORE_FAILED');
      expect((await caught(() => store.create(newJob()))).code).toBe('JOB_STORE_FAILED');
    });

    describe('transitions', () => {
      const pairs = JOB_STATES.flatMap((from) => JOB_STATES.map((to) => [from, to] as const));
      const legal = pairs.filter(([from, to]) => JOB_TRANSITIONS[from].includes(to));
      const illegal = pairs.filter(([from, to]) => !JOB_TRANSITIONS[from].includes(to));

      it.each(legal)('moves %s → %s and records a state event', async (from, to) => {
        const store = await open();
        const id = await jobIn(store, from);
        const before = await store.listEvents(id);
        const job = await store.transition(id, to);
        expect(job.state).toBe(to);
        expect((await store.get(id))?.state).toBe(to);
        const events = await store.listEvents(id, before.at(-1)!.seq);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ type: 'state', data: { state: to } });
      });

      it.each(illegal)('refuses %s → %s and leaves the job as it was', async (from, to) => {
        const store = await open();
        const id = await jobIn(store, from);
        const before = await store.get(id);
        const error = await caught(() => store.transition(id, to));
        expect(error).toMatchObject({ code: 'JOB_STATE_CONFLICT', status: 409, details: { from, to } });
        expect(error.message).toContain(id);
        expect(await store.get(id)).toEqual(before);
      });

      it('answers JOB_NOT_FOUND for an unknown job', async () => {
        const store = await open();
        expect(await caught(() => store.transition('ghost', 'running'))).toMatchObject({
          code: 'JOB_NOT_FOUND',
          status: 404,
        });
      });

      it('drops the params of a job that ends while queued (expired, cancelled, lost), in the same write', async () => {
        const store = await open();
        const params = { sources: ['/show/a.exr'], note: 'x'.repeat(10_000) };
        const { job: offline } = await store.create(newJob({ params, expires_at: T0 + 1000 }));
        const { job: cancelled } = await store.create(newJob({ params, expires_at: T0 + 60_000 }));
        const { job: immediate } = await store.create(newJob({ params }));
        expect(await store.transition(cancelled.command_id, 'cancelled')).toMatchObject({
          params: DROPPED_PARAMS,
        });
        expect(await store.transition(immediate.command_id, 'lost')).toMatchObject({
          params: DROPPED_PARAMS,
        });
        const expired = await store.expireQueued(T0 + 1000);
        expect(expired.map((j) => [j.command_id, j.params])).toEqual([[offline.command_id, DROPPED_PARAMS]]);
        for (const id of [offline.command_id, cancelled.command_id, immediate.command_id]) {
          const stored = await store.get(id);
          expect(stored?.params).toEqual(DROPPED_PARAMS);
          // The rest of the row and its state event are kept.
          expect(stored).toMatchObject({ action: 'rv.open_sources', requested_by: 'pipeline' });
          expect((await store.listEvents(id)).at(-1)).toMatchObject({ type: 'state' });
        }
      });

      it('keeps the params of a job that was sent, and of a queued job that failed', async () => {
        const store = await open();
        const params = { sources: ['/show/a.exr'] };
        const ends = ['succeeded', 'cancelled', 'lost', 'failed', 'timed_out'] as const;
        for (const end of ends) {
          const { job } = await store.create(newJob({ params, expires_at: T0 + 1000 }));
          await store.transition(job.command_id, 'running');
          expect((await store.transition(job.command_id, end)).params).toEqual(params);
          expect((await store.get(job.command_id))?.params).toEqual(params);
        }
        const { job: failed } = await store.create(newJob({ params }));
        expect((await store.transition(failed.command_id, 'failed')).params).toEqual(params);
        expect(await store.expireQueued(T0 + 5000)).toEqual([]);
      });

      it('stamps started_at, finished_at and duration_ms from the clock, and keeps the result', async () => {
        const store = await open();
        const { job } = await store.create(newJob());
        clock().advance(1000);
        await store.transition(job.command_id, 'running');
        clock().advance(2500);
        const done = await store.transition(job.command_id, 'succeeded', { result: { opened: 2 } });
        expect(done).toMatchObject({
          state: 'succeeded',
          started_at: new Date(T0 + 1000).toISOString(),
          finished_at: new Date(T0 + 3500).toISOString(),
          duration_ms: 2500,
          result: { opened: 2 },
          error: null,
        });
        expect(await store.get(job.command_id)).toEqual(done);
      });

      it('gives each failing end a default error, or keeps the one given (an OpenClawError too)', async () => {
        const store = await open();
        const lost = await store.transition(await jobIn(store, 'running'), 'lost');
        expect(lost.error).toMatchObject({ code: 'JOB_LOST' });
        expect(lost.duration_ms).toBe(0);
        const cancelled = await store.transition(await jobIn(store, 'queued'), 'cancelled');
        expect(cancelled).toMatchObject({
          error: { code: 'CANCELLED' },
          started_at: null,
          duration_ms: null,
        });
        const failed = await store.transition(await jobIn(store, 'running'), 'failed', {
          error: new OpenClawError('PATH_NOT_FOUND', 'No such file: /a', { details: { field: 'path' } }),
        });
        expect(failed.error).toEqual({
          code: 'PATH_NOT_FOUND',
          message: 'No such file: /a',
          details: { field: 'path' },
        });
        const events = await store.listEvents(failed.command_id);
        expect(events.at(-1)?.data).toEqual({ state: 'failed', error: failed.error });
      });

      it('refuses a result on a failure and an error on a success, naming the field', async () => {
        const store = await open();
        const id = await jobIn(store, 'running');
        expect(await caught(() => store.transition(id, 'failed', { result: 1 }))).toMatchObject({
          code: 'INVALID_BODY',
          details: { field: 'result' },
        });
        expect(
          await caught(() => store.transition(id, 'succeeded', { error: { code: 'X_Y', message: 'no' } })),
        ).toMatchObject({ code: 'INVALID_BODY', details: { field: 'error' } });
        expect(
          await caught(() => store.transition(id, 'failed', { error: { code: 1 } as never })),
        ).toMatchObject({
          details: { field: 'error' },
        });
        expect((await store.get(id))?.state).toBe('running');
      });
    });

    describe('progress, log tail and events', () => {
      it('records progress of a running job, clamped, with an event', async () => {
        const store = await open();
        const id = await jobIn(store, 'running');
        const event = await store.updateProgress(id, { progress: 0.25, message: 'frame 1025' });
        expect(event).toMatchObject({ type: 'progress', data: { progress: 0.25, message: 'frame 1025' } });
        await store.updateProgress(id, { progress: 7 });
        expect(await store.get(id)).toMatchObject({ progress: 1, message: 'frame 1025' });
        expect(await caught(() => store.updateProgress(id, { progress: Number.NaN }))).toMatchObject({
          code: 'INVALID_BODY',
          details: { field: 'progress' },
        });
      });

      it('ignores progress for a job that is queued, ended or unknown', async () => {
        const store = await open();
        expect(await store.updateProgress(await jobIn(store, 'queued'), { progress: 0.5 })).toBeUndefined();
        const done = await jobIn(store, 'succeeded');
        expect(await store.updateProgress(done, { progress: 0.5 })).toBeUndefined();
        expect((await store.get(done))?.progress).toBeNull();
        expect(await store.updateProgress('ghost', { progress: 0.5 })).toBeUndefined();
      });

      it('keeps the last N log lines, splits entries on newlines and caps each line', async () => {
        const store = await open({ logTailLines: 5, maxLogLineLength: 20 });
        const id = await jobIn(store, 'running');
        await store.appendLog(id, ['one', 'two\nthree\n']);
        const event = await store.appendLog(id, ['four\r\nfive', 'x'.repeat(50), 'six']);
        expect(event).toMatchObject({
          type: 'log',
          data: { lines: ['four', 'five', `${'x'.repeat(19)}…`, 'six'] },
        });
        const job = await store.get(id);
        expect(job?.log_tail).toEqual(['three', 'four', 'five', `${'x'.repeat(19)}…`, 'six']);
        expect(job?.log_tail.every((line) => line.length <= 20)).toBe(true);
      });

      it('defaults to a 200-line tail', async () => {
        const store = await open();
        const id = await jobIn(store, 'running');
        await store.appendLog(
          id,
          Array.from({ length: 250 }, (_, i) => `line ${i}`),
        );
        const tail = (await store.get(id))!.log_tail;
        expect(tail).toHaveLength(200);
        expect(tail[0]).toBe('line 50');
        expect(tail.at(-1)).toBe('line 249');
      });

      it('ignores log lines for an ended or unknown job, and empty appends', async () => {
        const store = await open();
        const id = await jobIn(store, 'failed');
        expect(await store.appendLog(id, ['late'])).toBeUndefined();
        expect((await store.get(id))?.log_tail).toEqual([]);
        expect(await store.appendLog('ghost', ['x'])).toBeUndefined();
        expect(await store.appendLog(await jobIn(store, 'running'), [])).toBeUndefined();
      });

      it('numbers events 1, 2, 3… per job and replays those after a given seq', async () => {
        const store = await open();
        const a = await jobIn(store, 'queued');
        const b = await jobIn(store, 'queued');
        await store.transition(a, 'running');
        await store.updateProgress(a, { progress: 0.5 });
        await store.appendLog(a, ['hello']);
        await store.transition(b, 'running');
        await store.transition(a, 'succeeded', { result: 'ok' });
        const events = await store.listEvents(a);
        expect(events.map((e) => [e.seq, e.type])).toEqual([
          [1, 'state'],
          [2, 'state'],
          [3, 'progress'],
          [4, 'log'],
          [5, 'state'],
        ]);
        expect((await store.listEvents(b)).map((e) => e.seq)).toEqual([1, 2]);
        expect((await store.listEvents(a, 3)).map((e) => e.seq)).toEqual([4, 5]);
        expect((await store.listEvents(a, 1, 2)).map((e) => e.seq)).toEqual([2, 3]);
        expect(await store.listEvents(a, 5)).toEqual([]);
        expect(await store.listEvents('ghost')).toEqual([]);
      });

      it('keeps only the last maxEventsPerJob events and never reuses a seq', async () => {
        const store = await open({ maxEventsPerJob: 10 });
        const id = await jobIn(store, 'running');
        for (let i = 0; i < 30; i++) await store.updateProgress(id, { progress: i / 30 });
        const events = await store.listEvents(id);
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 22 + i));
        const next = await store.appendEvent(id, 'log', { lines: ['manual'] });
        expect(next.seq).toBe(32);
      });

      it('appendEvent refuses an unknown job and an unknown event type', async () => {
        const store = await open();
        expect((await caught(() => store.appendEvent('ghost', 'log', { lines: [] }))).code).toBe(
          'JOB_NOT_FOUND',
        );
        const id = await jobIn(store, 'running');
        expect(await caught(() => store.appendEvent(id, 'bogus' as 'log', { lines: [] }))).toMatchObject({
          code: 'INVALID_BODY',
          details: { field: 'type' },
        });
      });

      it('tells subscribers about each event after it is stored, until they unsubscribe', async () => {
        const store = await open();
        const seen: JobEvent[] = [];
        const stop = store.subscribe((event) => seen.push(event));
        const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
        const stopBroken = store.subscribe(() => {
          throw new Error('broken stream');
        });
        const id = await jobIn(store, 'running');
        await store.appendLog(id, ['a']);
        stop();
        stopBroken();
        await store.transition(id, 'succeeded');
        expect(seen.map((e) => [e.job_id, e.seq, e.type])).toEqual([
          [id, 1, 'state'],
          [id, 2, 'log'],
        ]);
        expect(await store.listEvents(id)).toHaveLength(3);
        expect(warn).toHaveBeenCalled();
        warn.mockRestore();
      });
    });
  });
}
