import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '@openclaw-node/test-support/cli';
import { RENDER_MANIFEST, startTestBed, type TestBed } from './helpers/server.js';

let bed: TestBed;

beforeAll(async () => {
  bed = await startTestBed();
});

afterAll(async () => {
  await bed.close();
});

/** Start offsets of each column header, which every row must share. */
function columnStarts(header: string): number[] {
  return [...header.matchAll(/(?:^|\s{2})(\S)/g)].map((m) => m.index + m[0].indexOf(m[1]!));
}

describe('openclaw nodes', () => {
  it('prints an aligned table', async () => {
    const run = await cli(['nodes'], bed.env);
    expect(run.code).toBe(0);
    const [header, row, ...rest] = run.stdout.trimEnd().split('\n');
    expect(rest).toEqual([]);
    expect(header).toMatch(/^NODE\s+PLATFORM\s+HOSTNAME\s+OS\s+AGENT\s+UPTIME\s+JOBS\s+CONNECTED\s+PLUGINS$/);
    expect(row).toMatch(/^ws-042\s+linux\s+ws-042\.studio\.lan\s+-\s+0\.1\.0\s+-\s+0\s+\d+s ago\s+render$/);
    for (const start of columnStarts(header!).slice(1)) expect(row![start - 1]).toBe(' ');
    expect(columnStarts(header!)).toEqual(columnStarts(row!.replace(/s ago/, 's_ago')));
  });

  it('prints JSON with --json', async () => {
    const run = await cli(['nodes', '--json'], bed.env);
    expect(JSON.parse(run.stdout)).toMatchObject({
      count: 1,
      nodes: [{ node_id: 'ws-042', plugins: ['render'] }],
    });
  });

  it('says so when no node is connected', async () => {
    const { createServer } = await import('@openclaw-node/server');
    const { default: pino } = await import('pino');
    const empty = createServer({
      host: '127.0.0.1',
      port: 0,
      tokens: [{ name: 't', token: 'tok-1' }],
      logger: pino({ level: 'silent' }),
      store: 'memory',
    });
    const { url } = await empty.listen();
    try {
      const run = await cli(['nodes', '--server', url, '--token', 'tok-1'], {});
      expect(run).toEqual({ code: 0, stdout: 'No nodes connected.\n', stderr: '' });
    } finally {
      await empty.close();
    }
  });

  it('exits 1 with AUTH_REQUIRED without a token', async () => {
    const run = await cli(['nodes'], { OPENCLAW_SERVER: bed.url });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^AUTH_REQUIRED: /);
  });
});

describe('openclaw node <id>', () => {
  it('describes the node, its actions and skipped plugins', async () => {
    const run = await cli(['node', 'ws-042'], bed.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('ws-042 (online)');
    expect(run.stdout).toMatch(/platform\s+linux x64/);
    expect(run.stdout).toMatch(/render\.submit\s+1\.2\.0\s+script\* threads quality/);
    expect(run.stdout).toMatch(/resolve\s+supports windows, darwin only/);
  });

  it('prints the detail as JSON with --json', async () => {
    const run = await cli(['node', 'ws-042', '--json'], bed.env);
    expect(JSON.parse(run.stdout)).toMatchObject({
      node_id: 'ws-042',
      manifests: [RENDER_MANIFEST],
      pending_jobs: [],
    });
  });

  it('exits 1 with NODE_NOT_FOUND for an unknown node', async () => {
    const run = await cli(['node', 'ws-999'], bed.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^NODE_NOT_FOUND: /);
  });

  it('is a usage error without an id', async () => {
    const run = await cli(['node'], bed.env);
    expect(run.code).toBe(2);
  });
});

describe('openclaw plugins', () => {
  it('prints an aligned table', async () => {
    const run = await cli(['plugins'], bed.env);
    expect(run.code).toBe(0);
    const [header, row] = run.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^PLUGIN\s+VERSIONS\s+PLATFORMS\s+NODES\s+AVAILABLE ON\s+ACTIONS$/);
    expect(row).toMatch(/^render\s+1\.2\.0\s+windows,linux\s+ws-042\s+1 of 1 node\s+ping,submit$/);
    expect(columnStarts(header!)).toEqual(columnStarts(row!));
  });

  it('prints the catalog as JSON with --json', async () => {
    const run = await cli(['plugins', '--json'], bed.env);
    expect(JSON.parse(run.stdout)).toMatchObject({
      count: 1,
      plugins: [{ name: 'render', versions: ['1.2.0'] }],
    });
  });
});

describe('openclaw health', () => {
  it('works without a token and prints JSON with --json', async () => {
    const run = await cli(['health'], { OPENCLAW_SERVER: bed.url });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok · OpenClaw Node 0\.1\.0 · 1 node\(s\) connected/);
    expect(JSON.parse((await cli(['health', '--json'], { OPENCLAW_SERVER: bed.url })).stdout)).toMatchObject({
      status: 'ok',
    });
  });
});

describe('the command line itself', () => {
  it('prints usage and exits 2 without a command, and 2 for an unknown one', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('openclaw exec');
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
  });

  it('prints the version', async () => {
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });

  it('prints help with examples for a command', async () => {
    const run = await cli(['exec', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('openclaw exec ws-042 explorer.open_folder');
  });
});

describe('colours', () => {
  it('writes no escape codes to a stream that is not a terminal', async () => {
    const { memoryStream } = await import('@openclaw-node/test-support/cli');
    const { runCli } = await import('../src/index.js');
    const out = memoryStream();
    const err = memoryStream();
    await runCli(['--help'], { stdout: out.stream, stderr: err.stream, env: {} });
    await runCli(['node'], { stdout: out.stream, stderr: err.stream, env: {} });
    expect(out.text()).toContain('openclaw exec');
    expect(err.text()).toContain('Not enough positional arguments');
    expect(out.text() + err.text()).not.toContain('\u001b[');
  });
});
