import type { NodesResponse } from '@openclaw-node/core';
import { describe, expect, it } from 'vitest';
import { NodeRegistry, type NodeSession } from '../src/nodes/node-registry.js';
import { NodeListBody } from '../src/nodes/node-list.js';
import { toNodeSummary } from '../src/nodes/node-views.js';
import { PendingJobs, type Job } from '../src/jobs/pending-jobs.js';
import { rvInstalled, rvMissing, playerManifest } from './health/health-fixtures.js';

function session(nodeId: string, overrides: Partial<NodeSession> = {}): NodeSession {
  const at = new Date('2025-03-01T10:00:00.000Z');
  return {
    nodeId,
    hostname: `${nodeId}.studio.lan`,
    platform: 'linux',
    arch: 'x64',
    agentVersion: '0.1.0',
    tags: ['comp'],
    plugins: new Map([['rv', { manifest: playerManifest(), hash: 'h-rv' }]]),
    skipped: [],
    connectedAt: at,
    lastSeenAt: at,
    connection: { id: `conn-${nodeId}`, sendExec: () => () => {}, sendCancel: () => {}, replace: () => {} },
    startedAt: new Date('2025-03-01T09:00:00.000Z'),
    os: 'Linux 6.8.0',
    health: [rvMissing()],
    ...overrides,
  };
}

/** A job in flight on `nodeId`, as the dispatcher adds it. */
function pendingJob(commandId: string, nodeId: string, connectionId = `conn-${nodeId}`): Job {
  return {
    commandId,
    nodeId,
    connectionId,
    action: 'rv.open_sources',
    startedAt: new Date('2025-03-01T10:05:00.000Z'),
    events: [],
    fail: () => {},
  };
}

/** What GET /api/nodes answered before the cache: every summary built for the request. */
function rebuilt(registry: NodeRegistry, jobs: PendingJobs, now: Date): NodesResponse {
  const nodes = registry
    .list()
    .map((s) => ({ ...toNodeSummary(s, jobs.forNode(s.nodeId).length), ...uptimeAt(s, now) }));
  return { nodes, count: nodes.length };
}

function uptimeAt(s: NodeSession, now: Date): { uptime_s?: number } {
  return s.startedAt ? { uptime_s: Math.floor((now.getTime() - s.startedAt.getTime()) / 1000) } : {};
}

function parseAll(list: NodeListBody, registry: NodeRegistry, jobs: PendingJobs, now: Date): NodesResponse {
  return JSON.parse(list.all(registry, jobs, now).toString()) as NodesResponse;
}

function render(list: NodeListBody, registry: NodeRegistry, jobs: PendingJobs, now: Date): NodesResponse {
  return JSON.parse(list.render(registry.list(), jobs, now).toString()) as NodesResponse;
}

describe('NodeListBody', () => {
  const now = new Date('2025-03-01T10:05:00.000Z');

  it('answers what building every summary answers', () => {
    const registry = new NodeRegistry();
    const jobs = new PendingJobs();
    registry.register(session('ws-002'));
    // An agent that reported no start time, OS or health.
    const { startedAt: _startedAt, os: _os, health: _health, ...bare } = session('ws-001');
    registry.register(bare);
    const list = new NodeListBody(registry);
    expect(render(list, registry, jobs, now)).toEqual(rebuilt(registry, jobs, now));
    expect(render(list, registry, jobs, now).nodes.map((n) => n.node_id)).toEqual(['ws-001', 'ws-002']);
  });

  it('writes new traffic, health, jobs and uptime into a list it already served', () => {
    const registry = new NodeRegistry();
    const jobs = new PendingJobs();
    registry.register(session('ws-001'));
    const list = new NodeListBody(registry);
    render(list, registry, jobs, now);

    registry.touch('ws-001', 'conn-ws-001', new Date('2025-03-01T10:04:59.000Z'));
    registry.setHealth('ws-001', 'conn-ws-001', [rvInstalled()]);
    jobs.add(pendingJob('job-1', 'ws-001'));
    const later = new Date('2025-03-01T10:06:00.000Z');
    const served = render(list, registry, jobs, later);
    expect(served).toEqual(rebuilt(registry, jobs, later));
    expect(served.nodes[0]).toMatchObject({
      last_seen_at: '2025-03-01T10:04:59.000Z',
      pending_commands: 1,
      uptime_s: 3960,
      unavailable: [],
      apps: { rv: { path: '/opt/rv-2024.1/bin/rv', version: '2024.1.0' } },
    });
  });

  it('writes counts of any width, and a node without a start time next to one with it', () => {
    const registry = new NodeRegistry();
    const jobs = new PendingJobs();
    registry.register(session('ws-001', { startedAt: new Date('1970-01-01T00:00:00.000Z') }));
    const { startedAt: _startedAt, ...bare } = session('ws-002');
    registry.register(bare);
    for (let i = 0; i < 12; i++)
      for (const nodeId of ['ws-001', 'ws-002']) jobs.add(pendingJob(`${nodeId}-job-${i}`, nodeId));
    const list = new NodeListBody(registry);
    const served = render(list, registry, jobs, now);
    expect(served).toEqual(rebuilt(registry, jobs, now));
    expect(served.nodes.map((n) => [n.pending_commands, n.uptime_s])).toEqual([
      [12, 1740823500],
      [12, undefined],
    ]);
    expect(parseAll(list, registry, jobs, now)).toEqual(served);
  });

  it('lists a reconnected node from its new session', () => {
    const registry = new NodeRegistry();
    const jobs = new PendingJobs();
    registry.register(session('ws-001'));
    const list = new NodeListBody(registry);
    render(list, registry, jobs, now);
    registry.register(
      session('ws-001', { hostname: 'renamed', connection: { ...session('x').connection, id: 'c2' } }),
    );
    expect(render(list, registry, jobs, now).nodes[0]!.hostname).toBe('renamed');
  });

  describe('all', () => {
    const parse = (body: Buffer): NodesResponse => JSON.parse(body.toString()) as NodesResponse;

    it('serves the same bytes within a second while nothing but traffic changed', () => {
      const registry = new NodeRegistry();
      const jobs = new PendingJobs();
      registry.register(session('ws-001'));
      const list = new NodeListBody(registry);
      const first = list.all(registry, jobs, now);
      registry.touch('ws-001', 'conn-ws-001', new Date('2025-03-01T10:05:00.500Z'));
      expect(list.all(registry, jobs, new Date(now.getTime() + 999))).toBe(first);
      const later = parse(list.all(registry, jobs, new Date(now.getTime() + 1000)));
      expect(later.nodes[0]!.last_seen_at).toBe('2025-03-01T10:05:00.500Z');
    });

    it('renders again when a job ends on one node and another starts on the next (same number in flight)', () => {
      const registry = new NodeRegistry();
      const jobs = new PendingJobs();
      registry.register(session('ws-001'));
      registry.register(session('ws-002', { connection: { ...session('x').connection, id: 'c2' } }));
      jobs.add(pendingJob('job-1', 'ws-001'));
      const list = new NodeListBody(registry);
      list.all(registry, jobs, now);
      jobs.delete('job-1');
      jobs.add(pendingJob('job-2', 'ws-002', 'c2'));
      const pending = parse(list.all(registry, jobs, now)).nodes.map((n) => n.pending_commands);
      expect(pending).toEqual([0, 1]);
    });

    it('renders again when the clock steps back', () => {
      const registry = new NodeRegistry();
      const jobs = new PendingJobs();
      registry.register(session('ws-001'));
      const list = new NodeListBody(registry);
      const first = list.all(registry, jobs, now);
      registry.touch('ws-001', 'conn-ws-001', new Date('2025-03-01T09:55:00.000Z'));
      const earlier = new Date(now.getTime() - 10 * 60_000);
      expect(list.all(registry, jobs, earlier)).not.toBe(first);
      expect(parse(list.all(registry, jobs, earlier)).nodes[0]).toMatchObject({
        last_seen_at: '2025-03-01T09:55:00.000Z',
        uptime_s: 3300,
      });
    });

    it('renders again at once when a node comes, goes or reports health, or jobs start or end', () => {
      const registry = new NodeRegistry();
      const jobs = new PendingJobs();
      registry.register(session('ws-001'));
      const list = new NodeListBody(registry);
      list.all(registry, jobs, now);

      registry.register(session('ws-002', { connection: { ...session('x').connection, id: 'c2' } }));
      expect(parse(list.all(registry, jobs, now)).count).toBe(2);

      registry.setHealth('ws-002', 'c2', [rvInstalled()]);
      expect(parse(list.all(registry, jobs, now)).nodes[1]!.unavailable).toEqual([]);

      jobs.add(pendingJob('job-1', 'ws-001'));
      expect(parse(list.all(registry, jobs, now)).nodes[0]!.pending_commands).toBe(1);

      registry.unregister('ws-002', 'c2');
      expect(parse(list.all(registry, jobs, now)).count).toBe(1);
    });
  });
});
