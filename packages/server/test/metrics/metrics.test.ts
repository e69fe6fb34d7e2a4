import { io as connectSocket } from 'socket.io-client';
import { AGENT_NAMESPACE, PROTOCOL_VERSION } from '@openclaw-node/core';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePrometheus, sampleOf } from '@openclaw-node/test-support/metrics';
import {
  AGENT_TOKEN,
  api,
  connectAgent,
  startServer,
  TOKEN,
  toolsManifest,
  waitFor,
  type FakeAgent,
  type TestServer,
} from '@openclaw-node/test-support/server';

const VIEWER = 'viewer-token-metrics-7e1d';
const SCOPED = 'scoped-viewer-token-33a0';

const servers: TestServer[] = [];
const agents: FakeAgent[] = [];

afterEach(async () => {
  agents.splice(0).forEach((a) => a.close());
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(overrides: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const t = await startServer({
    tokens: [
      { name: 'test', token: TOKEN },
      { name: 'agent-only', token: AGENT_TOKEN, roles: ['agent'] },
      { name: 'viewer', token: VIEWER, roles: ['viewer'] },
      { name: 'scoped', token: SCOPED, roles: ['viewer'], nodes: ['ws-1*'] },
    ],
    ...overrides,
  });
  servers.push(t);
  return t;
}

async function scrape(
  url: string,
  token: string | null = VIEWER,
): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(
    `${url}/metrics`,
    token ? { headers: { authorization: `Bearer ${token}` } } : {},
  );
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

describe('GET /metrics', () => {
  it('answers a viewer token, and refuses anonymous, agent-only and node-scoped callers', async () => {
    const t = await server();
    const anonymous = await scrape(t.url, null);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.text)).toMatchObject({ error: { code: 'AUTH_REQUIRED' } });
    expect(JSON.parse((await scrape(t.url, AGENT_TOKEN)).text)).toMatchObject({
      error: { code: 'FORBIDDEN' },
    });
    const scoped = await scrape(t.url, SCOPED);
    expect(scoped.status).toBe(403);
    expect(JSON.parse(scoped.text)).toMatchObject({
      error: { code: 'FORBIDDEN', details: { path: '/metrics' } },
    });
    const viewer = await scrape(t.url, VIEWER);
    expect(viewer.status).toBe(200);
    expect(viewer.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheus(viewer.text);
    // prom-client's default process metrics and the event-loop lag are there.
    expect(families.get('process_cpu_user_seconds_total')?.type).toBe('COUNTER');
    expect(families.get('nodejs_eventloop_lag_seconds')?.type).toBe('GAUGE');
    expect(families.get('openclaw_exec_duration_seconds')?.type).toBe('HISTOGRAM');
  });

  it('counts agents, hellos, execs by action and outcome, node time, store writes, messages, auth failures and disconnects — with no node or job id in any label', async () => {
    const t = await server();
    const agent = await connectAgent(t.url, {
      nodeId: 'ws-metrics-01',
      hello: { plugins: [toolsManifest()] },
      onExec: (request) =>
        request.params.fail
          ? ({ ok: false, error: { code: 'STUDIO_OWN_CODE', message: 'nope' } } as never)
          : ({ ok: true, result: {} } as never),
    });
    agents.push(agent);
    const ids: string[] = [];
    for (const params of [{}, {}]) {
      const { status, body } = await api(t.url, '/api/nodes/ws-metrics-01/exec', {
        body: { action: 'tools.ping', params },
      });
      expect(status).toBe(200);
      ids.push(body.command_id);
    }
    // A plugin's own code is counted as OTHER; an unknown action is not a label of its own.
    const ping = toolsManifest().actions.ping!;
    ping.params = { type: 'object', properties: { fail: { type: 'boolean' } }, additionalProperties: false };
    const failing = await connectAgent(t.url, {
      nodeId: 'ws-metrics-02',
      hello: { plugins: [toolsManifest({ name: 'failing', actions: { ping } })] },
      onExec: () => ({ ok: false, error: { code: 'STUDIO_OWN_CODE', message: 'nope' } }) as never,
    });
    agents.push(failing);
    expect(
      (await api(t.url, '/api/nodes/ws-metrics-02/exec', { body: { action: 'failing.ping' } })).status,
    ).toBe(422);
    expect(
      (await api(t.url, '/api/nodes/ws-metrics-01/exec', { body: { action: 'tools.made_up_by_a_caller' } }))
        .status,
    ).toBe(404);
    expect((await api(t.url, '/api/nodes', { token: 'not-a-token' })).status).toBe(401);
    const refused = connectSocket(`${t.url}${AGENT_NAMESPACE}`, {
      path: '/ws',
      transports: ['websocket'],
      reconnection: false,
      auth: { token: 'wrong', nodeId: 'ws-x', protocol: PROTOCOL_VERSION },
    });
    await new Promise<void>((resolve) => refused.once('connect_error', () => resolve()));
    refused.close();
    failing.close();
    await waitFor(
      async () => ((await api(t.url, '/api/nodes')).body.count === 1 ? true : undefined),
      'the failing agent gone',
    );

    const { status, text } = await scrape(t.url);
    expect(status).toBe(200);
    const f = parsePrometheus(text);
    expect(sampleOf(f, 'openclaw_agents_connected', { platform: 'linux' })?.value).toBe('1');
    expect(sampleOf(f, 'openclaw_agent_hellos_total', { outcome: 'ok' })?.value).toBe('2');
    expect(
      sampleOf(f, 'openclaw_exec_requests_total', { route: 'node', action: 'tools.ping', code: 'ok' })?.value,
    ).toBe('2');
    expect(
      sampleOf(f, 'openclaw_exec_requests_total', { route: 'node', action: 'failing.ping', code: 'OTHER' })
        ?.value,
    ).toBe('1');
    expect(
      sampleOf(f, 'openclaw_exec_requests_total', {
        route: 'node',
        action: 'other',
        code: 'ACTION_NOT_FOUND',
      })?.value,
    ).toBe('1');
    expect(
      sampleOf(f, 'openclaw_exec_duration_seconds_count', { route: 'node', action: 'tools.ping' })?.value,
    ).toBe('2');
    expect(sampleOf(f, 'openclaw_job_node_seconds_count', { action: 'tools.ping' })?.value).toBe('2');
    expect(sampleOf(f, 'openclaw_jobs_ended_total', { state: 'succeeded' })?.value).toBe('2');
    expect(sampleOf(f, 'openclaw_jobs_ended_total', { state: 'failed' })?.value).toBe('1');
    expect(
      Number(sampleOf(f, 'openclaw_job_store_write_seconds_count', { op: 'create' })?.value),
    ).toBeGreaterThanOrEqual(3);
    expect(
      Number(sampleOf(f, 'openclaw_socketio_messages_total', { direction: 'in' })?.value),
    ).toBeGreaterThanOrEqual(5);
    expect(
      Number(sampleOf(f, 'openclaw_socketio_messages_total', { direction: 'out' })?.value),
    ).toBeGreaterThanOrEqual(5);
    expect(
      sampleOf(f, 'openclaw_auth_failures_total', { channel: 'rest', code: 'AUTH_INVALID' })?.value,
    ).toBe('1');
    expect(
      sampleOf(f, 'openclaw_auth_failures_total', { channel: 'agent', code: 'AUTH_INVALID' })?.value,
    ).toBe('1');
    expect(
      sampleOf(f, 'openclaw_agent_disconnects_total', { reason: 'client namespace disconnect' })?.value,
    ).toBe('1');
    expect(sampleOf(f, 'openclaw_exec_in_flight')?.value).toBe('0');
    expect(sampleOf(f, 'openclaw_sse_subscribers')?.value).toBe('0');
    for (const id of ['ws-metrics-01', 'ws-metrics-02', ...ids]) expect(text).not.toContain(id);
  });

  it('counts the offline queue and SSE subscribers', async () => {
    const t = await server();
    const queued = await api(t.url, '/api/nodes/ws-later/exec', {
      body: { action: 'tools.ping', queue: true, ttl: 600 },
    });
    expect(queued.status).toBe(202);
    const events = await fetch(`${t.url}/api/jobs/${queued.body.command_id}/events`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(events.status).toBe(200);
    const f = parsePrometheus((await scrape(t.url)).text);
    expect(sampleOf(f, 'openclaw_offline_queue_depth')?.value).toBe('1');
    expect(sampleOf(f, 'openclaw_jobs', { state: 'queued' })?.value).toBe('1');
    expect(sampleOf(f, 'openclaw_sse_subscribers')?.value).toBe('1');
    await events.body?.cancel();
  });

  it('serves a scraper without a token on --metrics-listen, and nothing else there', async () => {
    const t = await server({ metrics: { listen: '127.0.0.1:0' } });
    const line = t.logs.find((l) => l.msg === 'metrics listener');
    const url = String(line?.url);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(parsePrometheus(await response.text()).has('openclaw_agents_connected')).toBe(true);
    const other = await fetch(url.replace('/metrics', '/api/nodes'));
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
  });

  it('is absent when disabled', async () => {
    const t = await server({ metrics: { enabled: false } });
    expect((await scrape(t.url)).status).toBe(404);
  });
});

describe('an exec whose caller hung up', () => {
  it('counts as CANCELLED, the outcome of its job', async () => {
    const t = await server();
    const agent = await connectAgent(t.url, { nodeId: 'ws-metrics-gone', onExec: () => 'never' });
    agents.push(agent);
    const caller = new AbortController();
    const pending = api(t.url, '/api/nodes/ws-metrics-gone/exec', {
      body: { action: 'tools.ping', timeout: 600 },
      signal: caller.signal,
    });
    await waitFor(() => (agent.execs.length === 1 ? true : undefined), 'the exec to reach the agent');
    caller.abort();
    await expect(pending).rejects.toThrow();
    const counted = await waitFor(async () => {
      const f = parsePrometheus((await scrape(t.url)).text);
      return sampleOf(f, 'openclaw_exec_requests_total', {
        route: 'node',
        action: 'tools.ping',
        code: 'CANCELLED',
      })?.value;
    }, 'the hung-up exec counted');
    expect(counted).toBe('1');
  });
});
