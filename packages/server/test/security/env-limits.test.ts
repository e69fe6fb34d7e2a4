import { describe, expect, it } from 'vitest';
import { limitVariable, securityOptionsFromEnv } from '../../src/security/security-env.js';

const TOKEN = 'env-token-4f1c9a2e7b5d8c3a';

describe('limits and known nodes from the environment', () => {
  it('reads every limit as OPENCLAW_LIMIT_<NAME>, and the older exec-rate variable', () => {
    expect(limitVariable('maxQueuedJobsPerToken')).toBe('OPENCLAW_LIMIT_MAX_QUEUED_JOBS_PER_TOKEN');
    const options = securityOptionsFromEnv({
      OPENCLAW_NODE_TOKEN: TOKEN,
      OPENCLAW_LIMIT_MAX_QUEUED_JOBS_PER_TOKEN: '5000',
      OPENCLAW_LIMIT_EVENT_STREAM_IDLE_MS: '60000',
      OPENCLAW_EXEC_RATE_PER_MINUTE: '1200',
      OPENCLAW_KNOWN_NODES: 'ws-*, render-*',
    });
    expect(options.limits).toEqual({
      maxQueuedJobsPerToken: 5000,
      eventStreamIdleMs: 60_000,
      execRatePerMinute: 1200,
    });
    expect(options.knownNodes).toEqual(['ws-*', 'render-*']);
  });

  it('names the variable of a value that is not a number', () => {
    expect(() =>
      securityOptionsFromEnv({ OPENCLAW_NODE_TOKEN: TOKEN, OPENCLAW_LIMIT_BODY_READ_TIMEOUT_MS: 'soon' }),
    ).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        details: { field: 'OPENCLAW_LIMIT_BODY_READ_TIMEOUT_MS' },
      }),
    );
  });
});
