import { describe, expect, it } from 'vitest';
import { parsePrometheus } from '@openclaw-node/test-support/metrics';
import { MAX_ACTION_LABELS, ServerMetrics } from '../../src/metrics/server-metrics.js';

function metrics(
  options: { knownAction?: (action: string) => boolean; processId?: string } = {},
): ServerMetrics {
  return new ServerMetrics({
    sources: {
      agentsByPlatform: () => new Map([['linux', 2]]),
      execInFlight: () => 0,
      sseSubscribers: () => 0,
      jobsByState: () => new Map(),
    },
    knownAction: options.knownAction ?? (() => true),
    ...(options.processId ? { processId: options.processId } : {}),
  });
}

describe('metric labels stay bounded', () => {
  it('reports at most MAX_ACTION_LABELS actions, the rest as other, and plugin codes as OTHER', async () => {
    const m = metrics();
    for (let i = 0; i < 2000; i++) m.exec('node', `hostile.action_${i}`, `CODE_${i}`, 0.01);
    const f = parsePrometheus(await m.render());
    const series = f.get('openclaw_exec_requests_total')!.metrics;
    const actions = new Set(series.map((s) => s.labels!.action));
    expect(actions.size).toBe(MAX_ACTION_LABELS + 1);
    expect(actions.has('other')).toBe(true);
    expect(new Set(series.map((s) => s.labels!.code))).toEqual(new Set(['OTHER']));
    const total = series.reduce((sum, s) => sum + Number(s.value), 0);
    expect(total).toBe(2000);
  });

  it('gives an action not in the catalog no label of its own, and unknown disconnect reasons none either', async () => {
    const m = metrics({ knownAction: (a) => a === 'tools.ping' });
    m.exec('node', 'tools.ping', 'ok', 0.01);
    m.exec('node', '<script>alert(1)</script>', 'ACTION_NOT_FOUND', 0.01);
    m.disconnect('transport close');
    m.disconnect('anything an attacker typed');
    const text = await m.render();
    expect(text).not.toContain('<script>');
    expect(text).not.toContain('attacker');
    const f = parsePrometheus(text);
    expect(
      f
        .get('openclaw_exec_requests_total')!
        .metrics.map((s) => s.labels!.action)
        .sort(),
    ).toEqual(['other', 'tools.ping']);
    expect(
      f
        .get('openclaw_agent_disconnects_total')!
        .metrics.map((s) => s.labels!.reason)
        .sort(),
    ).toEqual(['other', 'transport close']);
  });

  it('labels every series with the process id in scale-out', async () => {
    const m = metrics({ processId: 'proc-a' });
    m.exec('node', 'tools.ping', 'ok', 0.01);
    const f = parsePrometheus(await m.render());
    for (const name of [
      'openclaw_agents_connected',
      'openclaw_exec_requests_total',
      'process_cpu_user_seconds_total',
    ]) {
      const samples = f.get(name)!.metrics;
      expect(samples.length).toBeGreaterThan(0);
      for (const sample of samples) expect(sample.labels?.process_id).toBe('proc-a');
    }
  });
});
