import { readCpuSeconds } from './proc-stats.js';
import type { RedisProcess } from './redis-process.js';

/** The processes of a scale-out run whose cost is counted. */
export interface ClusterPids {
  a: number;
  b: number;
  redis: number;
}

/** CPU ms per call of each process (user + system, all threads), and Redis commands per call. */
export interface ClusterCost {
  a: number;
  b: number;
  redis: number;
  total: number;
  /**
   * Redis commands per call: those Redis ran over `work`, less the meter's own INFO calls and less
   * the background (heartbeats, presence) at the rate measured idle, when given.
   */
  redisCommands: number;
  /** Redis commands per call by name (INFO commandstats, those inside scripts included), most first. */
  byCommand: [string, number][];
}

async function commandsProcessed(redis: RedisProcess): Promise<number> {
  return Number((await redis.info('stats')).get('total_commands_processed') ?? Number.NaN);
}

/** Calls so far of each command (`cmdstat_hset:calls=12,usec=…` → hset 12). */
async function commandCalls(redis: RedisProcess): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  for (const [key, value] of await redis.info('commandstats')) {
    const count = /(?:^|,)calls=(\d+)/.exec(value);
    if (key.startsWith('cmdstat_') && count) calls.set(key.slice('cmdstat_'.length), Number(count[1]));
  }
  return calls;
}

/**
 * Run `work` and divide what A, B and Redis spent over it by the calls it reports: what one exec costs
 * the whole cluster, which other load on the machine cannot inflate the way it inflates wall time.
 * `backgroundPerMs`: the Redis commands per ms the cluster runs idle, taken out of the count.
 */
export async function meterCluster<T>(
  pids: ClusterPids,
  redis: RedisProcess,
  work: () => Promise<{ result: T; calls: number }>,
  backgroundPerMs = 0,
): Promise<[T, ClusterCost]> {
  const cpu = (): ClusterPids => ({
    a: readCpuSeconds(pids.a),
    b: readCpuSeconds(pids.b),
    redis: readCpuSeconds(pids.redis),
  });
  const before = cpu();
  const commands0 = await commandsProcessed(redis);
  const byName0 = await commandCalls(redis);
  const started = performance.now();
  const { result, calls } = await work();
  const after = cpu();
  const elapsedMs = performance.now() - started;
  const processed = (await commandsProcessed(redis)) - commands0;
  const byName = await commandCalls(redis);
  const infos = (byName.get('info') ?? 0) - (byName0.get('info') ?? 0);
  const commands = Math.max(0, processed - infos - backgroundPerMs * elapsedMs);
  const byCommand = [...byName]
    .map(([name, n]): [string, number] => [name, (n - (byName0.get(name) ?? 0)) / Math.max(1, calls)])
    .filter(([name, n]) => n >= 0.05 && name !== 'info')
    .sort((x, y) => y[1] - x[1]);
  const per = (k: keyof ClusterPids): number => ((after[k] - before[k]) * 1000) / Math.max(1, calls);
  const cost = {
    a: per('a'),
    b: per('b'),
    redis: per('redis'),
    total: 0,
    redisCommands: commands / calls,
    byCommand,
  };
  cost.total = cost.a + cost.b + cost.redis;
  return [result, cost];
}

/** "A 0.41 + B 0.38 + Redis 0.12 ms; 14.0 Redis commands" (those run inside Lua scripts count too). */
export function describeCost(c: ClusterCost): string {
  return (
    `A ${c.a.toFixed(2)} + B ${c.b.toFixed(2)} + Redis ${c.redis.toFixed(2)} ms; ` +
    `${c.redisCommands.toFixed(1)} Redis commands`
  );
}

/** Calls per second at `concurrency` for `durationMs`; failures are counted, not thrown. */
export async function throughputCounted(
  concurrency: number,
  durationMs: number,
  fn: () => Promise<void>,
): Promise<{ perS: number; ok: number; failed: number; firstError: string | undefined }> {
  let ok = 0;
  let failed = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        try {
          await fn();
          ok++;
        } catch (error) {
          failed++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  return { perS: ok / ((performance.now() - start) / 1000), ok, failed, firstError };
}

/** "evalsha 3.0, hset 2.0, …": the Redis commands of one call by name. */
export function describeCommands(c: ClusterCost): string {
  return c.byCommand.map(([name, n]) => `${name} ${n.toFixed(1)}`).join(', ');
}
