// The SQLite store around the ended journal, in one process: events, reads, purge counts, close, the
// journal's mode, COMMITs that fail; and short creates on a closed store.
import { chmodSync, closeSync, openSync, statSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type { JobEvent } from '../../src/jobs/index.js';
import { MemoryJobStore } from '../../src/jobs/index.js';
import { sqliteTestKit, warnLog } from './helpers.js';
import { failJobCommits, journalOf, shortJob } from './ended-journal-kit.js';

const { dataDir, open, raw } = sqliteTestKit();
const short = shortJob;
const stateOf = (dir: string, id: string) =>
  raw(dir).prepare('SELECT state FROM jobs WHERE command_id = ?').pluck().get(id);

describe('SqliteJobStore: the ended journal, in one process', () => {
  it('emits running then the end, once each, and answers reads with the journaled row', async () => {
    const dir = await dataDir();
    const store = await open({ dataDir: dir });
    const seen: string[] = [];
    store.subscribe((e: JobEvent) => seen.push(`${e.job_id} ${e.seq} ${JSON.stringify(e.data)}`));
    await store.create(short('e1'));
    const ended = await store.transition('e1', 'failed', {
      error: { code: 'ACTION_FAILED', message: 'x\ny' },
    });
    expect(seen).toEqual([
      'e1 1 {"state":"running"}',
      'e1 2 {"state":"failed","error":{"code":"ACTION_FAILED","message":"x\\ny"}}',
    ]);
    expect(stateOf(dir, 'e1')).toBeUndefined();
    expect(await store.get('e1')).toEqual(ended);
    expect((await store.list({ state: 'failed' })).jobs.map((j) => j.command_id)).toEqual(['e1']);
    const events = await store.listEvents('e1');
    expect(events.map((e) => `${e.job_id} ${e.seq} ${JSON.stringify(e.data)}`)).toEqual(seen);
    expect(await store.listEvents('e1', 1)).toHaveLength(1);
    // Other reads and writes flush first.
    for (const [id, read] of [
      ['q1', () => store.queuedForNode('ws-001')],
      ['q2', () => store.findByIdempotencyKey('pipeline', 'k', 0)],
      ['q3', () => store.expireQueued()],
      ['q4', () => store.markInterruptedAsLost()],
      ['q5', () => store.listEvents('q5', 5)],
    ] as const) {
      await store.create(short(id));
      await store.transition(id, 'succeeded');
      await read();
      expect([id, stateOf(dir, id)]).toEqual([id, 'succeeded']);
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.filter((s) => s.startsWith('e1 '))).toHaveLength(2);
    expect(journalOf(dir).records).toEqual([]);
  });

  it('counts journaled ends in a purge, as the memory store does', async () => {
    const dir = await dataDir();
    const sqlite = await open({ dataDir: dir });
    const memory = new MemoryJobStore();
    for (const store of [sqlite, memory]) {
      for (const id of ['p1', 'p2', 'p3']) {
        await store.create(short(id));
        await store.transition(id, 'succeeded');
      }
    }
    expect(await sqlite.purge({ maxCount: 1 })).toBe(await memory.purge({ maxCount: 1 }));
    expect((await sqlite.list({})).jobs.length).toBe((await memory.list({})).jobs.length);
  });

  it('writes 600 ends past MAX_JOURNALED_ENDS without losing or repeating an event', async () => {
    const dir = await dataDir();
    const store = await open({ dataDir: dir });
    let events = 0;
    store.subscribe(() => events++);
    const ids = Array.from({ length: 600 }, (_, i) => `many-${i}`);
    for (const id of ids) {
      await store.create(short(id));
      await store.transition(id, 'succeeded');
    }
    expect(events).toBe(1200);
    expect(
      raw(dir).prepare("SELECT count(*) FROM jobs WHERE command_id LIKE 'many-%'").pluck().get(),
    ).toBeGreaterThanOrEqual(512);
    await store.close();
    expect(raw(dir).prepare("SELECT count(*) FROM jobs WHERE command_id LIKE 'many-%'").pluck().get()).toBe(
      600,
    );
    expect(journalOf(dir).records).toEqual([]);
  });

  it('closes twice (at once and again) with ends pending, writing them once', async () => {
    const dir = await dataDir();
    const store = await open({ dataDir: dir });
    await store.create(short('c1'));
    await store.transition('c1', 'succeeded');
    const both = Promise.all([store.close(), store.close()]);
    await expect(both).resolves.toBeDefined();
    await expect(store.close()).resolves.toBeUndefined();
    expect(stateOf(dir, 'c1')).toBe('succeeded');
    expect(journalOf(dir).records).toEqual([]);
    await expect(store.get('c1')).rejects.toMatchObject({ code: 'JOB_STORE_FAILED' });
    // A new owner can open the directory.
    const again = await open({ dataDir: dir });
    expect(again.recoveredAtOpen).toEqual({ written: 0, present: 0, refused: 0 });
  });

  it('refuses a short job created after close, as the memory store does', async () => {
    const store = await open({ dataDir: await dataDir() });
    await store.close();
    const memory = new MemoryJobStore();
    await memory.close();
    await expect(memory.create(short('late-m'))).rejects.toMatchObject({ code: 'JOB_STORE_FAILED' });
    await expect(store.create(short('late'))).rejects.toMatchObject({ code: 'JOB_STORE_FAILED' });
  });

  it('leaves no timer spinning after a create on a closed store', async () => {
    const store = await open({ dataDir: await dataDir() });
    await store.close();
    const real = globalThis.setTimeout;
    let calls = 0;
    globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
      calls++;
      return real(...args);
    }) as typeof setTimeout;
    try {
      await store.create(short('late')).catch(() => undefined);
      await new Promise((r) => real(r, 100));
    } finally {
      globalThis.setTimeout = real;
    }
    expect(calls).toBeLessThanOrEqual(2);
  });

  it('gives the journal mode 0600 even when an earlier one was 0644', async () => {
    const dir = await dataDir();
    closeSync(openSync(`${dir}/jobs.sqlite-ended`, 'w', 0o644));
    chmodSync(`${dir}/jobs.sqlite-ended`, 0o644);
    const store = await open({ dataDir: dir });
    await store.create(short('m1'));
    await store.transition('m1', 'succeeded');
    expect(statSync(`${dir}/jobs.sqlite-ended`).mode & 0o777).toBe(0o600);
  });

  it('keeps answered ends whose COMMIT failed for a moment (no crash), instead of dropping them and emptying the journal', async () => {
    const dir = await dataDir();
    const warned = warnLog();
    const store = await open({ dataDir: dir, logger: warned.logger });
    const db = raw(dir);
    const heal = failJobCommits(db);
    await store.create(short('answered'));
    const answer = await store.transition('answered', 'succeeded', { result: { ok: true } });
    expect(answer.state).toBe('succeeded');
    expect(journalOf(dir).records.map((r) => r.command_id)).toEqual(['answered']);
    await vi.waitFor(
      () =>
        expect(warned.messages()).toEqual([
          'cannot commit to the job history: the ends of answered jobs wait in the ended journal and are tried again',
        ]),
      { timeout: 5_000, interval: 5 },
    );
    // Well past the three tries a row the file refuses gets: a failing COMMIT is not the row's fault.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(warned.messages()).toHaveLength(1);
    heal();
    // The journal still held the answered end: a crash now would have written it at the next open.
    expect(journalOf(dir).records.map((r) => r.command_id)).toEqual(['answered']);
    await store.create(short('next'));
    await store.transition('next', 'succeeded');
    await store.close();
    const reopened = await open({ dataDir: dir });
    expect(await reopened.get('next')).toMatchObject({ state: 'succeeded' });
    expect(await reopened.get('answered')).toMatchObject({ state: 'succeeded' });
  });

  it('keeps in the journal an end whose COMMIT at close failed, and the next open writes it', async () => {
    const dir = await dataDir();
    const store = await open({ dataDir: dir });
    const db = raw(dir);
    const heal = failJobCommits(db);
    await store.create(short('at-close'));
    await store.transition('at-close', 'succeeded');
    await expect(store.close()).resolves.toBeUndefined();
    expect(journalOf(dir).records.map((r) => r.command_id)).toEqual(['at-close']);
    heal();
    const reopened = await open({ dataDir: dir });
    expect(reopened.recoveredAtOpen).toEqual({ written: 1, present: 0, refused: 0 });
    expect(await reopened.get('at-close')).toMatchObject({ state: 'succeeded' });
  });
});
