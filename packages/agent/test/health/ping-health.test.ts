import { describe, expect, it } from 'vitest';
import { healthFromPing, MAX_REASON } from '../../src/health/ping-health.js';

const AT = '2025-03-01T10:00:00.000Z';

describe('healthFromPing', () => {
  it('reads the shape every built-in ping answers', () => {
    const ping = {
      ok: true,
      plugin: 'nuke',
      platform: 'linux',
      available: true,
      app: { path: '/opt/Nuke15.1v3/Nuke15.1', version: '15.1v3', source: 'location' },
    };
    expect(healthFromPing('nuke', ping, ['ping'], AT)).toEqual({
      plugin: 'nuke',
      available: true,
      app: { path: '/opt/Nuke15.1v3/Nuke15.1', version: '15.1v3' },
      checkedAt: AT,
    });
  });

  it('keeps the app path without a version it could not read', () => {
    const ping = {
      ok: true,
      available: true,
      app: { path: '/opt/rv/bin/rv', version: null, source: 'config' },
    };
    expect(healthFromPing('rv', ping, [], AT).app).toEqual({ path: '/opt/rv/bin/rv' });
  });

  it('adds where the plugin looked, naming four places and counting the rest', () => {
    const ping = {
      ok: true,
      available: false,
      app: null,
      reason: 'rv was not found',
      searched: ['$AGENT_RV_EXE (unset)', '/opt/rv/bin/rv', '/usr/local/rv/bin/rv', 'rv on PATH', '/x', '/y'],
    };
    expect(healthFromPing('rv', ping, [], AT).reason).toBe(
      'rv was not found (looked in $AGENT_RV_EXE (unset), /opt/rv/bin/rv, /usr/local/rv/bin/rv, rv on PATH and 2 more)',
    );
  });

  it('gives an unavailable plugin a reason even when its ping gave none', () => {
    expect(healthFromPing('x', { available: false }, [], AT).reason).toBe(
      'the plugin reported that it cannot run here',
    );
  });

  it('keeps a reason an available plugin gives (a caveat)', () => {
    const health = healthFromPing('nuke', { available: true, reason: 'version unknown' }, [], AT);
    expect(health).toMatchObject({ available: true, reason: 'version unknown' });
  });

  it('reads a ping that does not say available as unknown', () => {
    expect(healthFromPing('demo', { pong: true }, [], AT)).toEqual({
      plugin: 'demo',
      available: true,
      reason: 'unknown: its ping action did not say whether it is available',
      checkedAt: AT,
    });
    expect(healthFromPing('demo', null, [], AT).available).toBe(true);
  });

  it('cuts a long reason', () => {
    const health = healthFromPing('x', { available: false, reason: 'y'.repeat(5000) }, [], AT);
    expect(health.reason).toHaveLength(MAX_REASON);
    expect(health.reason!.endsWith('…')).toBe(true);
  });

  it('keeps only well-formed exceptions for actions the plugin has', () => {
    const ping = {
      available: true,
      actions: {
        submit: { available: false, reason: 'no licence' },
        status: { available: 'maybe' },
        ghost: { available: false },
        ['__proto__']: { available: false },
      },
    };
    expect(healthFromPing('farm', ping, ['submit', 'status', 'ping'], AT).actions).toEqual({
      submit: { available: false, reason: 'no licence' },
    });
  });
});
