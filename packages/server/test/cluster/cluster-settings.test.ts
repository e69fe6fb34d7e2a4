import { describe, expect, it } from 'vitest';
import { OpenClawError } from '@openclaw-node/core';
import { redactRedisUrl, resolveClusterSettings, type ClusterSettings } from '../../src/index.js';
import { resolveServerOptions } from '../../src/options.js';

const fieldOf = (settings: ClusterSettings): unknown => {
  try {
    resolveClusterSettings(settings);
  } catch (error) {
    expect(error).toBeInstanceOf(OpenClawError);
    expect((error as OpenClawError).code).toBe('CONFIG_INVALID');
    return (error as OpenClawError).details?.field;
  }
  return undefined;
};

describe('cluster settings', () => {
  it('fills defaults: pub/sub adapter, openclaw: prefix, 2 s heartbeats, 10 s to be taken for dead', () => {
    const settings = resolveClusterSettings({ redis: 'redis://10.0.0.5:6379' });
    expect(settings).toMatchObject({
      redis: 'redis://10.0.0.5:6379',
      adapter: 'pubsub',
      keyPrefix: 'openclaw:',
      heartbeatMs: 2000,
      processTtlMs: 10_000,
      rpcTimeoutMs: 5000,
    });
    expect(settings.processId).toMatch(/^[0-9a-f]{12}$/);
    expect(resolveClusterSettings({ redis: 'redis://h' }).processId).not.toBe(settings.processId);
  });

  it.each<[string, ClusterSettings, string]>([
    ['an http URL', { redis: 'http://10.0.0.5:6379' }, 'cluster.redis'],
    ['no URL at all', { redis: 'localhost:6379' }, 'cluster.redis'],
    ['an empty host', { redis: 'redis://:6379' }, 'cluster.redis'],
    ['an unknown adapter', { redis: 'redis://h', adapter: 'kafka' as 'pubsub' }, 'cluster.adapter'],
    ['a prefix with spaces', { redis: 'redis://h', keyPrefix: 'my prefix' }, 'cluster.keyPrefix'],
    ['a process id with a slash', { redis: 'redis://h', processId: 'a/b' }, 'cluster.processId'],
    // "-" marks a job whose requester gave up on it: a process so named would look like nobody.
    ['the process id "-"', { redis: 'redis://h', processId: '-' }, 'cluster.processId'],
    ['a process id starting with a dot', { redis: 'redis://h', processId: '.a' }, 'cluster.processId'],
    ['a zero heartbeat', { redis: 'redis://h', heartbeatMs: 0 }, 'cluster.heartbeatMs'],
    ['a fractional timeout', { redis: 'redis://h', rpcTimeoutMs: 1.5 }, 'cluster.rpcTimeoutMs'],
    [
      'a ttl under two heartbeats',
      { redis: 'redis://h', heartbeatMs: 1000, processTtlMs: 1500 },
      'cluster.processTtlMs',
    ],
  ])('refuses %s, naming the field', (_what, settings, field) => {
    expect(fieldOf(settings)).toBe(field);
  });

  it('never puts the password of the Redis URL in a message', () => {
    expect(redactRedisUrl('redis://:s3cret-pass@10.0.0.5:6379/2')).toBe('redis://:***@10.0.0.5:6379/2');
    expect(redactRedisUrl('rediss://app:s3cret-pass@redis.studio.lan')).not.toContain('s3cret');
    try {
      resolveClusterSettings({ redis: 'redis://:s3cret-pass@', adapter: 'pubsub' });
    } catch (error) {
      expect((error as Error).message).not.toContain('s3cret');
    }
  });

  it('keeps the job history in Redis in scale-out mode, and refuses a store only one process can own', () => {
    const tokens = [{ name: 'ci', token: 'a-token-of-sixteen-chars' }];
    expect(resolveServerOptions({ tokens, cluster: { redis: 'redis://h' } }).store).toBe('redis');
    for (const store of ['sqlite', 'memory'] as const) {
      expect(() => resolveServerOptions({ tokens, store, cluster: { redis: 'redis://h' } })).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', details: { field: 'store' } }),
      );
    }
    expect(resolveServerOptions({ tokens }).cluster).toBeUndefined();
  });
});
