import type { ServerOptions } from '@openclaw-node/server';
import { afterEach, beforeEach } from 'vitest';
import {
  connectAgent,
  startServer,
  type FakeAgent,
  type TestServer,
} from '@openclaw-node/test-support/server';

/** The server of the running test, and fake agents that are closed with it. */
export interface UsedTestServer extends TestServer {
  /** Connect a fake agent (as `connectAgent`); it is closed after the test, before the server. */
  agent: (...args: Parameters<typeof connectAgent>) => Promise<FakeAgent>;
}

/**
 * A fresh test server (`startServer(overrides)`) for every test of the calling file: started before
 * each test, closed after it together with the agents connected through `agent`. Its properties
 * always read the running test's server.
 * @example const t = useTestServer(); … await api(t.url, '/api/nodes');
 */
export function useTestServer(overrides: Partial<ServerOptions> = {}): UsedTestServer {
  let current: TestServer | undefined;
  const agents: FakeAgent[] = [];
  const running = (): TestServer => {
    if (current === undefined) throw new Error('useTestServer: the server runs only inside a test');
    return current;
  };

  beforeEach(async () => {
    current = await startServer(overrides);
  });

  afterEach(async () => {
    agents.splice(0).forEach((a) => a.close());
    await current?.close();
    current = undefined;
  });

  return {
    get server() {
      return running().server;
    },
    get url() {
      return running().url;
    },
    get port() {
      return running().port;
    },
    get logs() {
      return running().logs;
    },
    close: () => running().close(),
    agent: async (...args) => {
      const a = await connectAgent(...args);
      agents.push(a);
      return a;
    },
  };
}
