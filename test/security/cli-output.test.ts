import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '@openclaw-node/test-support/cli';
import {
  connectAgent,
  startServer,
  TOKEN,
  toolsManifest,
  type FakeAgent,
  type TestServer,
} from '@openclaw-node/test-support/server';

/**
 * Issue 11 (Low): the CLI printed agent-supplied hostnames, tags, descriptions, reasons, progress
 * messages, log lines and error messages raw, so escape sequences cleared the screen and a newline
 * forged a line of output. A hostile agent sends them all; no escape and no forged line may reach
 * the operator's terminal.
 */
const CLEAR = '\u001b[2J\u001b[H';
const FORGED = 'FORGED ws-000 linux';
const evil = (label: string) => `${label}${CLEAR}\n${FORGED}\u009b31m\u0007\r`;

let server: TestServer;
let agent: FakeAgent;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startServer();
  env = { OPENCLAW_SERVER: server.url, OPENCLAW_TOKEN: TOKEN };
  agent = await connectAgent(server.url, {
    nodeId: 'ws-evil',
    hello: {
      hostname: evil('host'),
      arch: 'x64\u001b[31m',
      tags: [evil('tag')],
      plugins: [toolsManifest({ description: evil('plugin') })],
      skipped: [{ name: 'gone', reason: evil('reason') }],
    },
    onExec: () => ({ ok: false, error: { code: 'ACTION_FAILED', message: evil('failure') } }),
  });
});

afterAll(async () => {
  agent?.close();
  await server?.close();
});

/** No control character but newline, and no line the agent forged. */
function expectInert(text: string, shown = true): void {
  // eslint-disable-next-line no-control-regex
  expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  expect(text.split('\n').filter((line) => line.startsWith(FORGED))).toEqual([]);
  // Where the agent's text is printed, its escapes are shown as text.
  if (shown) expect(text).toContain('\\u001b[2J');
}

describe('the CLI shows what an agent sends, never its escape sequences', () => {
  it.each([
    ['nodes', ['nodes'], true],
    ['node', ['node', 'ws-evil'], true],
    ['plugins --verbose', ['plugins', '--verbose'], false],
  ])('openclaw %s', async (_name, argv, shown) => {
    const run = await cli(argv, env);
    expect(run.code).toBe(0);
    expectInert(run.stdout, shown);
  });

  it('openclaw exec and openclaw job: the agent’s error message', async () => {
    const run = await cli(['exec', 'ws-evil', 'tools.ping'], env);
    expect(run.code).toBe(1);
    expectInert(run.stdout + run.stderr);
    const jobs = await cli(['jobs', '--json'], env);
    const id = (JSON.parse(jobs.stdout) as { jobs: { command_id: string }[] }).jobs[0]!.command_id;
    const job = await cli(['job', id], env);
    expect(job.code).toBe(0);
    expectInert(job.stdout);
  });
});
