import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, resolveAgentConfig, type Agent } from '../../src/index.js';
import { pluginCode, writePluginPackage } from './support/plugin-packages.js';

const AGENT_TOKEN = 'agent-token-third-party-1f3e';
const OPERATOR_TOKEN = 'operator-token-third-party-9a0c';

let tmp: string;
let server: OpenClawServer;
let base: string;
let agent: Agent;

async function api(
  route: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${OPERATOR_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'openclaw-served-')));
  const pluginDir = path.join(tmp, 'plugins');
  await mkdir(pluginDir);
  await writePluginPackage(
    path.join(pluginDir, '@studio/openclaw-plugin-greeter'),
    '@studio/openclaw-plugin-greeter',
    pluginCode({ name: 'greeter' }),
    { link: true },
  );
  await writePluginPackage(
    path.join(pluginDir, 'openclaw-plugin-future'),
    'openclaw-plugin-future',
    pluginCode({ name: 'future', after: "sdk: '2.0.0'" }),
    { link: true },
  );
  server = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [
      { name: 'agents', token: AGENT_TOKEN, roles: ['agent'] },
      { name: 'ops', token: OPERATOR_TOKEN, roles: ['operator'] },
    ],
    logger: pino({ level: 'silent' }),
    store: 'memory',
  });
  const { url, port } = await server.listen();
  base = url;
  const config = resolveAgentConfig(
    {
      node_id: 'ws-plugins',
      server_url: `ws://127.0.0.1:${port}/ws`,
      auth_token: AGENT_TOKEN,
      plugins: ['@studio/openclaw-plugin-greeter', 'openclaw-plugin-future'],
      plugin_dirs: [pluginDir],
      plugin_config: { greeter: { salutation: 'hi' } },
    },
    { env: {} },
  );
  agent = createAgent({ config, logger: pino({ level: 'silent' }), platform: 'linux' });
  agent.start();
  await agent.ready;
}, 30_000);

afterAll(async () => {
  await agent?.stop();
  await server?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('a package plugin, served', () => {
  it('appears in /api/plugins with the result schema of each action', async () => {
    const { status, body } = await api('/api/plugins');
    expect(status).toBe(200);
    const plugins = body.plugins as { name: string; actions: Record<string, { result?: unknown }> }[];
    const greeter = plugins.find((p) => p.name === 'greeter');
    expect(greeter?.actions.hello?.result).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['greeting', 'config'],
      properties: { greeting: { type: 'string' }, config: { type: 'object' } },
    });
  });

  it('runs with its plugin_config section and returns a result that matches the schema', async () => {
    const { status, body } = await api('/api/nodes/ws-plugins/exec', {
      action: 'greeter.hello',
      params: { who: 'ana' },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'success',
      result: { greeting: 'hello ana', config: { salutation: 'hi' } },
    });
  });

  it('answers 422 INVALID_RESULT when a result breaks the schema, naming the field', async () => {
    const { status, body } = await api('/api/nodes/ws-plugins/exec', {
      action: 'greeter.broken',
      params: {},
    });
    expect(status).toBe(422);
    expect(body).toMatchObject({
      status: 'error',
      error: { code: 'INVALID_RESULT', details: { field: 'result.count' } },
    });
  });

  it('tells the server which plugin was skipped and why', async () => {
    const { body } = await api('/api/nodes/ws-plugins');
    expect(body.skipped_plugins).toEqual([
      {
        name: 'future',
        code: 'PLUGIN_LOAD_FAILED',
        reason: expect.stringContaining(
          'was built with plugin SDK 2.0.0, but this agent has plugin SDK 1.0.0',
        ),
      },
    ]);
    const exec = await api('/api/nodes/ws-plugins/exec', { action: 'future.hello', params: {} });
    expect(exec.status).toBe(404);
    expect(exec.body).toMatchObject({
      error: { code: 'PLUGIN_NOT_FOUND', message: expect.stringContaining('plugin SDK 2.0.0') },
    });
  });
});
