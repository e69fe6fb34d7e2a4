/// <reference lib="dom" />
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import { connectAgent, memoryLogger, type FakeAgent } from '@openclaw-node/test-support/server';
import {
  createWorkspace,
  readToolsLog,
  repoRoot,
  startAgentProcess,
  waitFor,
  writeAgentConfig,
  type RunningProcess,
} from '../e2e/harness.js';
import { launchChromium, skipBrowserTests, type LaunchedBrowser } from './chromium.js';

// The dashboard in a real chromium, against a real server on loopback with real agent processes
// (explorer, and a test plugin whose job takes a while and logs markup) and one hostile agent
// speaking the protocol over a real Socket.IO connection with markup in its hostname and tags.
const ADMIN = 'dashboard-admin-token-3f8a1c9e5b';
const VIEWER = 'dashboard-viewer-token-7d2e4b6a1c';
const AGENT = 'dashboard-agent-token-9c5f2a8e3d';
const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">';
const HOSTILE_PATH = '/mnt/<img src=x onerror="window.__pwned=2">';
const farmPlugin = path.join(repoRoot, 'test/fixtures/dashboard-plugin');

let ws: Awaited<ReturnType<typeof createWorkspace>>;
let server: OpenClawServer;
let base: string;
let show: string;
const agents = new Map<string, RunningProcess>();
let hostile: FakeAgent;
let chromium: LaunchedBrowser;
const logs = memoryLogger();
/** What chromium reported as blocked by the page's Content-Security-Policy: must stay empty. */
const cspViolations: string[] = [];

async function startAgent(nodeId: string, plugins: string[], tags: string[]): Promise<void> {
  const config = await writeAgentConfig(ws.dir, {
    node_id: nodeId,
    server_url: `${base.replace(/^http/, 'ws')}/ws`,
    auth_token: AGENT,
    plugins,
    tags,
    allowed_paths: [show],
    heartbeat_interval: 30,
  });
  agents.set(nodeId, startAgentProcess(config, { FAKE_TOOLS_LOG: ws.toolsLog }));
}

/** A page that records every URL it requests (the token must never be in one). */
async function openDashboard(): Promise<{ page: Page; urls: string[] }> {
  const page = await chromium.context.newPage();
  // Waits end well before the test's own timeout, so a failure names what the page did not show.
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => console.error('page error:', error.message));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  onTestFailed(async () => {
    const file = path.join(ws.dir, `failed-${Date.now()}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    console.error(
      `page at failure (${page.url()}): ${file}\n${(
        await page
          .locator('body')
          .innerText()
          .catch(() => '')
      ).slice(0, 2000)}`,
    );
  });
  const urls: string[] = [];
  page.on('request', (request: Request) => urls.push(request.url()));
  const response = await page.goto(`${base}/`);
  expect(response?.status()).toBe(200);
  return { page, urls };
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** The generated form's control for a field, by its role and accessible name (the property name). */
const field = (page: Page, role: 'textbox' | 'spinbutton' | 'combobox' | 'checkbox', name: string) =>
  page.getByRole(role, { name, exact: true });

describe.skipIf(skipBrowserTests)('the web dashboard in chromium', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    ws = await createWorkspace();
    show = path.join(ws.dir, 'show');
    await mkdir(path.join(show, 'sh010'), { recursive: true });
    server = createServer({
      host: '127.0.0.1',
      port: 0,
      store: 'memory',
      logger: logs.logger,
      tokens: [
        { name: 'td-admin', token: ADMIN },
        { name: 'td-viewer', token: VIEWER, roles: ['viewer'] },
        { name: 'agents', token: AGENT, roles: ['agent'] },
      ],
    });
    base = (await server.listen()).url;
    await startAgent('ws-anim-01', ['explorer', farmPlugin], ['anim', 'gpu']);
    await startAgent('ws-comp-02', ['explorer'], ['comp']);
    hostile = await connectAgent(base, {
      nodeId: 'ws-hostile',
      token: AGENT,
      hello: { hostname: HOSTILE_NAME, tags: ['<b>bold</b>', 'comp'], allowed_paths: [HOSTILE_PATH] },
    });
    await waitFor(
      async () => {
        const r = await fetch(`${base}/api/nodes`, { headers: { authorization: `Bearer ${ADMIN}` } });
        const body = (await r.json()) as { count: number };
        return body.count === 3 ? true : undefined;
      },
      'three nodes connected',
      20_000,
    );
    chromium = await launchChromium();
  }, 60_000);

  afterEach(() => {
    expect(cspViolations.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await chromium?.close();
    hostile?.socket.close();
    await Promise.all([...agents.values()].map((a) => a.stop()));
    await server?.close();
    await ws?.cleanup();
  });

  it('signs in, lists the agents and shows one going offline, the token in no URL or storage', async () => {
    const { page, urls } = await openDashboard();
    await signIn(page, ADMIN);
    const fleet = page.getByRole('list', { name: 'Nodes' });
    await fleet.getByRole('link', { name: /^ws-anim-01, online/ }).waitFor();
    await fleet.getByRole('link', { name: /^ws-comp-02, online/ }).waitFor();
    await agents.get('ws-comp-02')!.stop();
    await fleet.getByRole('link', { name: /^ws-comp-02, offline/ }).waitFor();
    expect(await fleet.getByRole('link', { name: /^ws-anim-01, online/ }).count()).toBe(1);
    const storage = await page.evaluate(() => ({
      local: JSON.stringify(localStorage),
      session: JSON.stringify(sessionStorage),
      cookie: document.cookie,
    }));
    expect(storage.local + storage.session + storage.cookie).not.toContain(ADMIN);
    expect(urls.some((u) => u.includes(ADMIN))).toBe(false);
    expect(urls.some((u) => u.endsWith('/api/events'))).toBe(true);
    expect(JSON.stringify(logs.logs)).not.toContain(ADMIN);
    // Sign-out clears the page.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    expect(await page.getByRole('list', { name: 'Nodes' }).count()).toBe(0);
    await page.close();
  });

  it('runs explorer.open_folder from the generated form and shows it succeed; a bad path shows the server error on its field', async () => {
    const { page } = await openDashboard();
    await signIn(page, ADMIN);
    await page.getByRole('link', { name: /^ws-anim-01, online/ }).click();
    await page.getByRole('link', { name: 'Run explorer.open_folder' }).click();
    const pathField = field(page, 'textbox', 'path');
    // The agent's allowed_paths (from its hello) are the field's description.
    await page.getByText(`ws-anim-01 allows paths under: ${show}`).waitFor();
    const hintId = (await pathField.getAttribute('aria-describedby'))!.split(' ')[0]!;
    expect(await page.locator(`[id="${hintId}"]`).textContent()).toContain(show);
    await pathField.fill('relative/sh010');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const fieldError = page.locator('.field.has-error .field-error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toMatch(/path/i);
    expect(await pathField.getAttribute('aria-invalid')).toBe('true');

    await pathField.fill(path.join(show, 'sh010'));
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForURL(/#\/jobs\//);
    await page.getByTestId('job-state').getByText('succeeded').waitFor();
    expect(await page.getByLabel('Result').textContent()).toContain('sh010');
    // Explorer answers after a grace period even if xdg-open is still starting (a loaded machine).
    const started = await waitFor(async () => {
      const log = await readToolsLog(ws.toolsLog);
      return log.some((entry) => entry.argv.some((arg) => arg.includes('sh010'))) ? true : undefined;
    }, 'xdg-open to be started with the folder');
    expect(started).toBe(true);
    await page.close();
  });

  it('shows a long job progressing, its markup log line as text, and cancels it from its page', async () => {
    const { page } = await openDashboard();
    await signIn(page, ADMIN);
    await page.goto(`${base}/#/run?node=ws-anim-01&action=farm.render`);
    await field(page, 'spinbutton', 'ms').fill('120000');
    await field(page, 'combobox', 'quality').selectOption({ label: 'final' });
    await field(page, 'checkbox', 'denoise').check();
    await field(page, 'textbox', 'shots').fill('sh010\nsh020');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForURL(/#\/jobs\//);
    await page.getByTestId('job-state').getByText('running').waitFor();
    await page.waitForFunction(() => {
      const bar = document.querySelector('progress');
      return bar !== null && bar.value > 0;
    });
    const log = page.getByLabel('Log');
    await log.getByText('<img src=x onerror=', { exact: false }).waitFor();
    expect(await log.locator('img, b').count()).toBe(0);
    expect(await log.textContent()).not.toContain('\u001b');
    expect(await page.getByLabel('Parameters').textContent()).toContain('sh020');
    await page.getByRole('button', { name: 'Cancel job' }).click();
    await page.getByTestId('job-state').getByText('cancelled').waitFor();
    expect(await page.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await page.close();
  });

  it('offers a viewer no Run button, and the API refuses the exec it forges', async () => {
    const { page } = await openDashboard();
    await signIn(page, VIEWER);
    await page.getByRole('link', { name: /^ws-anim-01, online/ }).click();
    await page.getByRole('heading', { name: 'ws-anim-01' }).waitFor();
    await page.getByRole('article', { name: 'Plugin farm' }).getByText('farm.render').waitFor();
    expect(await page.getByRole('link', { name: /^Run/ }).count()).toBe(0);
    expect(
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Run' }).count(),
    ).toBe(0);
    const forged = await page.evaluate(async (token) => {
      const response = await fetch('/api/nodes/ws-anim-01/exec', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'explorer.open_folder', params: { path: '/tmp' } }),
      });
      return { status: response.status, body: (await response.json()) as { error: { code: string } } };
    }, VIEWER);
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('FORBIDDEN');
    await page.close();
  });

  it("renders an agent's markup (hostname, tags, plugin description, allowed_paths) as text", async () => {
    const { page } = await openDashboard();
    await signIn(page, ADMIN);
    const row = page.getByRole('link', { name: /^ws-hostile, online/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(HOSTILE_NAME);
    expect(await row.textContent()).toContain('<b>bold</b>');
    expect(await row.locator('img, b').count()).toBe(0);
    await page.getByRole('link', { name: /^ws-anim-01, online/ }).click();
    await page.getByText('Test plugin <img src=x onerror=', { exact: false }).waitFor();
    expect(await page.locator('main img').count()).toBe(0);
    await page.getByRole('link', { name: 'Fleet', exact: true }).first().click();
    await page.getByRole('link', { name: /^ws-hostile, online/ }).click();
    await page.getByRole('link', { name: 'Run tools.open_folder' }).click();
    await page.getByText(`ws-hostile allows paths under: ${HOSTILE_PATH}`).waitFor();
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await page.close();
  });
});
