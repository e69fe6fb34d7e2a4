import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { skipWithoutRedis, startRedis } from '@openclaw-node/test-support/redis';
import { cli, start, waitFor } from '@openclaw-node/test-support/cli';

const running: ReturnType<typeof start>[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

function listeningUrl(stdout: string): string | undefined {
  return /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
}

describe('openclaw server start', () => {
  it('refuses to start without a token, saying how to set one, and exits 1', async () => {
    const run = await cli(['server', 'start', '--port', '0', '--log-level', 'silent'], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('CONFIG_INVALID');
    for (const name of ['OPENCLAW_NODE_TOKEN', 'OPENCLAW_TOKENS', 'OPENCLAW_TOKENS_FILE'])
      expect(run.stderr).toContain(name);
  });

  it('exits 1 naming the file for a bad OPENCLAW_TOKENS_FILE', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'openclaw-cli-'));
    try {
      const file = path.join(dir, 'tokens.yaml');
      await writeFile(file, 'tokens: 42\n');
      const run = await cli(['server', 'start', '--port', '0', '--log-level', 'silent'], {
        OPENCLAW_TOKENS_FILE: file,
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^CONFIG_INVALID: .*tokens\.yaml: tokens must be a list/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['--port', 'http'], '--port must be a port number'],
    [['--port', '70000'], '--port must be a port number'],
    [['--log-level', 'loud'], 'The log level must be one of'],
    [['--store', 'redis'], '--store must be sqlite or memory, got "redis"'],
    [['--redis', 'http://10.0.0.5:6379'], '--redis: must be a redis:// or rediss:// URL'],
    [['--redis', 'redis://h', '--redis-adapter', 'kafka'], '--redis-adapter: must be one of pubsub, streams'],
    [['--redis', 'redis://h', '--store', 'memory'], '--store cannot be combined with --redis'],
    [['--redis-adapter', 'streams'], '--redis-adapter needs --redis'],
    [['--redis', 'redis://h', '--process-id', 'a b'], '--process-id: must be 1-64 of'],
  ])('rejects %j as a usage error', async (args, message) => {
    const run = await cli(['server', 'start', ...args], { OPENCLAW_NODE_TOKEN: 'tok' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('serves until its shutdown signal, then closes cleanly and exits 0', async () => {
    const server = start(['server', 'start', '--host', '127.0.0.1', '--port', '0', '--log-level', 'silent'], {
      OPENCLAW_TOKENS: 'first-token-0123456789,second-token-0123456789',
      OPENCLAW_STORE: 'memory',
    });
    running.push(server);
    const url = await waitFor(() => listeningUrl(server.stdout()), 'the listening line');
    expect(server.stdout()).toContain('(2 tokens)');
    expect(server.stdout()).toContain('  jobs:      memory (job history is lost when the server stops)');
    expect(server.stdout()).toMatch(/server_url: ws:\/\/127\.0\.0\.1:\d+\/ws/);
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    const nodes = await cli(['nodes', '--json'], {
      OPENCLAW_SERVER: url,
      OPENCLAW_TOKEN: 'second-token-0123456789',
    });
    expect(JSON.parse(nodes.stdout)).toEqual({ nodes: [], count: 0 });

    running.splice(0);
    const run = await server.stop();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Stopping');
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  });

  it('reads the port from OPENCLAW_PORT', async () => {
    const server = start(['server', 'start', '--host', '127.0.0.1', '--log-level', 'silent'], {
      OPENCLAW_NODE_TOKEN: 'token-0123456789abcdef',
      OPENCLAW_PORT: '0',
      OPENCLAW_STORE: 'memory',
    });
    running.push(server);
    expect(await waitFor(() => listeningUrl(server.stdout()), 'the listening line')).toMatch(/:\d+$/);
  });

  it('keeps the job history in jobs.sqlite under --data-dir, across a restart', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'openclaw-cli-data-'));
    try {
      const env = { OPENCLAW_NODE_TOKEN: 'data-dir-token-0123456789' };
      const argv = [
        'server',
        'start',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--log-level',
        'silent',
        '--data-dir',
        dir,
      ];
      const first = start(argv, env);
      running.push(first);
      const url = await waitFor(() => listeningUrl(first.stdout()), 'the listening line');
      expect(first.stdout()).toContain(`  jobs:      sqlite ${path.join(dir, 'jobs.sqlite')}`);
      const queued = await cli(['exec', 'ws-asleep', 'tools.ping', '--queue', '--ttl', '600', '--json'], {
        OPENCLAW_SERVER: url,
        OPENCLAW_TOKEN: env.OPENCLAW_NODE_TOKEN,
      });
      expect(queued.code).toBe(0);
      const id = (JSON.parse(queued.stdout) as { command_id: string }).command_id;
      running.splice(0);
      expect((await first.stop()).code).toBe(0);

      const second = start(argv, { ...env, OPENCLAW_STORE: 'sqlite' });
      running.push(second);
      const again = await waitFor(() => listeningUrl(second.stdout()), 'the listening line');
      const shown = await cli(['job', id, '--json'], {
        OPENCLAW_SERVER: again,
        OPENCLAW_TOKEN: env.OPENCLAW_NODE_TOKEN,
      });
      expect(JSON.parse(shown.stdout)).toMatchObject({
        command_id: id,
        state: 'queued',
        node_id: 'ws-asleep',
      });
    } finally {
      await Promise.all(running.splice(0).map((r) => r.stop()));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a second server on the same --data-dir while the first runs, naming it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'openclaw-cli-data-'));
    try {
      const env = { OPENCLAW_NODE_TOKEN: 'data-dir-token-0123456789' };
      const argv = ['server', 'start', '--host', '127.0.0.1', '--port', '0', '--log-level', 'silent'];
      const first = start([...argv, '--data-dir', dir], env);
      running.push(first);
      await waitFor(() => listeningUrl(first.stdout()), 'the listening line');
      const second = await cli([...argv, '--data-dir', dir], env);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(
        new RegExp(
          `^DATA_DIR_LOCKED: The data directory ${dir} is in use by server process ${process.pid} on `,
        ),
      );
      expect(second.stdout).not.toContain('listening');
    } finally {
      await Promise.all(running.splice(0).map((r) => r.stop()));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(skipWithoutRedis)(
    'joins a cluster with --redis: the job history is in Redis, and the password never shows',
    async () => {
      const redis = await startRedis({ password: 'r3dis-secret-pass' });
      try {
        const server = start(
          ['server', 'start', '--host', '127.0.0.1', '--port', '0', '--process-id', 'cli-a'],
          {
            OPENCLAW_NODE_TOKEN: 'cluster-cli-token-0123456789',
            OPENCLAW_REDIS_URL: redis.url,
            OPENCLAW_LOG_LEVEL: 'info',
          },
        );
        running.push(server);
        await waitFor(() => listeningUrl(server.stdout()), 'the listening line');
        expect(server.stdout()).toContain(`  jobs:      redis redis://:***@127.0.0.1:${redis.port}`);
        const members = await execa('redis-cli', [
          '-p',
          String(redis.port),
          '--no-auth-warning',
          '-a',
          'r3dis-secret-pass',
          'SMEMBERS',
          'openclaw:cluster:processes',
        ]);
        expect(members.stdout.split('\n')).toContain('cli-a');
        expect(server.stdout() + server.stderr()).not.toContain('r3dis-secret-pass');
      } finally {
        await Promise.all(running.splice(0).map((r) => r.stop()));
        await redis.stop();
      }
    },
  );
});
