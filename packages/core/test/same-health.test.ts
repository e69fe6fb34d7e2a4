import { describe, expect, it } from 'vitest';
import { sameHealth, type PluginHealth } from '../src/index.js';

const rv = (over: Partial<PluginHealth> = {}): PluginHealth => ({
  plugin: 'rv',
  available: true,
  app: { path: '/opt/rv/bin/rv', version: '2024.1' },
  checkedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const nuke = (over: Partial<PluginHealth> = {}): PluginHealth => ({
  plugin: 'nuke',
  available: false,
  reason: 'Nuke was not found',
  checkedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('sameHealth', () => {
  it('ignores when a plugin was checked and the order of the plugins', () => {
    expect(sameHealth([rv(), nuke()], [nuke({ checkedAt: '2026-02-02T00:00:00.000Z' }), rv()])).toBe(true);
  });

  it('sees a change in availability, reason, application or an action', () => {
    expect(sameHealth([rv()], [rv({ available: false })])).toBe(false);
    expect(sameHealth([nuke()], [nuke({ reason: 'no license' })])).toBe(false);
    expect(sameHealth([rv()], [rv({ app: { path: '/opt/rv/bin/rv', version: '2025.0' } })])).toBe(false);
    expect(sameHealth([rv()], [rv({ actions: { open_session: { available: false } } })])).toBe(false);
    expect(sameHealth([rv()], [rv(), nuke()])).toBe(false);
  });

  it('compares as lists with repeats, not as sets', () => {
    expect(sameHealth([rv(), nuke()], [rv(), rv()])).toBe(false);
    expect(sameHealth([rv(), rv()], [rv(), nuke()])).toBe(false);
  });
});
