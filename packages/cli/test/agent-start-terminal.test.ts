import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import { execa } from 'execa';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, waitFor } from '@openclaw-node/test-support/cli';

// `openclaw agent start` as a person runs it: readable log lines in a terminal (a real pseudo-terminal
// from script(1)), JSON lines into a pipe or with --log-format json, a did-you-mean for a misspelt
// key, and a plain sentence when the server revokes its token.
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/bin.js');
const TOKEN = 'agent-terminal-token-7c1e5a';
const hasScript = spawnSync('script', ['--version']).status === 0;
let server: OpenClawServer;
let port: number;
let dir: string;
let tokensFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'openclaw-agent-terminal-'));
  tokensFile = path.join(dir, 'tokens.yaml');
  await writeFile(tokensFile, `tokens:\n  - name: ws-t\n    token: ${TOKEN}\n    roles: [agent]\n`);
  server = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [],
    tokensFile,
    tokensFileWatch: { debounceMs: 20, pollMs: 50 },
    logger: pino({ level: 'silent' }),
    store: 'memory',
  });
  ({ port } = await server.listen());
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function configFile(nodeId: string, extra = ''): Promise<string> {
  const file = path.join(dir, `${nodeId}.yaml`);
  await writeFile(
    file,
    `node_id: ${nodeId}\nserver_url: ws://127.0.0.1:${port}/ws\nauth_token: ${TOKEN}\nplugins: []\nhealth_interval: 0\n${extra}`,
  );
  return file;
}

/** Run agent start for a moment in a pseudo-terminal (or a pipe), then SIGINT it; its output. */
async function runFor(argv: string[], tty: boolean): Promise<string> {
  const command = [process.execPath, bin, 'agent', 'start', '--no-log-file', ...argv];
  const child = tty
    ? execa('script', ['-qefc', command.map((a) => `'${a}'`).join(' '), '/dev/null'], {
        reject: false,
        all: true,
      })
    : execa(command[0]!, command.slice(1), { reject: false, all: true });
  let all = '';
  child.all.on('data', (chunk: Buffer) => (all += chunk.toString()));
  await waitFor(() => (all.includes('Press Ctrl+C') ? true : undefined), 'registration', 60_000);
  child.kill('SIGINT');
  await child;
  return stripVTControlCharacters(all);
}

describe.runIf(hasScript)('openclaw agent start in a terminal', () => {
  it('prints readable log lines on a terminal and JSON lines into a pipe or with --log-format json', async () => {
    const config = await configFile('ws-t', 'allowed_path: [/tmp]\n');
    const terminal = await runFor(['--config', config], true);
    expect(terminal).toMatch(/\d\d:\d\d:\d\d\.\d{3} INFO {2}registered with the server/);
    expect(terminal).toMatch(
      /WARN {2}.*unknown setting "allowed_path" is ignored; did you mean "allowed_paths"\?/,
    );
    expect(terminal).not.toContain('{"level":');

    const piped = await runFor(['--config', config], false);
    expect(piped).toMatch(/^\{"level":30,.*"msg":"registered with the server"/m);

    const forced = await runFor(['--config', config, '--log-format', 'json'], true);
    expect(forced).toMatch(/\{"level":30,.*"msg":"registered with the server"/);
  }, 180_000);
});

describe('openclaw agent start when its token is revoked', () => {
  it('ends with a plain sentence saying what happened and what to do, and exits 3', async () => {
    const agent = start([
      'agent',
      'start',
      '--config',
      await configFile('ws-t'),
      '--log-level',
      'silent',
      '--no-log-file',
    ]);
    await waitFor(() => (agent.stdout().includes('registered') ? true : undefined), 'registration', 30_000);
    await writeFile(
      tokensFile,
      'tokens:\n  - name: other\n    token: other-token-0123456789abcdef\n    roles: [agent]\n',
    );
    const code = await agent.result;
    expect(code).toBe(3);
    expect(agent.stderr()).toMatch(
      /^\nAgent ws-t stopped and will not reconnect: the server revoked this agent's token while it was connected \(server said: .+\): ask whoever runs the server for a new agent token, then run `openclaw agent init --force` with it\.\n\(AUTH_INVALID\)\n$/,
    );
  }, 60_000);
});
