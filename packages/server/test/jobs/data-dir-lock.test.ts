import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteJobStore } from '../../src/jobs/index.js';
import {
  DATA_DIR_LOCK_FILE,
  lockDataDir,
  type DataDirLock,
} from '../../src/jobs/store/sqlite/data-dir-lock.js';
import { caught, tempDir } from './helpers.js';

const HOLDER = fileURLToPath(new URL('./fixtures/lock-holder.ts', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function dataDir(): Promise<string> {
  const { dir, remove } = await tempDir();
  cleanups.push(remove);
  return dir;
}

function lock(dir: string, options: Parameters<typeof lockDataDir>[1] = {}): DataDirLock {
  const held = lockDataDir(dir, options);
  cleanups.push(() => held.release());
  return held;
}

/** The pid of a process that has exited: a server that died without releasing its lock. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

function writeLock(dir: string, holder: unknown): string {
  const file = path.join(dir, DATA_DIR_LOCK_FILE);
  writeFileSync(file, typeof holder === 'string' ? holder : `${JSON.stringify(holder)}\n`);
  return file;
}

describe('lockDataDir', () => {
  it('creates server.lock, private, holding pid, host name and start time, and removes it on release', async () => {
    const dir = path.join(await dataDir(), 'created');
    const held = lockDataDir(dir);
    expect(held.file).toBe(path.join(dir, 'server.lock'));
    expect(JSON.parse(readFileSync(held.file, 'utf8'))).toEqual({
      pid: process.pid,
      hostname: hostname(),
      started_at: held.holder.started_at,
    });
    expect(statSync(held.file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    held.release();
    expect(existsSync(held.file)).toBe(false);
    held.release();
    lock(dir).release();
  });

  it('refuses a second lock while the first is held, naming the directory and the holder pid', async () => {
    const dir = await dataDir();
    const first = lock(dir);
    const error = await caught(() => lockDataDir(dir));
    expect(error.code).toBe('DATA_DIR_LOCKED');
    expect(error.status).toBe(409);
    expect(error.message).toContain(
      `The data directory ${dir} is in use by server process ${process.pid} on`,
    );
    expect(error.message).toContain(`delete ${first.file}`);
    expect(error.details).toMatchObject({
      field: 'dataDir',
      data_dir: dir,
      lock_file: first.file,
      pid: process.pid,
      hostname: hostname(),
    });
    expect(readFileSync(first.file, 'utf8')).toContain(`"pid":${process.pid}`);
  });

  it('takes over the lock of a process that is dead on this host, with a warning', async () => {
    const dir = await dataDir();
    const pid = deadPid();
    writeLock(dir, { pid, hostname: hostname(), started_at: '2026-01-02T03:04:05.000Z' });
    const warnings: string[] = [];
    const held = lock(dir, { onWarning: (message) => warnings.push(message) });
    expect(held.tookOver).toEqual({ pid, hostname: hostname(), started_at: '2026-01-02T03:04:05.000Z' });
    expect(warnings).toEqual([
      `the server process ${pid} that locked it at 2026-01-02T03:04:05.000Z is not running (it did not shut down cleanly): took over the lock ${held.file}`,
    ]);
    expect(JSON.parse(readFileSync(held.file, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('takes over a lock with its own pid that this process does not hold (a restarted container)', async () => {
    const dir = await dataDir();
    writeLock(dir, { pid: process.pid, hostname: hostname(), started_at: '2026-01-02T03:04:05.000Z' });
    const held = lock(dir, { onWarning: () => undefined });
    expect(held.tookOver).toMatchObject({ pid: process.pid });
  });

  it('never takes over a lock written on another host, even when that pid is not running here', async () => {
    const dir = await dataDir();
    writeLock(dir, { pid: deadPid(), hostname: 'render-07', started_at: '2026-01-02T03:04:05.000Z' });
    const error = await caught(() => lockDataDir(dir));
    expect(error.code).toBe('DATA_DIR_LOCKED');
    expect(error.message).toMatch(
      /in use by server process \d+ on render-07 \(since 2026-01-02T03:04:05\.000Z\)/,
    );
    expect(error.details).toMatchObject({ hostname: 'render-07' });
  });

  it('waits out a lock file that is still being written, then takes an old unreadable one over', async () => {
    const dir = await dataDir();
    const file = writeLock(dir, '');
    const error = await caught(() => lockDataDir(dir));
    expect(error.code).toBe('DATA_DIR_LOCKED');
    expect(error.message).toContain('in use by a process that is still writing its lock');
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(file, minuteAgo, minuteAgo);
    const warnings: string[] = [];
    const held = lock(dir, { onWarning: (message) => warnings.push(message) });
    expect(held.tookOver).toEqual({ unreadable: '' });
    expect(warnings[0]).toMatch(/^the lock file holds no valid holder: took over/);
  });

  it('leaves a lock alone on release once it is no longer its own', async () => {
    const dir = await dataDir();
    const held = lockDataDir(dir);
    const theirs = `${JSON.stringify({ pid: 1, hostname: 'ops', started_at: 'now' })}\n`;
    writeFileSync(held.file, theirs);
    held.release();
    expect(readFileSync(held.file, 'utf8')).toBe(theirs);
  });
});

describe('SqliteJobStore and the data directory lock', () => {
  it('holds the lock while open, so a second store in the same process is refused', async () => {
    const dir = await dataDir();
    const store = await SqliteJobStore.open({ dataDir: dir });
    cleanups.push(() => store.close());
    expect(store.lock?.file).toBe(path.join(dir, 'server.lock'));
    expect((await caught(() => SqliteJobStore.open({ dataDir: dir }))).code).toBe('DATA_DIR_LOCKED');
    // A store that leaves the running jobs alone is no owner: it takes no lock.
    const reader = await SqliteJobStore.open({ dataDir: dir, markLostOnOpen: false });
    expect(reader.lock).toBeUndefined();
    await reader.close();
    await store.close();
    expect(existsSync(path.join(dir, 'server.lock'))).toBe(false);
    const again = await SqliteJobStore.open({ dataDir: dir });
    await again.close();
  });
});

interface Holder {
  child: ChildProcess;
  /** Resolves with the `ready` line, or rejects with stderr when the process exits first. */
  ready: Promise<string>;
  /** The exit code, or the signal that ended it. */
  exited: Promise<number | string | null>;
  stderr: () => string;
}

function startHolder(dir: string, commandId: string): Holder {
  const child = spawn(
    process.execPath,
    ['--conditions=@openclaw-node/source', '--import', 'tsx', HOLDER, dir, commandId],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = /^ready .*$/m.exec(out)?.[0];
      if (line) resolve(line);
    });
    void exited.then((code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  // A holder that is meant to fail is awaited through `exited` instead.
  ready.catch(() => undefined);
  return { child, ready, exited, stderr: () => err };
}

describe('two server processes on one data directory', () => {
  it('refuses the second while the first runs, takes over after it was killed', async () => {
    const dir = await dataDir();
    const first = startHolder(dir, 'job-a');
    expect(await first.ready).toBe(`ready ${first.child.pid} lost=`);

    const second = startHolder(dir, 'job-b');
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(
      `DATA_DIR_LOCKED: The data directory ${dir} is in use by server process ${first.child.pid} on ${hostname()}`,
    );
    // The first one's running job was left alone.
    const peek = await SqliteJobStore.open({ dataDir: dir, markLostOnOpen: false });
    expect((await peek.get('job-a'))?.state).toBe('running');
    expect(await peek.get('job-b')).toBeUndefined();
    await peek.close();

    first.child.kill('SIGKILL');
    await first.exited;
    const third = startHolder(dir, 'job-c');
    // The killed server's job is lost now, and its lock was taken over with a warning.
    expect(await third.ready).toBe(`ready ${third.child.pid} lost=job-a`);
    expect(third.stderr()).toContain(`warn: the server process ${first.child.pid} that locked it at`);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(existsSync(path.join(dir, 'server.lock'))).toBe(false);
  }, 60_000);
});
