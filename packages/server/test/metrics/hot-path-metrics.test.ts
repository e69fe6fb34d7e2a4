import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parsePrometheus } from '@openclaw-node/test-support/metrics';
import { BucketHistogram } from '../../src/metrics/bucket-histogram.js';
import { DeferredCounts } from '../../src/metrics/deferred-counter.js';
import { PendingJobs, type Job } from '../../src/jobs/pending-jobs.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
/** Below, on and between the bounds, above them all, zero, and values that must be ignored. */
const VALUES = [0, 0.0005, 0.001, 0.002, 0.01, 0.05, 0.1, 0.5, 1, 2, 3600];

describe('BucketHistogram', () => {
  it("renders exactly what prom-client's Histogram renders for the same observations", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    for (const registry of [ours, theirs]) registry.setDefaultLabels({ process_id: 'p1' });
    const fast = new BucketHistogram({
      name: 'h_seconds',
      help: 'Help "quoted" \\ text',
      labelNames: ['route', 'action'],
      buckets: BUCKETS,
      registers: [ours],
    });
    const reference = new Histogram({
      name: 'h_seconds',
      help: 'Help "quoted" \\ text',
      labelNames: ['route', 'action'],
      buckets: BUCKETS,
      registers: [theirs],
    });
    for (const [route, action] of [
      ['node', 'rv.open'],
      ['fan_out', 'a "quoted"\nname\\'],
    ] as const) {
      const series = fast.labels(route, action);
      for (const value of VALUES) {
        series.observe(value);
        reference.labels(route, action).observe(value);
      }
    }
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    // The JSON form too, but for the exemplars (null there; this histogram keeps none).
    const withoutExemplars = (json: Awaited<ReturnType<Registry['getMetricsAsJSON']>>): unknown =>
      json.map((m) => ({
        ...m,
        values: m.values.map((v) => ({ ...v, exemplar: undefined })),
      }));
    expect(withoutExemplars(await ours.getMetricsAsJSON())).toEqual(
      withoutExemplars(await theirs.getMetricsAsJSON()),
    );
    const family = parsePrometheus(text).get('h_seconds');
    expect(family?.type).toBe('HISTOGRAM');
  });

  it('ignores values that are not finite numbers, where prom-client throws', async () => {
    const registry = new Registry();
    const fast = new BucketHistogram({
      name: 'h',
      help: 'h',
      labelNames: ['op'],
      buckets: BUCKETS,
      registers: [registry],
    });
    const series = fast.labels('create');
    series.observe(Number.NaN);
    series.observe(Number.POSITIVE_INFINITY);
    series.observe(0.5);
    const text = await registry.metrics();
    expect(text).toContain('h_count{op="create"} 1\n');
    expect(text).toContain('h_sum{op="create"} 0.5\n');
  });

  it('gives the same series for the same label values, and refuses a wrong number of them', () => {
    const fast = new BucketHistogram({
      name: 'h',
      help: 'h',
      labelNames: ['a', 'b'],
      buckets: BUCKETS,
      registers: [],
    });
    expect(fast.labels('x', 'y')).toBe(fast.labels('x', 'y'));
    expect(fast.labels('x', 'y')).not.toBe(fast.labels('x\u0000y', ''));
    expect(() => fast.labels('x')).toThrow(/2 label values expected/);
  });

  it('is refused by a registry that already holds a metric of that name', () => {
    const registry = new Registry();
    new Histogram({ name: 'taken', help: 'h', registers: [registry] });
    expect(
      () =>
        new BucketHistogram({
          name: 'taken',
          help: 'h',
          labelNames: [],
          buckets: BUCKETS,
          registers: [registry],
        }),
    ).toThrow(/already been registered/);
  });
});

describe('DeferredCounts', () => {
  it('adds the increments to the prom-client counter when it is collected, once', async () => {
    const registry = new Registry();
    const deferred = new DeferredCounts();
    const counter = new Counter({
      name: 'c_total',
      help: 'c',
      labelNames: ['direction'],
      registers: [registry],
      collect() {
        deferred.flush();
      },
    });
    const inbound = deferred.of(counter.labels('in'));
    const outbound = deferred.of(counter.labels('out'));
    inbound.inc();
    inbound.inc();
    outbound.inc(5);
    const first = await registry.metrics();
    expect(first).toContain('c_total{direction="in"} 2\n');
    expect(first).toContain('c_total{direction="out"} 5\n');
    inbound.inc();
    const second = await registry.metrics();
    expect(second).toContain('c_total{direction="in"} 3\n');
    expect(second).toContain('c_total{direction="out"} 5\n');
    expect(await registry.metrics()).toBe(second);
  });
});

describe('PendingJobs.onEnd', () => {
  const job = (commandId: string): Job => ({
    commandId,
    nodeId: 'ws-1',
    connectionId: 'c1',
    action: 'rv.open',
    startedAt: new Date(),
    events: [],
    fail: () => {},
  });

  it('tells each listener once per job that leaves, and nothing for an id it does not hold', () => {
    const jobs = new PendingJobs();
    const ended: string[] = [];
    const stop = jobs.onEnd((j) => ended.push(j.commandId));
    jobs.add(job('j1'));
    jobs.add(job('j2'));
    jobs.delete('j1');
    jobs.delete('j1');
    jobs.delete('unknown');
    expect(ended).toEqual(['j1']);
    expect(jobs.size).toBe(1);
    stop();
    jobs.delete('j2');
    expect(ended).toEqual(['j1']);
    expect(jobs.size).toBe(0);
  });
});
