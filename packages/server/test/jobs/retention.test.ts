import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { MemoryJobStore, startRetention, type Retention } from '../../src/jobs/index.js';
import { caught, testClock, type TestClock } from './helpers.js';
import { newJob } from './job-store-suite.js';

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;

function memoryLogger(): {
  info: Mock<(...args: unknown[]) => void>;
  warn: Mock<(...args: unknown[]) => void>;
} {
  return { info: vi.fn(), warn: vi.fn() };
}

let clock: TestClock;
let store: MemoryJobStore;
let retention: Retention | undefined;

async function finishedJob(id: string): Promise<void> {
  await store.create(newJob({ command_id: id, state: 'running' }));
  await store.transition(id, 'succeeded');
}

beforeEach(() => {
  vi.useFakeTimers();
  clock = testClock();
  store = new MemoryJobStore({ now: clock.now });
});

afterEach(async () => {
  await retention?.stop();
  retention = undefined;
  await store.close();
  vi.useRealTimers();
});

describe('startRetention', () => {
  it('purges at start and then every interval, by age, logging what it removed', async () => {
    const logger = memoryLogger();
    await finishedJob('ancient');
    clock.advance(31 * DAY);
    await finishedJob('fresh');
    retention = startRetention({ store, logger, intervalMs: HOUR });
    await vi.advanceTimersByTimeAsync(1);
    expect(await store.get('ancient')).toBeUndefined();
    expect(await store.get('fresh')).toBeDefined();
    expect(logger.info).toHaveBeenCalledWith(expect.objectContaining({ removed: 1 }), 'job history purged');

    clock.advance(31 * DAY);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(await store.get('fresh')).toBeUndefined();
    expect(logger.info).toHaveBeenCalledTimes(2);
  });

  it('purges by count with its defaults overridden', async () => {
    for (let i = 0; i < 5; i++) {
      clock.advance(1);
      await finishedJob(`j${i}`);
    }
    retention = startRetention({ store, maxCount: 2 });
    expect(await retention.runOnce()).toBe(3);
    expect((await store.list()).jobs.map((j) => j.command_id)).toEqual(['j4', 'j3']);
  });

  it('stops purging after stop()', async () => {
    const purge = vi.spyOn(store, 'purge');
    retention = startRetention({ store, intervalMs: HOUR });
    await vi.advanceTimersByTimeAsync(HOUR + 1);
    const calls = purge.mock.calls.length;
    expect(calls).toBe(2);
    await retention.stop();
    await vi.advanceTimersByTimeAsync(10 * HOUR);
    expect(purge).toHaveBeenCalledTimes(calls);
    expect(purge).toHaveBeenCalledWith({ maxAgeMs: 30 * DAY, maxCount: 100_000 });
  });

  it('shares one purge between overlapping runOnce calls', async () => {
    const purge = vi.spyOn(store, 'purge');
    retention = startRetention({ store, intervalMs: HOUR });
    const [a, b] = await Promise.all([retention.runOnce(), retention.runOnce()]);
    expect(a).toBe(b);
    expect(purge).toHaveBeenCalledTimes(1);
  });

  it('logs a failed purge at warn and keeps going', async () => {
    const logger = memoryLogger();
    await store.close();
    retention = startRetention({ store, logger, intervalMs: HOUR });
    await vi.advanceTimersByTimeAsync(HOUR + 1);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ err: expect.objectContaining({ code: 'JOB_STORE_FAILED' }) }),
      'job history purge failed',
    );
  });

  it('rejects bad limits naming them', async () => {
    expect(await caught(() => startRetention({ store, maxAgeMs: -5 }))).toMatchObject({
      code: 'CONFIG_INVALID',
      details: { field: 'maxAgeMs' },
    });
    expect(await caught(() => startRetention({ store, intervalMs: 0 }))).toMatchObject({
      details: { field: 'intervalMs' },
    });
  });
});
