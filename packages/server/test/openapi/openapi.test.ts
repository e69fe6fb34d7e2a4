import { readFileSync } from 'node:fs';
import type Router from '@koa/router';
import { Validator } from '@seriousme/openapi-schema-validator';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { GENERATED_FILE, renderRestSchemas } from '../../../../scripts/rest-schemas.js';
import { createApp, type AppDeps } from '../../src/http/app.js';
import { ServerMetrics } from '../../src/metrics/server-metrics.js';
import { NodeRegistry } from '../../src/nodes/node-registry.js';
import { PluginCatalog } from '../../src/nodes/plugin-catalog.js';
import {
  api,
  connectAgent,
  startServer,
  toolsManifest,
  type FakeAgent,
  type TestServer,
} from '@openclaw-node/test-support/server';

let t: TestServer | undefined;
const agents: FakeAgent[] = [];

afterEach(async () => {
  agents.splice(0).forEach((a) => a.close());
  await t?.close();
  t = undefined;
});

/** The routes the Koa router serves, as "METHOD /path/{param}" (HEAD comes with every GET). */
function servedRoutes(): Set<string> {
  const unused = new Proxy({}, { get: () => undefined }) as never;
  const registry = new NodeRegistry();
  const app = createApp({
    registry,
    catalog: new PluginCatalog(registry),
    jobs: unused,
    dispatcher: unused,
    fanOut: unused,
    store: unused,
    streams: unused,
    sseHeartbeatMs: 1000,
    auth: unused,
    logger: pino({ level: 'silent' }),
    maxBodyBytes: 1024,
    startedAt: 0,
    metrics: new ServerMetrics({
      sources: {
        agentsByPlatform: () => new Map(),
        execInFlight: () => 0,
        sseSubscribers: () => 0,
        jobsByState: () => new Map(),
      },
      knownAction: () => false,
    }),
  } satisfies AppDeps);
  // Every router the app dispatches to (the exec routes have one of their own).
  const routers = app.middleware
    .filter((m) => 'router' in m)
    .map((m) => (m as unknown as { router: Router }).router);
  const routes = new Set<string>();
  for (const layer of routers.flatMap((router) => router.stack)) {
    for (const method of layer.methods) {
      if (method === 'HEAD') continue;
      routes.add(`${method} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes;
}

function documentedRoutes(doc: { paths: Record<string, Record<string, unknown>> }): Set<string> {
  const routes = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths))
    for (const method of Object.keys(item)) routes.add(`${method.toUpperCase()} ${path}`);
  return routes;
}

describe('GET /api/openapi.json', () => {
  it('needs a token like the rest of the API', async () => {
    t = await startServer();
    const { status, body } = await api(t.url, '/api/openapi.json', { token: null });
    expect(status).toBe(401);
    expect(body.error.code).toBe('AUTH_REQUIRED');
  });

  it('is a valid OpenAPI 3.1 document that lists every served route and nothing else', async () => {
    t = await startServer();
    const { status, body: doc } = await api(t.url, '/api/openapi.json');
    expect(status).toBe(200);
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    const served = servedRoutes();
    expect(served.size).toBeGreaterThanOrEqual(13);
    expect([...documentedRoutes(doc)].sort()).toEqual([...served].sort());
  });

  it("types the exec body per action of the connected catalog, with each action's params schema", async () => {
    t = await startServer();
    const agent = await connectAgent(t.url, { nodeId: 'ws-001', hello: { plugins: [toolsManifest()] } });
    agents.push(agent);
    const { body: doc } = await api(t.url, '/api/openapi.json');
    expect((await new Validator().validate(doc)).valid).toBe(true);
    const variants = doc.components.schemas.ExecBody.oneOf as {
      properties: { action: { const: string }; params: Record<string, unknown> };
    }[];
    expect(variants.map((v) => v.properties.action.const).sort()).toEqual([
      'tools.open_folder',
      'tools.ping',
      'tools.render',
    ]);
    const render = variants.find((v) => v.properties.action.const === 'tools.render')!;
    expect(render.properties.params).toMatchObject({
      required: ['script'],
      properties: { threads: { type: 'integer', minimum: 1 } },
    });
    const exec = doc.paths['/api/nodes/{id}/exec'].post;
    expect(exec.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ExecBody',
    });
    expect(exec.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ExecSuccess',
    );
    expect(exec.responses['504'].description).toContain('NODE_TIMEOUT');
    expect(doc.components.schemas.HealthResponse.required).toContain('timestamp');
    expect(doc.components.schemas.NodeDetail.required).toContain('last_heartbeat');
  });

  it('answers from schemas generated from core/src/rest.ts, and the committed file is current', () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(renderRestSchemas());
  }, 120_000);
});
