// The ended journal across a SIGKILL of the process right after its answers (a child process): what
// the next open writes into the history, and what it must not bring back.
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { journalOf, runKilled } from './ended-journal-kit.js';
import { HOSTILE_T0, hostileJobs } from './fixtures/hostile-jobs.js';
import { sqliteTestKit } from './helpers.js';

const { dataDir, open, raw } = sqliteTestKit();
const rowsOf = (dir: string) =>
  raw(dir)
    .prepare(
      "SELECT *, hex(command_id) AS hid, hex(result) AS hres, hex(message) AS hmsg, hex(requested_by) AS hreq FROM jobs WHERE command_id LIKE 'h-%' ORDER BY hex(command_id)",
    )
    .all();

describe('SqliteJobStore: the ended journal after a crash', () => {
  it('keeps every answered end through a SIGKILL before its COMMIT, and the next open writes them', async () => {
    const dir = await dataDir();
    await runKilled(dir, 'answered');
    // The kill came before any COMMIT of them: the file has none, the journal all 25.
    expect(journalOf(dir).records).toHaveLength(25);

    const store = await open({ dataDir: dir });
    expect(store.recoveredAtOpen).toEqual({ written: 25, present: 0, refused: 0 });
    expect(store.lostAtOpen).toEqual([]);
    expect(journalOf(dir)).toEqual({ records: [], unreadable: 0 });
    expect(await store.get('answered-0')).toMatchObject({ state: 'succeeded', result: { i: 0 } });
    expect(await store.get('answered-1')).toMatchObject({
      state: 'failed',
      error: { code: 'ACTION_FAILED' },
    });
    expect((await store.listEvents('answered-1')).map((e) => e.data)).toEqual([
      { state: 'running' },
      { state: 'failed', error: expect.objectContaining({ code: 'ACTION_FAILED' }) as unknown },
    ]);
    expect((await store.list({ state: 'succeeded' })).jobs).toHaveLength(13);
  }, 30_000);

  it('does not bring back a purged job after a crash', async () => {
    const dir = await dataDir();
    const told = await runKilled(dir, 'purge-then-end');
    // The purge answered: it removed the job.
    expect(told.purged).toBe(1);
    // The purge's COMMIT took the other end along and emptied the journal: no line of the purged job
    // is left to be written back (it was, when a COMMIT emptied the journal only with no end waiting).
    expect(journalOf(dir)).toEqual({ records: [], unreadable: 0 });

    const store = await open({ dataDir: dir });
    expect(await store.get('other')).toMatchObject({ state: 'succeeded' });
    expect(await store.get('purged')).toBeUndefined();
  }, 30_000);

  it('keeps the answered end of a reused id, not the purged older job of that id', async () => {
    const dir = await dataDir();
    const told = await runKilled(dir, 'reused-id');
    expect(told.purged).toBe(1);
    expect(told.answered).toEqual({ version: 2 });

    const store = await open({ dataDir: dir });
    // Replay writes a job's last line (an older line of the same id is its purged predecessor).
    expect((await store.get('reused'))?.result).toEqual({ version: 2 });
  }, 30_000);
  it('replays hostile rows exactly as the store writes them itself', async () => {
    const crashed = await dataDir();
    const told = await runKilled(crashed, 'hostile');
    const jobs = hostileJobs();
    const { records, unreadable } = journalOf(crashed);
    expect([records.length, unreadable]).toEqual([jobs.length, 0]);
    expect(readFileSync(`${crashed}/jobs.sqlite-ended`, 'utf8').split('\n').filter(Boolean)).toHaveLength(
      jobs.length,
    );
    expect(statSync(`${crashed}/jobs.sqlite-ended`).mode & 0o777).toBe(0o600);

    const recovered = await open({ dataDir: crashed, now: () => HOSTILE_T0 });
    expect(recovered.recoveredAtOpen).toEqual({ written: jobs.length, present: 0, refused: 0 });

    // The same jobs, their ends written by the store itself (the flush, no crash).
    const direct = await dataDir();
    const store = await open({ dataDir: direct, now: () => HOSTILE_T0 });
    const answers = [];
    for (const job of jobs) {
      await store.create({ ...job.create, awaits_end: true, minted_id: true, state: 'running' });
      answers.push(await store.transition(job.create.command_id, job.to, job.patch));
    }
    expect(JSON.parse(JSON.stringify(answers))).toEqual(told.records);
    await store.list({});
    expect(rowsOf(crashed)).toEqual(rowsOf(direct));
    for (const job of jobs) {
      const id = job.create.command_id;
      expect(await recovered.get(id)).toEqual(await store.get(id));
      expect(await recovered.listEvents(id)).toEqual(await store.listEvents(id));
    }
    expect(Object.prototype).not.toHaveProperty('polluted');
  }, 60_000);
});
