import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, skipWithoutRedis, type RedisServer } from '@openclaw-node/test-support/redis';
import { waitFor } from '@openclaw-node/test-support/server';
import { AuthFailureWatch } from '../../src/cluster/auth-failure-watch.js';
import {
  AUTH_FAILURE_WINDOW_MS,
  authFailureKeys,
  createSharedLimits,
  type SharedLimits,
} from '../../src/cluster/redis-rate-limits.js';

const LIMITS = { execRatePerMinute: 0, execBurst: 0, authFailuresPerMinute: 3 };

/** One server process's view: its clients, its watch (on a clock the test moves) and its limits. */
interface Process {
  watch: AuthFailureWatch;
  limits: SharedLimits;
  client: Redis;
  subscriber: Redis;
  clock: { now: number };
}

describe.skipIf(skipWithoutRedis)('AuthFailureWatch: failed logins anywhere in the cluster', () => {
  let redis: RedisServer;
  let prefix: string;
  const open: Process[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    for (const p of open.splice(0)) {
      p.watch.stop();
      await Promise.all([p.client.quit(), p.subscriber.quit()]);
    }
  });

  const processOf = async (options: { start?: boolean; maxAddresses?: number } = {}): Promise<Process> => {
    const client = new Redis(redis.url);
    const subscriber = new Redis(redis.url);
    // Connected (and ioredis's ready check done) before anything is counted.
    await Promise.all([client.ping(), subscriber.ping()]);
    const clock = { now: Date.now() };
    const watch = new AuthFailureWatch({
      client,
      subscriber,
      ...authFailureKeys(prefix),
      windowMs: AUTH_FAILURE_WINDOW_MS,
      now: () => clock.now,
      ...(options.maxAddresses === undefined ? {} : { maxAddresses: options.maxAddresses }),
    });
    const limits = createSharedLimits(client, prefix, LIMITS, pino({ level: 'silent' }), watch);
    const p = { watch, limits, client, subscriber, clock };
    open.push(p);
    if (options.start !== false) await watch.start();
    return p;
  };

  /** Redis commands the server ran for `work`, not counting the INFO calls that measure it. */
  const commandsFor = async (work: () => unknown): Promise<number> => {
    const probe = new Redis(redis.url);
    await probe.ping();
    try {
      const processed = async (): Promise<number> =>
        Number(/total_commands_processed:(\d+)/.exec(await probe.info('stats'))![1]);
      const before = await processed();
      await work();
      return (await processed()) - before - 1;
    } finally {
      await probe.quit();
    }
  };

  beforeAll(() => {
    prefix = `t${randomBytes(5).toString('hex')}:cluster:`;
  });

  it('knows nothing before it listens: every check asks Redis', async () => {
    const a = await processOf({ start: false });
    expect(a.watch.clean('10.0.0.1')).toBe(false);
    expect(await commandsFor(() => a.limits.failures.check('10.0.0.1'))).toBe(1);
    await a.watch.start();
    expect(a.watch.clean('10.0.0.1')).toBe(true);
    expect(await commandsFor(() => a.limits.failures.check('10.0.0.1'))).toBe(0);
  });

  it("hears another process's failures at once, and reads those recorded before it started", async () => {
    prefix = `t${randomBytes(5).toString('hex')}:cluster:`;
    const a = await processOf();
    await a.limits.failures.record('10.0.0.7');
    const b = await processOf();
    // Recorded before b listened: read at its start.
    expect(b.watch.clean('10.0.0.7')).toBe(false);
    await b.limits.failures.record('10.0.0.8');
    // Recorded by b: a hears it (and b knew at once).
    expect(b.watch.clean('10.0.0.8')).toBe(false);
    await waitFor(() => (a.watch.clean('10.0.0.8') ? undefined : true), 'a hears the failure of b');
    expect(a.watch.clean('10.0.0.9')).toBe(true);
    // The decision for an address that failed still comes from Redis, and counts both processes.
    await a.limits.failures.record('10.0.0.8');
    expect(await b.limits.failures.check('10.0.0.8')).toEqual({ limited: false, retryAfterS: 0 });
    await b.limits.failures.record('10.0.0.8');
    expect((await a.limits.failures.check('10.0.0.8')).limited).toBe(true);
    // Once the window has passed on the watch's clock, the address is clean again.
    a.clock.now += AUTH_FAILURE_WINDOW_MS + 2_500;
    expect(a.watch.clean('10.0.0.8')).toBe(true);
  });

  it('asks Redis again while its connection is away, and reads what it missed when it is back', async () => {
    prefix = `t${randomBytes(5).toString('hex')}:cluster:`;
    const a = await processOf();
    const b = await processOf();
    expect(a.watch.clean('10.0.0.20')).toBe(true);
    const closed = new Promise((resolve) => a.subscriber.once('close', resolve));
    const back = new Promise((resolve) => a.subscriber.once('ready', resolve));
    a.subscriber.disconnect(true);
    await closed;
    expect(a.watch.clean('10.0.0.20')).toBe(false);
    // Recorded while a could not hear it.
    await b.limits.failures.record('10.0.0.20');
    await back;
    await waitFor(() => (a.watch.clean('10.0.0.21') ? true : undefined), 'a listening again');
    expect(a.watch.clean('10.0.0.20')).toBe(false);
  });

  it('stops answering past maxAddresses in a window (each check asks Redis), then reads again', async () => {
    prefix = `t${randomBytes(5).toString('hex')}:cluster:`;
    const a = await processOf({ maxAddresses: 3 });
    for (const address of ['10.1.0.1', '10.1.0.2', '10.1.0.3', '10.1.0.4']) {
      await a.limits.failures.record(address);
    }
    expect(a.watch.clean('10.9.9.9')).toBe(false);
    expect(await commandsFor(() => a.limits.failures.check('10.9.9.9'))).toBe(1);
    // A window later (here: Redis's set emptied, as if they had aged out there too) it reads again.
    await a.client.del(authFailureKeys(prefix).recent);
    a.clock.now += AUTH_FAILURE_WINDOW_MS + 2_500;
    expect(a.watch.clean('10.9.9.9')).toBe(false);
    await waitFor(() => (a.watch.clean('10.9.9.9') ? true : undefined), 'answering after the fresh read');
    expect(await commandsFor(() => a.limits.failures.check('10.9.9.9'))).toBe(0);
  });
});
