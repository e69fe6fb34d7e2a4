import { Readable, Writable } from 'node:stream';
import { createTokenAuthProvider, parseTokensFile } from '@openclaw-node/server';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { cli } from '@openclaw-node/test-support/cli';

async function withStdin(
  argv: string[],
  input: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const code = await runCli(argv, {
    stdin: Readable.from([input]),
    stdout: sink((t) => (stdout += t)),
    stderr: sink((t) => (stderr += t)),
    env: {},
    colorDepth: 1,
  });
  return { code, stdout, stderr };
}

describe('openclaw token create', () => {
  it('prints a new token once and a tokens-file entry holding only its SHA-256', async () => {
    const run = await cli([
      'token',
      'create',
      '--name',
      'ci',
      '--role',
      'operator',
      '--nodes',
      'ws-*',
      '--actions',
      'explorer.*,rv.*',
    ]);
    expect(run.code).toBe(0);
    const token = /^ {2}([A-Za-z0-9_-]{43})$/m.exec(run.stdout)?.[1];
    expect(token).toBeDefined();
    const yaml = run.stdout.slice(run.stdout.indexOf('  - name:'));
    expect(yaml).not.toContain(token);
    expect(yaml).toContain(createHash('sha256').update(token!).digest('hex'));
    const entries = parseTokensFile(`tokens:\n${yaml}`, 'tokens.yaml');
    expect(entries).toEqual([
      expect.objectContaining({
        name: 'ci',
        roles: ['operator'],
        nodes: ['ws-*'],
        actions: ['explorer.*', 'rv.*'],
      }),
    ]);
    expect(createTokenAuthProvider(entries).authenticate(token!)).toMatchObject({ name: 'ci' });
    expect(run.stdout).toMatch(/shown only now/);
  });

  it('makes a different token each time and prints JSON with --json', async () => {
    const a = JSON.parse(
      (await cli(['token', 'create', '--name', 'wall', '--role', 'viewer', '--json'])).stdout,
    ) as {
      token: string;
      entry: Record<string, unknown>;
      yaml: string;
    };
    const b = JSON.parse(
      (await cli(['token', 'create', '--name', 'wall', '--role', 'viewer', '--json'])).stdout,
    ) as {
      token: string;
    };
    expect(a.token).not.toBe(b.token);
    expect(a.entry).toEqual({
      name: 'wall',
      sha256: createHash('sha256').update(a.token).digest('hex'),
      roles: ['viewer'],
    });
    expect(a.yaml).toContain('roles: [viewer]');
  });

  it('warns when an agent token is bound to no node', async () => {
    const run = await cli(['token', 'create', '--name', 'ws', '--role', 'agent']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('--nodes <node-id>');
  });

  it.each([
    [['--name', 'ci', '--role', 'root'], '--role: must be one of agent, operator, viewer, admin'],
    [['--name', 'my token', '--role', 'viewer'], '--name: must be 1-128 letters'],
    [['--name', 'ci', '--role', 'operator', '--nodes', 'ws/1'], '--nodes: must be a node-id glob'],
    [['--name', 'ci'], 'Command not found'],
  ])('refuses %j as a usage error', async (args, message) => {
    const run = await cli(['token', 'create', ...args]);
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toContain(message);
  });
});

describe('openclaw token hash', () => {
  const token = 'Yt3kq8xQ2mZ7pL0vR5nB1cW9dF4gH6jS8aE2uI0oK3';

  it('prints the SHA-256 of the token on standard input, or a whole entry', async () => {
    const plain = await withStdin(['token', 'hash'], `${token}\n`);
    expect(plain).toMatchObject({ code: 0, stdout: `${createHash('sha256').update(token).digest('hex')}\n` });
    const entry = await withStdin(['token', 'hash', '--name', 'ws-042', '--role', 'agent'], token);
    expect(parseTokensFile(`tokens:\n${entry.stdout}`, 'f')).toEqual([
      { name: 'ws-042', sha256: createHash('sha256').update(token).digest('hex'), roles: ['agent'] },
    ]);
  });

  it('refuses empty input and short tokens', async () => {
    expect((await withStdin(['token', 'hash'], '')).code).toBe(2);
    const short = await withStdin(['token', 'hash'], 'short');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 16');
  });
});
