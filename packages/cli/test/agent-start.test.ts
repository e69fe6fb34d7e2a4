import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AGENT_NAMESPACE, DEFAULT_SOCKET_PATH, PROTOCOL_VERSION } from '@openclaw-node/core';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import pino from 'pino';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, start, waitFor } from '@openclaw-node/test-support/cli';

const TOKEN = 'agent-cli-token-3d9b';
let server: OpenClawServer;
let url: string;
let port: number;
let dir: string;
const running: ReturnType<typeof start>[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'openclaw-agent-cli-'));
  server = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 't', token: TOKEN }],
    logger: pino({ level: 'silent' }),
    store: 'memory',
  });
  ({ url, port } = await server.listen());
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function configFile(nodeId: string, token = TOKEN): Promise<string> {
  const file = path.join(dir, `${nodeId}.yaml`);
  await writeFile(
    file,
    [
      `node_id: ${nodeId}`,
      `server_url: ws://127.0.0.1:${port}/ws`,
      `auth_token: ${token}`,
      'plugins: [explorer]',
      `allowed_paths: [${JSON.stringify(dir)}]`,
      '',
    ].join('\n'),
  );
  return file;
}

const nodeIds = async (): Promise<string[]> => {
  const run = await cli(['nodes', '--json'], { OPENCLAW_SERVER: url, OPENCLAW_TOKEN: TOKEN });
  return (JSON.parse(run.stdout) as { nodes: { node_id: string }[] }).nodes.map((n) => n.node_id);
};

describe('openclaw agent start', () => {
  it('registers with the server and stops cleanly with exit 0', async () => {
    const agent = start(['agent', 'start', '--config', await configFile('ws-cli'), '--log-level', 'silent']);
    running.push(agent);
    await waitFor(() => (agent.stdout().includes('registered') ? true : undefined), 'registration');
    expect(await nodeIds()).toContain('ws-cli');
    const ping = await cli(['exec', 'ws-cli', 'explorer.ping'], {
      OPENCLAW_SERVER: url,
      OPENCLAW_TOKEN: TOKEN,
    });
    expect(ping.code).toBe(0);

    running.splice(0);
    const run = await agent.stop();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Agent stopped');
    await waitFor(async () => ((await nodeIds()).includes('ws-cli') ? undefined : true), 'the node to leave');
  });

  it('exits 3 with the reason when the server rejects its token', async () => {
    const run = await cli([
      'agent',
      'start',
      '--config',
      await configFile('ws-bad', 'not-the-token'),
      '--log-level',
      'silent',
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /^\nAgent ws-bad stopped and will not reconnect: the server rejected the token: check auth_token in node_config\.yaml.*\.\n\(AUTH_INVALID\)\n$/,
    );
  });

  it('exits 3 when another agent takes over its node id', async () => {
    const agent = start(['agent', 'start', '--config', await configFile('ws-dup'), '--log-level', 'silent']);
    running.push(agent);
    await waitFor(() => (agent.stdout().includes('registered') ? true : undefined), 'registration');
    const usurper = io(`${url}${AGENT_NAMESPACE}`, {
      path: DEFAULT_SOCKET_PATH,
      transports: ['websocket'],
      auth: { token: TOKEN, nodeId: 'ws-dup', protocol: PROTOCOL_VERSION },
      reconnection: false,
      forceNew: true,
    });
    try {
      await new Promise((resolve) => usurper.once('connect', () => resolve(undefined)));
      await usurper.emitWithAck('hello', {
        nodeId: 'ws-dup',
        hostname: 'other',
        platform: 'linux',
        arch: 'x64',
        agentVersion: '0.1.0',
        tags: [],
        plugins: [],
        skipped: [],
      });
      const code = await agent.result;
      running.splice(0);
      expect(code).toBe(3);
      expect(agent.stderr()).toMatch(
        /^\nAgent ws-dup stopped and will not reconnect: another agent connected/,
      );
      expect(agent.stderr()).toContain('(NODE_REPLACED)');
    } finally {
      usurper.close();
    }
  });

  it('exits 1 naming the field for an invalid config', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, 'server_url: ws://127.0.0.1:1/ws\nauth_token: x\nnode_id: "not valid/id"\n');
    const run = await cli(['agent', 'start', '--config', file, '--log-level', 'silent']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^CONFIG_INVALID: .*node_id/);
  });
});
