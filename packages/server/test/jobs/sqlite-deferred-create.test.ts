import type BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { SqliteJobStore } from '../../src/jobs/index.js';
import type { StoreWriteOp } from '../../src/jobs/store/write-timing.js';
import { caught, sqliteTestKit, warnLog } from './helpers.js';
import { newJob } from './job-store-suite.js';

/**
 * The create of a job whose caller waits for its end (awaits_end) is written later than it resolves
 * (SqliteJobStore's #defer): what it must not break when that write fails, and what it promises like
 * any other create. A trigger added from a second connection stands in for a full disk or an I/O error.
 */
const { dataDir, open, raw } = sqliteTestKit();

const waiting = (id: string, params: Record<string, unknown> = { frames: '1-100' }) =>
  newJob({ command_id: id, state: 'running', awaits_end: true, params });

/** The file refuses the row of one job (as SQLITE_FULL would): a BEFORE INSERT trigger that aborts. */
function refuseRowOf(db: BetterSqlite3.Database, id: string): void {
  db.exec(`CREATE TRIGGER refuse_${id} BEFORE INSERT ON jobs WHEN new.command_id = '${id}'
    BEGIN SELECT RAISE(ABORT, 'database or disk is full (simulated)'); END;`);
}

/** A logger whose warnings the test reads (their messages, in order). */

const settled = <T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error: String(error) }),
  );

describe('SqliteJobStore: a deferred create the file refuses', () => {
  it('takes down no read, list, expiry or other deferred create, and is dropped after its tries', async () => {
    const dir = await dataDir();
    const warned = warnLog();
    const store = await open({ dataDir: dir, logger: warned.logger });
    await store.create(newJob({ command_id: 'committed', state: 'running' }));
    const db = raw(dir);
    refuseRowOf(db, 'refused');
    await store.create(waiting('refused'));
    await store.create(waiting('fine'));

    expect(await settled(store.get('committed').then((job) => job?.state))).toEqual({
      ok: true,
      value: 'running',
    });
    expect(db.prepare('SELECT state FROM jobs WHERE command_id = ?').pluck().get('fine')).toBe('running');
    const listed = await settled(store.list({}).then((page) => page.jobs.map((job) => job.command_id)));
    expect(listed).toEqual({ ok: true, value: ['fine', 'committed'] });
    expect(await settled(store.expireQueued().then((jobs) => jobs.length))).toEqual({ ok: true, value: 0 });
    // Three tries (one per read above), then dropped with one warning naming the job.
    expect(warned.messages()).toEqual(['could not record the creation of a job']);
    expect(await caught(() => store.transition('refused', 'succeeded'))).toMatchObject({
      code: 'JOB_NOT_FOUND',
    });
  });

  it('lets close() close the store and write the other deferred creates', async () => {
    const dir = await dataDir();
    const store: SqliteJobStore = await open({ dataDir: dir, logger: { warn: () => {} } });
    const db = raw(dir);
    refuseRowOf(db, 'refused');
    await store.create(waiting('refused'));
    await store.create(waiting('fine'));
    expect(await settled(store.close())).toEqual({ ok: true, value: undefined });
    expect(await caught(() => store.create(newJob({ command_id: 'after-close' })))).toMatchObject({
      code: 'JOB_STORE_FAILED',
    });
    expect(db.prepare('SELECT state FROM jobs WHERE command_id = ?').pluck().get('fine')).toBe('running');
    // The lock is released: the next server opens the directory.
    const next = await open({ dataDir: dir });
    expect((await next.get('fine'))?.state).toBe('lost');
  });

  it('written into a batch whose COMMIT fails, is written again later rather than lost', async () => {
    const dir = await dataDir();
    const store = await open({ dataDir: dir });
    const db = raw(dir);
    // A COMMIT that fails (a deferred foreign key is checked at COMMIT), as a full disk would.
    db.exec(`CREATE TABLE t_parent (id TEXT PRIMARY KEY);
      CREATE TABLE t_child (p TEXT REFERENCES t_parent(id) DEFERRABLE INITIALLY DEFERRED);
      CREATE TRIGGER t_poison AFTER INSERT ON jobs WHEN new.command_id = 'poison'
        BEGIN INSERT INTO t_child VALUES ('missing'); END;`);
    await store.create(waiting('long'));
    // In one turn: a write whose COMMIT fails, then a read, which writes the deferred create of
    // 'long' into the same transaction.
    const poison = store.create(newJob({ command_id: 'poison', state: 'running' }));
    expect(await store.get('other')).toBeUndefined();
    expect(await caught(() => poison)).toMatchObject({ code: 'JOB_STORE_FAILED' });
    db.exec('DROP TRIGGER t_poison');
    expect((await store.transition('long', 'succeeded')).state).toBe('succeeded');
    expect((await store.listEvents('long')).map((e) => e.seq)).toEqual([1, 2]);
  });
});

describe('SqliteJobStore: a deferred create keeps the promises of a create', () => {
  it('keeps the row apart from the record it returned, whoever writes it', async () => {
    const store = await open({ dataDir: await dataDir() });
    for (const id of ['ended', 'read']) {
      const { job } = await store.create(waiting(id));
      job.params.injected = 'after the create resolved';
    }
    await store.transition('ended', 'succeeded');
    expect((await store.get('ended'))?.params).toEqual({ frames: '1-100' });
    expect((await store.get('read'))?.params).toEqual({ frames: '1-100' });
  });

  it('times refused creates too (observeWrites: failures included)', async () => {
    const store = await open({ dataDir: await dataDir() });
    const ops: StoreWriteOp[] = [];
    store.observeWrites((op) => ops.push(op));
    await store.create(waiting('dup'));
    for (const again of [waiting('dup'), newJob({ command_id: 'dup', state: 'running' })]) {
      expect(await caught(() => store.create(again))).toMatchObject({
        code: 'INVALID_BODY',
        details: { field: 'command_id' },
      });
    }
    await store.transition('dup', 'succeeded');
    expect(ops.sort()).toEqual(['create', 'create', 'create', 'transition']);
  });

  it('with an id minted for it, is not looked up: a duplicate is refused when its row is written', async () => {
    const dir = await dataDir();
    const warned = warnLog();
    const store = await open({ dataDir: dir, logger: warned.logger });
    await store.create(newJob({ command_id: 'same', state: 'running', node_id: 'ws-first' }));
    // A caller's own id is looked up at once; one minted for the job (NewJob.minted_id) is not.
    expect(await caught(() => store.create(waiting('same')))).toMatchObject({ code: 'INVALID_BODY' });
    const minted = await store.create({ ...waiting('same'), node_id: 'ws-second', minted_id: true });
    expect(minted.created).toBe(true);
    // Its end is journaled (its caller is answered), then its row is refused by the primary key when
    // written: the first job stays as it was, the second is not recorded.
    expect(await store.transition('same', 'succeeded')).toMatchObject({ node_id: 'ws-second' });
    expect(await store.get('same')).toMatchObject({ node_id: 'ws-first', state: 'running' });
    expect(warned.messages()).toEqual([
      'another process stored a job with this id first: the end of this job is not recorded',
    ]);
    // Written before its end (progress came first): refused then, as the create it is.
    const again = await store.create({ ...waiting('same'), node_id: 'ws-third', minted_id: true });
    expect(again.created).toBe(true);
    expect(await caught(() => store.updateProgress('same', { progress: 0.5 }))).toMatchObject({
      code: 'INVALID_BODY',
    });
    expect(warned.messages().at(-1)).toBe(
      'another process stored a job with this id first: the creation of this job is not recorded',
    );
  });

  it('leaves its id free in the file until written: another process storing it first wins (docs/jobs.md)', async () => {
    const dir = await dataDir();
    const warned = warnLog();
    const owner = await open({ dataDir: dir, logger: warned.logger });
    const other = await open({ dataDir: dir, markLostOnOpen: false });
    await owner.create(
      newJob({ command_id: 'taken', state: 'running', awaits_end: true, node_id: 'ws-owner' }),
    );
    await other.create(newJob({ command_id: 'taken', state: 'running', node_id: 'ws-other' }));
    // The owner's end (journaled, answered) does not touch the other job; it is dropped with a warning.
    expect(await owner.transition('taken', 'succeeded')).toMatchObject({ node_id: 'ws-owner' });
    expect((await owner.get('taken'))?.node_id).toBe('ws-other');
    expect(warned.messages()).toEqual([
      'another process stored a job with this id first: the end of this job is not recorded',
    ]);
    expect((await owner.get('taken'))?.state).toBe('running');
  });
});
