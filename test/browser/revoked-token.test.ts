import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type AuthProvider, type OpenClawServer, type Principal } from '@openclaw-node/server';
import { connectAgent, memoryLogger, type FakeAgent } from '@openclaw-node/test-support/server';
import { launchChromium, skipBrowserTests, type LaunchedBrowser } from './chromium.js';

// A token revoked while the page is open: the live stream's next heartbeat says so, and the page
// signs out and clears what it showed.
const ADMIN = 'revocable-admin-token-6b2d9f4a1e';
const AGENT = 'revocable-agent-token-1c7e3a9f5b';

describe.skipIf(skipBrowserTests)('a token revoked while the dashboard is open', { timeout: 60_000 }, () => {
  const valid = new Map<string, Principal>([
    [ADMIN, { name: 'td-revocable', roles: ['admin'] }],
    [AGENT, { name: 'agents', roles: ['agent'] }],
  ]);
  const auth: AuthProvider = { authenticate: (credential) => valid.get(credential) ?? null };
  let server: OpenClawServer;
  let base: string;
  let agent: FakeAgent;
  let chromium: LaunchedBrowser;

  beforeAll(async () => {
    server = createServer({
      host: '127.0.0.1',
      port: 0,
      store: 'memory',
      logger: memoryLogger().logger,
      tokens: [],
      auth,
      sseHeartbeatMs: 200,
    });
    base = (await server.listen()).url;
    agent = await connectAgent(base, { nodeId: 'ws-001', token: AGENT });
    chromium = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    agent?.socket.close();
    await server?.close();
  });

  it('signs the page out and clears the fleet', async () => {
    const page: Page = await chromium.context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${base}/`);
    await page.getByLabel('API token').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: /^ws-001, online/ }).waitFor();
    valid.delete(ADMIN);
    await page.getByText(/^Signed out:/).waitFor();
    await page.getByLabel('API token').waitFor();
    expect(await page.getByRole('list', { name: 'Nodes' }).count()).toBe(0);
    expect(await page.getByText('ws-001').count()).toBe(0);
    await page.close();
  });
});
