/**
 * Takes docs/dashboard.png: a server on loopback with a small studio of agents (protocol-level, over
 * real Socket.IO), a few jobs, the fleet page in Debian's chromium. `npx tsx --conditions
 * @openclaw-node/source scripts/dashboard-screenshot.ts` after `npm run build`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from '@openclaw-node/server';
import {
  connectAgent,
  memoryLogger,
  toolsManifest,
  type FakeAgent,
} from '@openclaw-node/test-support/server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'screenshot-token-5e1a7c3b9d';
const AGENT = 'screenshot-agent-token-2f8d4a6c1e';

const server = createServer({
  host: '127.0.0.1',
  port: 0,
  store: 'memory',
  logger: memoryLogger().logger,
  tokens: [
    { name: 'td-sarah', token: TOKEN },
    { name: 'agents', token: AGENT, roles: ['agent'] },
  ],
});
const { url } = await server.listen();
const studio: [string, 'linux' | 'windows' | 'darwin', string[], string][] = [
  ['ws-anim-01', 'linux', ['anim', 'gpu'], '5.1.0'],
  ['ws-anim-02', 'linux', ['anim', 'gpu'], '5.1.0'],
  ['ws-comp-01', 'linux', ['comp', 'nuke15'], '15.1v3'],
  ['ws-comp-02', 'linux', ['comp', 'nuke15'], '15.1v3'],
  ['ws-comp-03', 'windows', ['comp', 'nuke14'], '14.0v6'],
  ['ws-edit-01', 'darwin', ['edit', 'resolve'], '19.0.2'],
  ['ws-grade-01', 'windows', ['grade', 'resolve'], '19.0.2'],
  ['ws-lookdev-01', 'linux', ['lookdev', 'gpu'], '5.1.0'],
  ['ws-review-01', 'darwin', ['review', 'rv'], '2024.1'],
  ['ws-review-02', 'linux', ['review', 'rv'], '2024.1'],
];
const agents: FakeAgent[] = [];
for (const [nodeId, platform, tags, version] of studio) {
  agents.push(
    await connectAgent(url, {
      nodeId,
      token: AGENT,
      onExec: (request) => ({ ok: true, result: { opened: request.params } }),
      hello: {
        hostname: `${nodeId}.studio.lan`,
        platform,
        tags,
        plugins: [toolsManifest({ description: `Pipeline tools (app ${version})` })],
      },
    }),
  );
}
for (const [nodeId] of studio.slice(0, 4)) {
  await fetch(`${url}/api/nodes/${nodeId}/exec`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'tools.ping' }),
  });
}
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
  ],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 720 }, deviceScaleFactor: 1 });
await page.goto(`${url}/`);
await page.getByLabel('API token').fill(TOKEN);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByRole('link', { name: /^ws-comp-03, online/ }).waitFor();
// One workstation goes home: the page keeps it, offline.
agents[4]!.socket.close();
await page.getByRole('link', { name: /^ws-comp-03, offline/ }).waitFor();
await page.getByText('9 online').waitFor();
await page.screenshot({ path: path.join(root, 'docs/dashboard.png') });
await browser.close();
for (const agent of agents) agent.socket.close();
await server.close();
console.log('wrote docs/dashboard.png');
