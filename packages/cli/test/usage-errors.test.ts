import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, start, waitFor } from '@openclaw-node/test-support/cli';
import { startTestBed, TOKEN, type TestBed } from './helpers/server.js';

// The first hour's mistakes: each answered with what was meant and what to do, with a stable code.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(repoRoot, 'packages/cli/dist/bin.js');

describe('usage mistakes name the nearest command or option', () => {
  it('a mistyped command, from a real openclaw process', async () => {
    const result = await execa(process.execPath, [bin, 'exce', 'ws-042', 'explorer.ping'], { reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'Unknown command "exce": did you mean "openclaw exec"?\nRun `openclaw --help` for every command.',
    );
  });

  it.each([
    [['nodess'], 'Unknown command "nodess": did you mean "openclaw nodes"?'],
    [['agent', 'strat'], 'Unknown command "agent strat": did you mean "openclaw agent start"?'],
    [['sever', 'start'], 'Unknown command "sever": did you mean "openclaw server start"?'],
    [['frobnicate'], 'Unknown command "frobnicate".'],
  ])('%j', async (argv, first) => {
    const run = await cli(argv);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(first);
    expect(run.stderr).not.toContain('did you mean one of');
  });

  it('an unknown option names the command and its options, once (not "exec exec exec")', async () => {
    const run = await cli(['exec', 'ws-042', 'explorer.ping', '--follw']);
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('Unknown option "--follw" for openclaw exec: did you mean "--follow"?');
    expect(lines[1]).toMatch(/^Its options: --server <value>, --token <value>, .*--follow,-f, /);
    expect(lines[2]).toBe('Run `openclaw exec --help` for details.');
    expect(lines).toHaveLength(3);
  });

  it('an option with nothing near it, and a --no- form that exists', async () => {
    const run = await cli(['jobs', '--bogus=1']);
    expect(run.stderr.split('\n')[0]).toBe('Unknown option "--bogus" for openclaw jobs.');
    // --no-verify is agent init's own (clipanion negates every boolean): no complaint about it.
    const init = await cli(['agent', 'init', '--no-verify', '--verfy']);
    expect(init.stderr.split('\n')[0]).toBe(
      'Unknown option "--verfy" for openclaw agent init: did you mean "--verify"?',
    );
  });

  it("keeps clipanion's message where it is the right one (a missing argument)", async () => {
    const run = await cli(['job']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Not enough positional arguments');
  });

  it('help and docs/agent.md agree on --verify / --no-verify', async () => {
    const help = (await cli(['agent', 'init', '--help'])).stdout;
    const docs = readFileSync(path.join(repoRoot, 'docs/agent.md'), 'utf8');
    expect(help).toContain('--verify');
    expect(help).toContain('--no-verify skips');
    expect(docs).toContain('| `--verify`, `--no-verify` |');
  });
});

describe('server start --tokens-file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'openclaw-tokens-flag-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the tokens file named by the flag, as OPENCLAW_TOKENS_FILE would', async () => {
    const created = await cli(['token', 'create', '--name', 'ci', '--role', 'admin', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const { token, entry } = JSON.parse(created.stdout) as { token: string; entry: unknown };
    const file = path.join(dir, 'tokens.yaml');
    await writeFile(file, `tokens:\n  - ${JSON.stringify(entry)}\n`);
    const server = start(
      [
        'server',
        'start',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--log-level',
        'silent',
        '--tokens-file',
        file,
      ],
      {},
    );
    const url = await waitFor(() => /listening on (http:\/\/\S+)/.exec(server.stdout())?.[1], 'listening');
    expect(server.stdout()).toContain('(1 token)');
    const nodes = await cli(['nodes', '--server', url, '--json'], { OPENCLAW_TOKEN: token });
    expect(nodes.code, nodes.stderr).toBe(0);
    expect((await server.stop()).code).toBe(0);
  });

  it('without any token, names the flag too', async () => {
    const run = await cli(['server', 'start', '--port', '0', '--log-level', 'silent']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('openclaw server start --tokens-file <file.yaml>');
  });
});

describe('errors from the server say what to do', () => {
  let bed: TestBed;
  beforeAll(async () => {
    bed = await startTestBed();
  });
  afterAll(async () => {
    await bed.close();
  });

  it('a missing token names --token and OPENCLAW_TOKEN', async () => {
    const run = await cli(['nodes', '--server', bed.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^AUTH_REQUIRED: /);
    expect(run.stderr).toContain('hint: pass the API token with --token <token>, or set OPENCLAW_TOKEN');
  });

  it('NODE_NOT_FOUND points to openclaw nodes', async () => {
    const run = await cli(['exec', 'ws-999', 'render.ping'], bed.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^NODE_NOT_FOUND: /);
    expect(run.stderr).toContain('hint: `openclaw nodes` lists the connected nodes');
    // The connected node is one `openclaw nodes` away.
    expect((await cli(['nodes'], bed.env)).stdout).toContain('ws-042');
  });
});

describe('a busy port', () => {
  let blocker: net.Server;
  let port: number;
  beforeAll(async () => {
    blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
  });

  it('server start: PORT_IN_USE, exit code 5, the next port to try', async () => {
    const result = await execa(
      process.execPath,
      [bin, 'server', 'start', '--host', '127.0.0.1', '--port', String(port), '--store', 'memory'],
      { env: { OPENCLAW_NODE_TOKEN: TOKEN, OPENCLAW_LOG_LEVEL: 'silent' }, extendEnv: false, reject: false },
    );
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toMatch(/^PORT_IN_USE: Cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
    expect(result.stderr).toContain(`try: openclaw server start --port ${port + 1}`);
    expect(result.stderr).not.toContain('CONFIG_INVALID');
  });

  it('npm start: the hint is npm start -- --port', async () => {
    const result = await execa(
      'npm',
      ['start', '--silent', '--', '--port', String(port), '--store', 'memory'],
      {
        cwd: repoRoot,
        reject: false,
        env: { OPENCLAW_LOG_LEVEL: 'silent' },
      },
    );
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toContain('PORT_IN_USE: ');
    expect(result.stderr).toContain(`try: npm start -- --port ${port + 1}`);
  });
});
