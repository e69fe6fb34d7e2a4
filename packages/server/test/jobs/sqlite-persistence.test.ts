import { spawn, type ChildProcess } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import {
  JOBS_FILE_NAME,
  SCHEMA_VERSION,
  SqliteJobStore,
  loadSqliteDriver,
  type SqliteDriver,
  type JobState,
} from '../../src/jobs/index.js';
import { ENDED_JOURNAL_SUFFIX, readEndedJournal } from '../../src/jobs/store/sqlite/ended-journal.js';
import { CREATE_COMMIT_DELAY_MS } from '../../src/jobs/store/sqlite/sqlite-job-store.js';
import { buildListQuery } from '../../src/jobs/store/sqlite/sqlite-rows.js';
import { prepareJobStatements } from '../../src/jobs/store/sqlite/sqlite-statements.js';
import { T0, caught, sqliteTestKit, testClock, fileAtSchema } from './helpers.js';
import { newJob } from './job-store-suite.js';

const WRITER = fileURLToPath(new URL('./fixtures/job-writer.ts', import.meta.url));
const { defer, dataDir, open, raw } = sqliteTestKit();

describe('SqliteJobStore on disk', () => {
  it('keeps jobs, events, log tails and event numbering across close and reopen', async () => {
    const dir = await dataDir();
    const clock = testClock();
    const first = await open({ dataDir: dir, now: clock.now });
    await first.create(newJob({ command_id: 'done', state: 'running', idempotency_key: 'k', batch_id: 'b' }));
    await first.appendLog('done', ['rendering', 'written']);
    await first.updateProgress('done', { progress: 1, message: 'all frames' });
    await first.transition('done', 'succeeded', { result: { frames: [1001, 1002] } });
    await first.create(newJob({ command_id: 'waiting', expires_at: T0 + 60_000 }));
    const before = { done: await first.get('done'), waiting: await first.get('waiting') };
    const events = await first.listEvents('done');
    await first.close();

    const second = await open({ dataDir: dir, now: clock.now });
    expect(second.lostAtOpen).toEqual([]);
    expect(await second.get('done')).toEqual(before.done);
    expect(await second.get('waiting')).toEqual(before.waiting);
    expect(await second.listEvents('done')).toEqual(events);
    expect((await second.create(newJob({ idempotency_key: 'k', requested_by: 'pipeline' }))).created).toBe(
      false,
    );
    expect((await second.queuedForNode('ws-001')).map((j) => j.command_id)).toEqual(['waiting']);
    const next = await second.transition('waiting', 'running');
    expect(next.state).toBe('running');
    expect((await second.listEvents('waiting')).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('marks jobs left running (and immediate queued jobs) lost when it opens again', async () => {
    const dir = await dataDir();
    const first = await open({ dataDir: dir });
    await first.create(newJob({ command_id: 'running', state: 'running' }));
    await first.appendLog('running', ['half way']);
    await first.create(newJob({ command_id: 'about-to-send' }));
    await first.create(newJob({ command_id: 'offline', expires_at: Date.now() + 3_600_000 }));
    // The process "dies": the file is left as it was, without a clean shutdown of the jobs.
    await first.close();

    const second = await open({ dataDir: dir });
    expect(second.lostAtOpen.map((j) => j.command_id).sort()).toEqual(['about-to-send', 'running']);
    const lost = await second.get('running');
    expect(lost).toMatchObject({ state: 'lost', error: { code: 'JOB_LOST' }, log_tail: ['half way'] });
    expect(lost?.finished_at).not.toBeNull();
    expect((await second.listEvents('running')).at(-1)).toMatchObject({
      seq: 3,
      type: 'state',
      data: { state: 'lost', error: { code: 'JOB_LOST' } },
    });
    expect((await second.get('offline'))?.state).toBe('queued');
  });

  it('leaves running jobs alone when markLostOnOpen is false', async () => {
    const dir = await dataDir();
    const first = await open({ dataDir: dir });
    await first.create(newJob({ command_id: 'r', state: 'running' }));
    const second = await open({ dataDir: dir, markLostOnOpen: false });
    expect(second.lostAtOpen).toEqual([]);
    expect((await second.get('r'))?.state).toBe('running');
  });

  it('ends a running job from the row it wrote, unless another write or another process changed it', async () => {
    const dir = await dataDir();
    const owner = await open({ dataDir: dir });
    await owner.create(newJob({ command_id: 'progressed', state: 'running' }));
    await owner.updateProgress('progressed', { progress: 0.5, message: 'half' });
    await owner.appendLog('progressed', ['frame 1001']);
    const ended = await owner.transition('progressed', 'succeeded', { result: { ok: true } });
    expect(ended).toMatchObject({ progress: 0.5, message: 'half', log_tail: ['frame 1001'] });
    expect((await owner.listEvents('progressed')).map((e) => e.seq)).toEqual([1, 2, 3, 4]);

    // A caller changing the record it was handed changes nothing the store writes next.
    const { job } = await owner.create(newJob({ command_id: 'handed-out', state: 'running' }));
    job.log_tail.push('not from the node');
    await owner.transition('handed-out', 'succeeded');
    expect((await owner.get('handed-out'))?.log_tail).toEqual([]);

    // Another process ends the job first: this one must see it, not the row it remembers.
    await owner.create(newJob({ command_id: 'elsewhere', state: 'running' }));
    const other = await open({ dataDir: dir, markLostOnOpen: false });
    await other.transition('elsewhere', 'cancelled');
    expect(await caught(() => owner.transition('elsewhere', 'succeeded'))).toMatchObject({
      code: 'JOB_STATE_CONFLICT',
    });
    expect((await owner.get('elsewhere'))?.state).toBe('cancelled');
    expect((await owner.listEvents('elsewhere')).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('writes a short job whose caller waits for its end as one row, created with its end', async () => {
    const dir = await dataDir();
    const store = await open({ dataDir: dir });
    // Count the row writes of the jobs table from another connection: a trigger is part of the file.
    const db = raw(dir);
    db.exec(`CREATE TABLE t_writes (job TEXT, kind TEXT);
      CREATE TRIGGER t_insert AFTER INSERT ON jobs BEGIN INSERT INTO t_writes VALUES (new.command_id, 'insert'); END;
      CREATE TRIGGER t_update AFTER UPDATE ON jobs BEGIN INSERT INTO t_writes VALUES (new.command_id, 'update'); END;`);
    const writes = (id: string): string[] =>
      db.prepare('SELECT kind FROM t_writes WHERE job = ?').pluck().all(id) as string[];
    const heard: string[] = [];
    store.subscribe((event) => heard.push(`${event.job_id} ${event.seq} ${event.type}`));
    // The 10 ms after which a create is written on its own stay still: on a loaded machine they
    // could pass between a create and its end, and this is about what the end writes.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    defer(() => {
      vi.useRealTimers();
    });

    // Its end comes in a later turn than its create, after other writes committed meanwhile.
    await store.create(newJob({ command_id: 'short', state: 'running', awaits_end: true }));
    await store.create(newJob({ command_id: 'other', state: 'running' }));
    await new Promise((resolve) => setImmediate(resolve));
    await store.transition('short', 'succeeded', { result: { frames: 100 } });
    // Answered from the ended journal; the next read writes its row first, as one INSERT.
    expect(writes('short')).toEqual([]);
    expect(readEndedJournal(store.file + ENDED_JOURNAL_SUFFIX).records).toMatchObject([
      { command_id: 'short', state: 'succeeded', implied_events: 1 },
    ]);
    expect(await store.get('short')).toMatchObject({ state: 'succeeded', result: { frames: 100 } });
    expect((await store.listEvents('short')).map((e) => `${e.seq} ${JSON.stringify(e.data)}`)).toEqual([
      '1 {"state":"running"}',
      '2 {"state":"succeeded"}',
    ]);
    expect(writes('short')).toEqual(['insert']);
    expect(readEndedJournal(store.file + ENDED_JOURNAL_SUFFIX).records).toEqual([]);

    // Another write to it first (progress) writes the created row, then changes it.
    await store.create(newJob({ command_id: 'chatty', state: 'running', awaits_end: true }));
    await store.updateProgress('chatty', { progress: 0.5 });
    await store.transition('chatty', 'succeeded');
    expect(writes('chatty')).toEqual(['insert', 'update', 'update']);
    expect((await store.listEvents('chatty')).map((e) => `${e.seq} ${e.type}`)).toEqual([
      '1 state',
      '2 progress',
      '3 state',
    ]);
    expect(heard.filter((line) => !line.startsWith('other'))).toEqual([
      'short 1 state',
      'short 2 state',
      'chatty 1 state',
      'chatty 2 progress',
      'chatty 3 state',
    ]);

    // The id is taken while its row is not written yet, either way round, and a refused end leaves it.
    await store.create(newJob({ command_id: 'pending', state: 'running', awaits_end: true }));
    for (const again of [{}, { awaits_end: true }]) {
      expect(
        await caught(() => store.create(newJob({ command_id: 'pending', state: 'running', ...again }))),
      ).toMatchObject({ code: 'INVALID_BODY', details: { field: 'command_id' } });
    }
    expect(
      await caught(() => store.create(newJob({ command_id: 'other', state: 'running', awaits_end: true }))),
    ).toMatchObject({ code: 'INVALID_BODY', details: { field: 'command_id' } });
    expect(await caught(() => store.transition('pending', 'queued'))).toMatchObject({
      code: 'JOB_STATE_CONFLICT',
    });
    expect(writes('pending')).toEqual([]);
    await store.close();
    // Closing wrote it.
    expect(writes('pending')).toEqual(['insert']);
    expect(db.prepare('SELECT state FROM jobs WHERE command_id = ?').pluck().get('pending')).toBe('running');
  });

  it('commits the create of a job whose caller waits for its end with that end, or soon after', async () => {
    const dir = await dataDir();
    const store = await open({ dataDir: dir });
    const heard: string[] = [];
    store.subscribe((event) => heard.push(`${event.job_id} ${event.type} ${JSON.stringify(event.data)}`));
    const committed = raw(dir).prepare('SELECT state FROM jobs WHERE command_id = ?').pluck();

    // Resolved before its COMMIT: another connection does not see it yet, and no event went out.
    await store.create(newJob({ command_id: 'short', state: 'running', awaits_end: true }));
    expect(committed.get('short')).toBeUndefined();
    expect(heard).toEqual([]);
    // Its end is a write someone waits for: it is in the ended journal when it resolves, and both
    // events have gone out; its row reaches the file CREATE_COMMIT_DELAY_MS later, journal emptied.
    const journal = store.file + ENDED_JOURNAL_SUFFIX;
    await store.transition('short', 'succeeded', { result: 1 });
    expect(readEndedJournal(journal).records).toMatchObject([{ command_id: 'short', state: 'succeeded' }]);
    expect(heard).toEqual(['short state {"state":"running"}', 'short state {"state":"succeeded"}']);
    expect(committed.get('short')).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, CREATE_COMMIT_DELAY_MS + 40));
    expect(committed.get('short')).toBe('succeeded');
    expect(readEndedJournal(journal)).toEqual({ records: [], unreadable: 0 });

    // A job that runs on is committed CREATE_COMMIT_DELAY_MS after its create, end or not.
    await store.create(newJob({ command_id: 'long', state: 'running', awaits_end: true }));
    expect(committed.get('long')).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, CREATE_COMMIT_DELAY_MS + 40));
    expect(committed.get('long')).toBe('running');
    expect(heard.at(-1)).toBe('long state {"state":"running"}');

    // Without awaits_end (a 202, a queued job), create resolves only once committed.
    await store.create(newJob({ command_id: 'accepted', state: 'running' }));
    expect(committed.get('accepted')).toBe('running');
    await store.create(newJob({ command_id: 'queued', awaits_end: true, expires_at: T0 + 60_000 }));
    expect(committed.get('queued')).toBe('queued');
  });

  it('records the schema version, uses WAL and creates the data directory private', async () => {
    const parent = await dataDir();
    const dir = path.join(parent, 'nested', 'data');
    const store = await open({ dataDir: dir });
    expect(store.file).toBe(path.join(dir, JOBS_FILE_NAME));
    const db = raw(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(['job_events', 'jobs']);
    if (process.platform !== 'win32') {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(store.file).mode & 0o777).toBe(0o600);
    }
  });

  it('answers the list filters and the cursor order from indexes, without sorting', async () => {
    const dir = await dataDir();
    await open({ dataDir: dir });
    const db = raw(dir);
    const plan = (
      filter: Parameters<typeof buildListQuery>[0],
      after?: { createdMs: number; commandId: string },
    ) => {
      const { sql, params } = buildListQuery(filter, after, 51);
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    };
    const cursor = { createdMs: T0, commandId: 'x' };
    expect(plan({ node_id: 'ws-1' }, cursor)).toMatch(/USING INDEX jobs_by_node/);
    expect(plan({ action: 'rv.ping' })).toMatch(/USING INDEX jobs_by_action/);
    expect(plan({ state: ['queued'] }, cursor)).toMatch(/USING INDEX jobs_by_state/);
    expect(plan({ state: ['failed', 'timed_out'] }, cursor)).toMatch(/USING INDEX jobs_by_state/);
    // Succeeded jobs, most of a history, are not in jobs_by_state: read in the created order.
    expect(plan({ state: ['succeeded'] }, cursor)).toMatch(/USING (COVERING )?INDEX jobs_by_created/);
    expect(plan({ batch_id: 'b' })).toMatch(/USING INDEX jobs_by_batch/);
    expect(plan({}, cursor)).toMatch(/USING (COVERING )?INDEX jobs_by_created/);
    const statements = prepareJobStatements(db);
    const planOf = (sql: string, ...params: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    expect(planOf(statements.interrupted.source)).toMatch(/USING INDEX jobs_by_state/);
    expect(planOf(statements.purgeFinishedBefore.source, { before: T0 })).toMatch(
      /USING (COVERING )?INDEX jobs_by_created/,
    );
    const succeeded = { state: ['succeeded' as const, 'failed' as const] };
    for (const filter of [
      { node_id: 'ws-1' },
      { action: 'a' },
      { state: ['failed' as const] },
      succeeded,
      {},
    ]) {
      expect(plan(filter, cursor)).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('migrates a version 1 file forward, keeping its jobs', async () => {
    const dir = await dataDir();
    const db = fileAtSchema(dir, 1);
    db.prepare(
      `INSERT INTO jobs (command_id, node_id, action, params, state, created_ms, log_tail, event_seq)
       VALUES ('old', 'ws-1', 'rv.ping', '{}', 'succeeded', 1, '[]', 0)`,
    ).run();
    db.close();
    const store = await open({ dataDir: dir });
    expect(await store.get('old')).toMatchObject({ state: 'succeeded', request_hash: null });
    const { job } = await store.create(newJob({ command_id: 'new', request_hash: 'abc' }));
    expect(job.request_hash).toBe('abc');
    expect((await store.get('new'))?.request_hash).toBe('abc');
    expect(raw(dir).pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('migrates a version 2 file to the smaller indexes: lists by state and retention by age still find its jobs', async () => {
    const dir = await dataDir();
    const db = fileAtSchema(dir, 2);
    const insert = db.prepare(
      `INSERT INTO jobs (command_id, node_id, action, params, state, created_ms, finished_ms, log_tail, event_seq)
       VALUES (?, 'ws-1', 'rv.ping', '{}', ?, ?, ?, '[]', 0)`,
    );
    insert.run('ok-old', 'succeeded', T0 - 90_000, T0 - 80_000);
    insert.run('failed-old', 'failed', T0 - 70_000, T0 - 60_000);
    insert.run('failed-new', 'failed', T0 - 5_000, T0 - 1_000);
    insert.run('running', 'running', T0 - 95_000, null);
    db.close();
    const store = await open({ dataDir: dir, now: () => T0, markLostOnOpen: false });
    const ids = async (state: JobState[]) => (await store.list({ state })).jobs.map((job) => job.command_id);
    expect(await ids(['failed'])).toEqual(['failed-new', 'failed-old']);
    expect(await ids(['succeeded'])).toEqual(['ok-old']);
    expect(await ids(['running', 'succeeded'])).toEqual(['ok-old', 'running']);
    expect(await store.purge({ maxAgeMs: 30_000 })).toBe(2);
    expect((await store.list()).jobs.map((job) => job.command_id)).toEqual(['failed-new', 'running']);
  });

  it('fails with JOB_STORE_FAILED and the fix when better-sqlite3 or its native build is missing', async () => {
    const missing = await caught(() =>
      loadSqliteDriver(() =>
        Promise.reject(Object.assign(new Error('nope'), { code: 'ERR_MODULE_NOT_FOUND' })),
      ),
    );
    expect(missing).toMatchObject({ code: 'JOB_STORE_FAILED', details: { field: 'store' } });
    expect(missing.message).toContain('not installed');
    for (const fix of ['--allow-scripts=better-sqlite3', '--store memory'])
      expect(missing.message).toContain(fix);
    class NoBinding {
      constructor() {
        throw new Error('Could not locate the bindings file');
      }
    }
    const noBuild = await caught(() =>
      loadSqliteDriver(() => Promise.resolve({ default: NoBinding as unknown as SqliteDriver })),
    );
    expect(noBuild.code).toBe('JOB_STORE_FAILED');
    expect(noBuild.message).toContain(
      'native build could not be loaded (Could not locate the bindings file)',
    );
    expect(await loadSqliteDriver()).toBe(BetterSqlite3);
  });

  it('refuses a file written by a newer schema, saying so', async () => {
    const dir = await dataDir();
    const db = new BetterSqlite3(path.join(dir, JOBS_FILE_NAME));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const error = await caught(() => SqliteJobStore.open({ dataDir: dir }));
    expect(error).toMatchObject({ code: 'JOB_STORE_FAILED', details: { field: 'dataDir' } });
    expect(error.message).toContain(`version ${SCHEMA_VERSION + 1}`);
  });

  it('refuses a file that is not a database and a data directory that is a file', async () => {
    const dir = await dataDir();
    await writeFile(
      path.join(dir, JOBS_FILE_NAME),
      'this is not sqlite, just some text that is long enough '.repeat(20),
    );
    const error = await caught(() => SqliteJobStore.open({ dataDir: dir }));
    expect(error).toMatchObject({ code: 'JOB_STORE_FAILED', details: { field: 'dataDir' } });
    expect(error.message).toContain(JOBS_FILE_NAME);
    const file = path.join(dir, 'plain-file');
    writeFileSync(file, '');
    expect(await caught(() => SqliteJobStore.open({ dataDir: file }))).toMatchObject({
      code: 'JOB_STORE_FAILED',
    });
    expect(await caught(() => SqliteJobStore.open({ dataDir: '' }))).toMatchObject({
      code: 'CONFIG_INVALID',
      details: { field: 'dataDir' },
    });
  });

  it('stays consistent with several processes writing the same file at once', async () => {
    const dir = await dataDir();
    await mkdir(dir, { recursive: true });
    const setup = await SqliteJobStore.open({ dataDir: dir });
    await setup.create(newJob({ command_id: 'shared', state: 'running' }));
    await setup.close();
    const goFile = path.join(dir, 'go');
    const writers = ['w1', 'w2', 'w3'];
    const count = 150;
    const children: ChildProcess[] = [];
    defer(() => children.forEach((c) => c.exitCode === null && c.kill()));
    const runs = writers.map((name) => {
      const child = spawn(
        process.execPath,
        [
          '--conditions=@openclaw-node/source',
          '--import',
          'tsx',
          WRITER,
          dir,
          name,
          String(count),
          'shared',
          goFile,
          writers.join(','),
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      children.push(child);
      let out = '';
      let err = '';
      let markReady = (): void => {};
      const ready = new Promise<void>((resolve) => (markReady = resolve));
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) markReady();
      });
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const finished = new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code) => {
          markReady();
          resolve({ code, out, err });
        });
      });
      return { ready, finished };
    });
    // Start writing only when every writer has opened the file, so their writes overlap.
    await Promise.all(runs.map((r) => r.ready));
    writeFileSync(goFile, 'go');
    const finished = runs.map((r) => r.finished);
    const results = await Promise.all(finished);
    for (const result of results) expect(result, result.err).toMatchObject({ code: 0 });

    const check = await open({ dataDir: dir, markLostOnOpen: false });
    const all = (await check.list({}, { limit: 500 })).jobs;
    expect(all).toHaveLength(writers.length * count + 1);
    for (const name of writers) {
      const own = (await check.list({ node_id: name }, { limit: 500 })).jobs;
      expect(own).toHaveLength(count);
      expect(own.every((j) => j.state === 'succeeded' && j.progress === 0.5 && j.log_tail.length === 1)).toBe(
        true,
      );
    }
    const sharedEvents = await check.listEvents('shared');
    expect(sharedEvents.map((e) => e.seq)).toEqual(
      Array.from({ length: 1 + writers.length * count }, (_, i) => i + 1),
    );
    const sharedJob = await check.get('shared');
    expect(sharedJob?.log_tail).toHaveLength(200);
    const lines = sharedEvents.flatMap((e) => (e.type === 'log' ? e.data.lines : []));
    for (const name of writers) expect(lines.filter((l) => l.startsWith(`${name} `))).toHaveLength(count);
    // The writers really overlapped: their lines alternate rather than come in three blocks.
    const switches = lines.filter((l, i) => i > 0 && l.split(' ')[0] !== lines[i - 1]!.split(' ')[0]).length;
    expect(switches).toBeGreaterThan(writers.length);
    expect(raw(dir).pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
