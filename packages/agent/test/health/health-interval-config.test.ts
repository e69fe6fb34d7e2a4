import { describe, expect, it } from 'vitest';
import { resolveAgentConfig } from '../../src/index.js';

const base = { server_url: 'ws://pipeline:8765/ws', auth_token: 's3cret', node_id: 'ws-017' };

function errorOf(raw: Record<string, unknown>): { code: string; message: string; details: unknown } {
  try {
    resolveAgentConfig(raw, { env: {} });
  } catch (error) {
    const { code, message, details } = error as { code: string; message: string; details: unknown };
    return { code, message, details };
  }
  throw new Error('expected the config to be refused');
}

describe('health_interval', () => {
  it('defaults to 300 seconds', () => {
    expect(resolveAgentConfig(base, { env: {} }).health_interval).toBe(300);
  });

  it('accepts 0 (check only at start) and intervals from 10 seconds to a day', () => {
    for (const value of [0, 10, 60.5, 86_400]) {
      expect(resolveAgentConfig({ ...base, health_interval: value }, { env: {} }).health_interval).toBe(
        value,
      );
    }
  });

  it('reads an empty value as the default', () => {
    expect(resolveAgentConfig({ ...base, health_interval: null }, { env: {} }).health_interval).toBe(300);
  });

  it.each([
    ['5m', 'health_interval must be a number, got "5m"'],
    [-1, 'health_interval must be >= 0, got -1'],
    [100_000, 'health_interval must be <= 86400, got 100000'],
    [2, "health_interval must be 0 or at least 10 seconds (each check runs every plugin's ping), got 2"],
  ])('refuses %j, naming the field', (value, message) => {
    const error = errorOf({ ...base, health_interval: value });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(`node_config.yaml: ${message}`);
    expect(error.message).toContain('e.g. health_interval: 300');
    expect(error.details).toMatchObject({ field: 'health_interval' });
  });
});
