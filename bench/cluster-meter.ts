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
  redisCommands: number;
}

async function commandsProcessed(redis: RedisProcess): Promise<number> {
  return Number((await redis.info('stats')).get('total_commands_processed') ?? Number.NaN);
}

/**
 * Run `work` and divide what A, B and Redis spent over it by the calls it reports: what one exec costs
 * the whole cluster, which other load on the machine cannot inflate the way it inflates wall time.
 */
export async function meterCluster<T>(
  pids: ClusterPids,
  redis: RedisProcess,
  work: () => Promise<{ result: T; calls: number }>,
): Promise<[T, ClusterCost]> {
  const cpu = (): ClusterPids => ({
    a: readCpuSeconds(pids.a),
    b: readCpuSeconds(pids.b),
    redis: readCpuSeconds(pids.redis),
  });
  const before = cpu();
  const commands0 = await commandsProcessed(redis);
  const { result, calls } = await work();
  const after = cpu();
  // INFO itself counts as one command on each side: negligible next to thousands of calls.
  const commands = (await commandsProcessed(redis)) - commands0;
  const per = (k: keyof ClusterPids): number => ((after[k] - before[k]) * 1000) / Math.max(1, calls);
  const cost = { a: per('a'), b: per('b'), redis: per('redis'), total: 0, redisCommands: commands / calls };
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
