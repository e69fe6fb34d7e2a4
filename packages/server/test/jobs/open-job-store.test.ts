import { existsSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  JOBS_FILE_NAME,
  MemoryJobStore,
  RedisJobStore,
  SqliteJobStore,
  openJobStore,
  type JobStore,
  type JobStoreKind,
} from '../../src/jobs/index.js';
import { skipWithoutRedis, startRedis } from '@openclaw-node/test-support/redis';
import { caught, tempDir } from './helpers.js';
import { newJob } from './job-store-suite.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function dir(): Promise<string> {
  const t = await tempDir();
  cleanups.push(t.remove);
  return t.dir;
}

function track(store: JobStore): JobStore {
  cleanups.push(() => store.close());
  return store;
}

describe('openJobStore', () => {
  it('opens a memory store', async () => {
    const store = track(await openJobStore({ kind: 'memory', logTailLines: 1 }));
    expect(store).toBeInstanceOf(MemoryJobStore);
    const { job } = await store.create(newJob({ state: 'running' }));
    await store.appendLog(job.command_id, ['a', 'b']);
    expect((await store.get(job.command_id))?.log_tail).toEqual(['b']);
  });

  it('opens jobs.sqlite in the data directory and reports jobs lost by the last shutdown', async () => {
    const dataDir = await dir();
    const first = await openJobStore({ kind: 'sqlite', dataDir });
    expect(first).toBeInstanceOf(SqliteJobStore);
    expect(existsSync(path.join(dataDir, JOBS_FILE_NAME))).toBe(true);
    await first.create(newJob({ command_id: 'r1', state: 'running' }));
    await first.close();
    const logger = { info: vi.fn(), warn: vi.fn() };
    const second = track(await openJobStore({ kind: 'sqlite', dataDir, logger }));
    expect((await second.get('r1'))?.state).toBe('lost');
    expect(logger.warn).toHaveBeenCalledWith(
      { lost: 1, command_ids: ['r1'] },
      'jobs interrupted by the last shutdown were marked lost',
    );
    expect(logger.info).toHaveBeenCalledWith(
      { file: path.join(dataDir, JOBS_FILE_NAME) },
      'job history opened',
    );
  });

  it('needs a data directory for sqlite', async () => {
    expect(await caught(() => openJobStore({ kind: 'sqlite' }))).toMatchObject({
      code: 'CONFIG_INVALID',
      details: { field: 'dataDir' },
    });
  });

  it('names the valid kinds for an unknown one', async () => {
    const error = await caught(() => openJobStore({ kind: 'mongo' as JobStoreKind }));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', details: { field: 'store' } });
    expect(error.message).toContain('sqlite, memory, redis');
  });

  it.skipIf(skipWithoutRedis)(
    'opens a redis store on the url and key prefix given, and logs the address without the password',
    async () => {
      const redis = await startRedis({ password: 'pw-9f2c' });
      cleanups.push(() => redis.stop());
      const logger = { info: vi.fn(), warn: vi.fn() };
      const store = track(
        await openJobStore({
          kind: 'redis',
          redisUrl: redis.url,
          redisKeyPrefix: 'ojs:',
          logTailLines: 1,
          logger,
        }),
      );
      expect(store).toBeInstanceOf(RedisJobStore);
      const { job } = await store.create(newJob({ state: 'running' }));
      await store.appendLog(job.command_id, ['a', 'b']);
      expect((await store.get(job.command_id))?.log_tail).toEqual(['b']);
      const admin = new Redis(redis.url);
      cleanups.push(async () => void (await admin.quit()));
      expect(await admin.exists(`ojs:job:${job.command_id}`)).toBe(1);
      expect(logger.info).toHaveBeenCalledWith(
        { redis: `redis://127.0.0.1:${redis.port}` },
        'job history opened',
      );
      expect(JSON.stringify(logger.info.mock.calls)).not.toContain('pw-9f2c');
    },
  );

  it('needs a Redis URL for redis', async () => {
    const error = await caught(() => openJobStore({ kind: 'redis' }));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', details: { field: 'redis' } });
    expect(error.message).toContain('redisUrl');
  });

  it('checks the shared options', async () => {
    expect(await caught(() => openJobStore({ kind: 'memory', logTailLines: 0 }))).toMatchObject({
      code: 'CONFIG_INVALID',
      details: { field: 'logTailLines' },
    });
  });
});
