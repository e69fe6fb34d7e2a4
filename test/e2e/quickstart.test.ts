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
  type RunningProcess,
} from './harness.js';

/** The README's promise: `npm start` prints lines that work exactly as printed. */
describe('npm start (openclaw quickstart)', () => {
  let ws: Awaited<ReturnType<typeof createWorkspace>>;
  let quickstart: RunningProcess['process'];
  let output = '';
  const env = () => ({
    PATH: `${fakeToolsDir}:${process.env.PATH ?? ''}`,
    FAKE_TOOLS_LOG: ws.toolsLog,
    DISPLAY: ':99',
  });

  beforeAll(async () => {
    ws = await createWorkspace();
    const port = await freePort();
    // Its own history folder: the checkout's .openclaw-data belongs to the developer's own `npm start`.
    const dataDir = path.join(ws.dir, 'data');
    quickstart = execa(
      process.execPath,
      [cliBin, 'quickstart', '--port', String(port), '--data-dir', dataDir],
      {
        cwd: repoRoot,
        env: env(),
        reject: false,
      },
    );
    quickstart.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    quickstart.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await waitFor(
      async () => (/npx --no-install openclaw exec .*open_folder/.test(output) ? true : undefined),
      'quickstart instructions',
      20_000,
    );
  }, 30_000);

  afterAll(async () => {
    quickstart?.kill('SIGINT');
    await quickstart;
    await ws?.cleanup();
  });

  const printedLines = (pattern: RegExp) =>
    output
      .split('\n')
      .map((line) => line.trim().replace(/^\$\s+/, ''))
      .filter((line) => pattern.test(line));

  it('prints a token, curl lines and openclaw exec lines', () => {
    expect(output).toMatch(/token/i);
    expect(printedLines(/^curl /).length).toBeGreaterThanOrEqual(1);
    expect(printedLines(/^npx --no-install openclaw exec /).length).toBeGreaterThanOrEqual(1);
  });

  it('every printed curl line works as printed', async () => {
    for (const line of printedLines(/^curl /)) {
      const result = await execa('sh', ['-c', `${line} --fail-with-body`], { env: env(), reject: false });
      expect(result.exitCode, `${line}\n${result.stdout}${result.stderr}`).toBe(0);
      expect(JSON.parse(result.stdout)).toBeTypeOf('object');
    }
  });

  it('every printed openclaw exec line works as printed', async () => {
    for (const line of printedLines(/^npx --no-install openclaw exec /)) {
      const result = await execa('sh', ['-c', line], { cwd: repoRoot, env: env(), reject: false });
      expect(result.exitCode, `${line}\n${result.stdout}${result.stderr}`).toBe(0);
    }
    await waitFor(
      async () => ((await readToolsLog(ws.toolsLog)).some((c) => c.tool === 'xdg-open') ? true : undefined),
      'xdg-open to be called',
    );
  });
});
