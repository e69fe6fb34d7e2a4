import type { PluginHealth } from '@openclaw-node/core';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHealthMonitor, type HealthRound } from '../../src/health/health-monitor.js';

const logger = pino({ level: 'silent' });

function health(plugin: string, available: boolean, at = new Date().toISOString()): PluginHealth {
  return available
    ? { plugin, available, checkedAt: at }
    : { plugin, available, reason: `${plugin} was not found`, checkedAt: at };
}

/** A round whose answers the test scripts, one list per round (the last one repeats). */
function scripted(rounds: PluginHealth[][]): HealthRound & { calls: number } {
  const round = Object.assign(
    async (_signal: AbortSignal, onResult: (h: PluginHealth) => void) => {
      const answer = rounds[Math.min(round.calls, rounds.length - 1)]!;
      round.calls += 1;
      await Promise.resolve();
      for (const h of answer) onResult(h);
      return answer.map((h) => ({ ...h, checkedAt: new Date().toISOString() }));
    },
    { calls: 0 },
  );
  return round;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createHealthMonitor', () => {
  it('reports the first round, then only rounds that changed something', async () => {
    vi.useFakeTimers();
    const round = scripted([
      [health('rv', false)],
      [health('rv', false)],
      [health('rv', true)],
      [health('rv', true)],
    ]);
    const changes: PluginHealth[][] = [];
    const monitor = createHealthMonitor({
      round,
      intervalMs: 300_000,
      onChange: (h) => changes.push(h),
      logger,
    });
    monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(changes.map((c) => c[0]!.available)).toEqual([false]);
    await vi.advanceTimersByTimeAsync(300_000);
    expect(round.calls).toBe(2);
    expect(changes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(300_000);
    expect(round.calls).toBe(3);
    expect(changes.map((c) => c[0]!.available)).toEqual([false, true]);
    await vi.advanceTimersByTimeAsync(300_000);
    expect(round.calls).toBe(4);
    expect(changes).toHaveLength(2);
    expect(monitor.current()).toEqual([expect.objectContaining({ plugin: 'rv', available: true })]);
    monitor.stop();
    await vi.advanceTimersByTimeAsync(900_000);
    expect(round.calls).toBe(4);
  });

  it('checks only once with an interval of 0', async () => {
    vi.useFakeTimers();
    const round = scripted([[health('rv', true)]]);
    const monitor = createHealthMonitor({ round, intervalMs: 0, onChange: () => undefined, logger });
    monitor.start();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(round.calls).toBe(1);
    monitor.stop();
  });

  it('shows the checks finished so far before the first round ends', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const round: HealthRound = async (_signal, onResult) => {
      const fast = health('explorer', true);
      onResult(fast);
      await gate;
      const slow = health('rv', false);
      onResult(slow);
      return [slow, fast];
    };
    const monitor = createHealthMonitor({ round, intervalMs: 0, onChange: () => undefined, logger });
    monitor.start();
    await monitor.settled(20);
    expect(monitor.current().map((h) => h.plugin)).toEqual(['explorer']);
    release();
    await monitor.settled(5000);
    expect(monitor.current().map((h) => h.plugin)).toEqual(['explorer', 'rv']);
    monitor.stop();
  });

  it('joins a round already running instead of starting a second one', async () => {
    const round = scripted([[health('rv', true)]]);
    const monitor = createHealthMonitor({ round, intervalMs: 0, onChange: () => undefined, logger });
    const [a, b] = await Promise.all([monitor.checkNow(), monitor.checkNow()]);
    expect(round.calls).toBe(1);
    expect(a).toBe(b);
    monitor.stop();
  });

  it('aborts the running round on stop and reports nothing after it', async () => {
    let signal: AbortSignal | undefined;
    const changes: unknown[] = [];
    const monitor = createHealthMonitor({
      round: (s) => {
        signal = s;
        return new Promise((resolve) => s.addEventListener('abort', () => resolve([health('rv', true)])));
      },
      intervalMs: 1000,
      onChange: (h) => changes.push(h),
      logger,
    });
    monitor.start();
    monitor.stop();
    await monitor.settled(1000);
    expect(signal?.aborted).toBe(true);
    expect(changes).toEqual([]);
  });
});
