import { describe, expect, it } from 'vitest';
import { isOpenClawError } from '@openclaw-node/core';
import { parseServerUrl } from '../../src/index.js';

describe('parseServerUrl', () => {
  it.each([
    ['wss://host:8765/ws', 'https://host:8765', '/ws'],
    ['ws://pipeline-server:8765/ws', 'http://pipeline-server:8765', '/ws'],
    ['http://pipeline:8765', 'http://pipeline:8765', '/ws'],
    ['https://pipeline.studio.com/', 'https://pipeline.studio.com', '/ws'],
    ['https://gateway.studio.com/openclaw/socket/', 'https://gateway.studio.com', '/openclaw/socket'],
    ['ws://[::1]:8765/ws', 'http://[::1]:8765', '/ws'],
  ])('maps %s to origin %s and path %s', (url, origin, path) => {
    expect(parseServerUrl(url)).toEqual({ origin, path });
  });

  it.each(['pipeline:8765', 'ftp://host/ws', 'ws://', 'ws://u:p@host/ws', 'ws://host/ws?token=x'])(
    'refuses %s',
    (url) => {
      try {
        parseServerUrl(url, 'cfg.yaml');
      } catch (error) {
        expect(isOpenClawError(error) && error.code).toBe('CONFIG_INVALID');
        expect((error as Error).message).toMatch(/^cfg.yaml: server_url must/);
        return;
      }
      throw new Error(`expected ${url} to be refused`);
    },
  );
});
