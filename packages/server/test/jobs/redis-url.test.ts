import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from '../../src/jobs/index.js';
import { withoutPassword } from '../../src/redis/redis-url.js';
import { caught } from './helpers.js';

describe('parseRedisUrl', () => {
  it('reads host, port, database, user and password, and prints the address without them', () => {
    expect(parseRedisUrl('redis://ops:p%40ss%2Fw0rd@10.0.0.5:6380/2')).toEqual({
      host: '10.0.0.5',
      port: 6380,
      db: 2,
      username: 'ops',
      password: 'p@ss/w0rd',
      tls: false,
      display: 'redis://10.0.0.5:6380/2',
    });
    expect(parseRedisUrl('redis://:secret@redis.internal')).toEqual({
      host: 'redis.internal',
      port: 6379,
      db: 0,
      password: 'secret',
      tls: false,
      display: 'redis://redis.internal',
    });
  });

  it('takes rediss:// as TLS and an IPv6 literal as its address', () => {
    expect(parseRedisUrl('rediss://[::1]:7000/')).toMatchObject({
      host: '::1',
      port: 7000,
      db: 0,
      tls: true,
      display: 'rediss://[::1]:7000',
    });
  });

  it.each([
    [undefined, 'none was given'],
    ['   ', 'none was given'],
    ['not a url', 'does not parse'],
    ['http://h:1', 'scheme'],
    ['redis://:secret@h:1/x', 'database number'],
    ['redis://:secret@h:1/0?family=6', 'query parameters'],
    ['redis://:%E0%A4%A@h:1', 'percent-encoding'],
  ])('rejects %j (%s) naming the field, never repeating the url', async (url, why) => {
    const error = await caught(() => parseRedisUrl(url, 'cluster.redis'));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', details: { field: 'cluster.redis' } });
    expect(error.message).toContain(why);
    expect(error.message).not.toContain('secret');
  });
});

describe('withoutPassword', () => {
  it('replaces the password as given and URL-encoded', () => {
    expect(withoutPassword('AUTH p@ss and redis://:p%40ss@h', 'p@ss')).toBe('AUTH *** and redis://:***@h');
    expect(withoutPassword('nothing to hide', undefined)).toBe('nothing to hide');
  });
});
