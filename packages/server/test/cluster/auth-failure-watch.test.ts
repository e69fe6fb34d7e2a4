import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
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

/**
 * Below: the AuthFailureWatch where it could let an address past its limit or stop answering: reconnects
 * during a read, the wall clock stepping, a read that fails, addresses that fail far apart. Each
 * process is built as cluster-clients.ts builds it: the limits client fails at once while
 * disconnected (enableOfflineQueue: false, commandTimeout 1000), the subscriber waits
 * (maxRetriesPerRequest: null). Written by a review that attacked the watch; each failed before its fix.
 */
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface RacingProcess {
  watch: AuthFailureWatch;
  limits: SharedLimits;
  client: Redis;
  subscriber: Redis;
}

/** A gate on the watch's read: its MULTI runs in Redis at once, its answer is held until release(). */
interface Gate {
  hold: boolean;
  reached: Promise<void>;
  release(): void;
}
function gate(): Gate {
  let reached!: () => void;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const g: Gate & { _reached: () => void; _released: Promise<void> } = {
    hold: false,
    reached: new Promise<void>((resolve) => (reached = resolve)),
    release,
    _reached: () => reached(),
    _released: released,
  };
  return g;
}
/** `real`, whose multi().….exec() answers only once the gate (when holding) is released. */
function gated(real: Redis, g: Gate): Redis {
  const inner = g as Gate & { _reached: () => void; _released: Promise<void> };
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'multi') return Reflect.get(target, prop, receiver) as unknown;
      return (...args: unknown[]) => {
        const pipeline = (target.multi as (...a: unknown[]) => object)(...args);
        const wrapped: object = new Proxy(pipeline, {
          get(p, name) {
            const value = Reflect.get(p, name) as unknown;
            if (name === 'exec') {
              return async () => {
                const answer = await (value as () => Promise<unknown>).call(p);
                if (g.hold) {
                  inner._reached();
                  await inner._released;
                }
                return answer;
              };
            }
            if (typeof value !== 'function') return value;
            return (...a: unknown[]) => {
              const out = (value as (...x: unknown[]) => unknown).apply(p, a);
              return out === p ? wrapped : out;
            };
          },
        });
        return wrapped;
      };
    },
  });
}

describe.skipIf(skipWithoutRedis)('AuthFailureWatch: the races and limits it must survive', () => {
  let redis: RedisServer;
  let prefix: string;
  const open: RacingProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  beforeEach(() => {
    prefix = `t${randomBytes(5).toString('hex')}:cluster:`;
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const p of open.splice(0)) {
      p.watch.stop();
      p.client.disconnect();
      p.subscriber.disconnect();
    }
  });

  const processOf = async (
    options: { readGate?: Gate; subscriber?: RedisOptions; now?: () => number; maxAddresses?: number } = {},
  ): Promise<RacingProcess> => {
    const client = new Redis(redis.url, { enableOfflineQueue: false, commandTimeout: 1000 });
    const subscriber = new Redis(redis.url, { maxRetriesPerRequest: null, ...options.subscriber });
    client.on('error', () => undefined);
    subscriber.on('error', () => undefined);
    await Promise.all([
      new Promise((resolve) => client.once('ready', resolve)),
      new Promise((resolve) => subscriber.once('ready', resolve)),
    ]);
    const watch = new AuthFailureWatch({
      client: options.readGate ? gated(client, options.readGate) : client,
      subscriber,
      ...authFailureKeys(prefix),
      windowMs: AUTH_FAILURE_WINDOW_MS,
      ...(options.now ? { now: options.now } : {}),
      ...(options.maxAddresses === undefined ? {} : { maxAddresses: options.maxAddresses }),
    });
    const limits = createSharedLimits(client, prefix, LIMITS, pino({ level: 'silent' }), watch);
    const p = { watch, limits, client, subscriber };
    open.push(p);
    await watch.start();
    return p;
  };

  it('a blocked address stays blocked when the subscriber drops and comes back during a re-read', async () => {
    const g = gate();
    // A reconnect delay the test can act in (ioredis's default is 50 ms, then more).
    const a = await processOf({ readGate: g, subscriber: { retryStrategy: () => 300 } });
    const b = await processOf();
    const cycle = async (during: () => Promise<void> = async () => undefined): Promise<void> => {
      const closed = new Promise((resolve) => a.subscriber.once('close', resolve));
      const back = new Promise((resolve) => a.subscriber.once('ready', resolve));
      a.subscriber.disconnect(true);
      await closed;
      await during();
      await back;
    };
    // 1. A reconnect: the watch re-reads; Redis answers its MULTI at once, the answer is slow to arrive.
    g.hold = true;
    await cycle();
    await g.reached;
    // 2. Meanwhile the subscriber drops again; 10.6.6.6 reaches the limit on b while a cannot hear;
    //    a's subscriber comes back ('ready': the watch is asked to read again).
    await cycle(async () => {
      for (let i = 0; i < LIMITS.authFailuresPerMinute; i++) await b.limits.failures.record('10.6.6.6');
    });
    expect((await b.limits.failures.check('10.6.6.6')).limited).toBe(true);
    // 3. The first read's answer arrives.
    g.release();
    await waitFor(() => (a.watch.clean('10.9.9.9') ? true : undefined), 'a listening');
    await sleep(100);
    // The address is over its limit in Redis: a must refuse it too.
    expect((await a.limits.failures.check('10.6.6.6')).limited).toBe(true);
  });

  it("a blocked address stays blocked when this host's wall clock steps forward", async () => {
    let step = 0;
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + step);
    const a = await processOf();
    const b = await processOf();
    for (let i = 0; i < LIMITS.authFailuresPerMinute; i++) await b.limits.failures.record('10.7.7.7');
    await waitFor(() => (a.watch.clean('10.7.7.7') ? undefined : true), 'a hears 10.7.7.7');
    expect((await a.limits.failures.check('10.7.7.7')).limited).toBe(true);
    // The local wall clock steps forward (NTP correcting a clock that ran behind; here 63 s, but for a
    // failure t s old any step over 62 - t s will do). Redis's clock, the limit's, did not move: the
    // failures are still in its window.
    step = 63_000;
    expect((await a.limits.failures.check('10.7.7.7')).limited).toBe(true);
  });

  it('listens again after a re-read that failed while the subscriber stayed up', async () => {
    const a = await processOf();
    expect(a.watch.clean('10.0.0.1')).toBe(true);
    // The subscriber comes back while the limits client cannot answer (it reconnects on its own
    // schedule; or the read outlasted its commandTimeout): the re-read fails.
    a.client.disconnect();
    const closed = new Promise((resolve) => a.subscriber.once('close', resolve));
    const back = new Promise((resolve) => a.subscriber.once('ready', resolve));
    a.subscriber.disconnect(true);
    await closed;
    await back;
    await sleep(200);
    expect(a.watch.clean('10.0.0.1')).toBe(false);
    // The limits client is back and stays up; so does the subscriber.
    a.client.connect().catch(() => undefined);
    await new Promise((resolve) => a.client.once('ready', resolve));
    const listening = await waitFor(
      () => (a.watch.clean('10.0.0.1') ? true : undefined),
      'the watch listening again',
      5_000,
    ).catch(() => false);
    // Else every authenticated request pays the ZCARD again, until the subscriber happens to reconnect.
    expect(listening).toBe(true);
  }, 15_000);

  it('counts toward maxAddresses only the addresses of one window, not every address ever heard', async () => {
    const clock = { now: Date.now() };
    const a = await processOf({ now: () => clock.now, maxAddresses: 3 });
    // One failing address every 70 s (scanners do this to any exposed server): never two in a window.
    for (const address of ['10.2.0.1', '10.2.0.2', '10.2.0.3', '10.2.0.4']) {
      a.watch.note(address);
      clock.now += 70_000;
    }
    // Stale entries are only dropped when their own address is checked: the fourth one "floods" the
    // watch, and every authenticated request pays the ZCARD for the next 62 s (then again later).
    expect(a.watch.clean('10.9.9.9')).toBe(true);
  });
});
