import type { ChildProcess } from 'node:child_process';
import { execa } from 'execa';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cliBin,
  createWorkspace,
  fakeToolsDir,
  freePort,
  readToolsLog,
  repoRoot,
  waitFor,
} from '../e2e/harness.js';
import { launchChromium, skipBrowserTests, type LaunchedBrowser } from './chromium.js';

// The "done when": `npm start`, open the printed address, sign in with the printed token and
// run explorer.open_folder on the local agent from the page.
describe.skipIf(skipBrowserTests)('npm start, then the dashboard it prints', { timeout: 60_000 }, () => {
  let ws: Awaited<ReturnType<typeof createWorkspace>>;
  let quickstart: Promise<unknown> & Pick<ChildProcess, 'kill' | 'pid' | 'stdout' | 'stderr'>;
  let output = '';
  let chromium: LaunchedBrowser;

  beforeAll(async () => {
    ws = await createWorkspace();
    const port = await freePort();
    quickstart = execa(
      process.execPath,
      [cliBin, 'quickstart', '--port', String(port), '--data-dir', path.join(ws.dir, 'data')],
      {
        cwd: repoRoot,
        env: {
          PATH: `${fakeToolsDir}:${process.env.PATH ?? ''}`,
          FAKE_TOOLS_LOG: ws.toolsLog,
          DISPLAY: ':99',
        },
        reject: false,
      },
    );
    quickstart.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    quickstart.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await waitFor(
      async () => (/Dashboard: open \S+/.test(output) ? true : undefined),
      'the printed dashboard address',
      20_000,
    );
    chromium = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    quickstart?.kill('SIGINT');
    await quickstart;
    await ws?.cleanup();
  });

  it('signs in with the printed token and runs explorer.open_folder on the local agent', async () => {
    const address = /Dashboard: open (\S+)/.exec(output)![1]!;
    const token = /Token \(valid until you stop quickstart\): (\S+)/.exec(output)![1]!;
    const examples = /may open paths inside (.+) only\./.exec(output)![1]!;
    const page = await chromium.context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(address);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: /^local, online/ }).click();
    await page.getByRole('link', { name: 'Run explorer.open_folder' }).click();
    await page.getByRole('textbox', { name: 'path', exact: true }).fill(examples);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForURL(/#\/jobs\//);
    await page.getByTestId('job-state').getByText('succeeded').waitFor();
    // Explorer answers after a grace period even if xdg-open is still starting (a loaded machine).
    const started = await waitFor(async () => {
      const log = await readToolsLog(ws.toolsLog);
      return log.some((entry) => entry.argv.includes(examples)) ? true : undefined;
    }, 'xdg-open to be started with the folder');
    expect(started).toBe(true);
    await page.close();
  });
});
