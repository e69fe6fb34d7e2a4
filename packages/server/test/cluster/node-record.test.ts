import { describe, expect, it } from 'vitest';
import { fromNodeRecord, parseNodeRecord, toNodeRecord } from '../../src/cluster/node-record.js';
import type { AgentConnection, NodeSession } from '../../src/nodes/node-registry.js';

const connection: AgentConnection = {
  id: 'conn-1',
  sendExec: () => () => undefined,
  sendCancel: () => undefined,
  replace: () => undefined,
};

function session(extra: Partial<NodeSession> = {}): NodeSession {
  return {
    nodeId: 'ws-001',
    hostname: 'ws-001.studio.lan',
    platform: 'linux',
    arch: 'x64',
    agentVersion: '0.1.0',
    tags: ['comp'],
    plugins: new Map(),
    skipped: [],
    connectedAt: new Date(1_000),
    lastSeenAt: new Date(2_000),
    connection,
    ...extra,
  };
}

const roundTrip = (s: NodeSession) =>
  fromNodeRecord(parseNodeRecord(JSON.stringify(toNodeRecord(s, 'proc-a')))!, new Map(), connection);

describe('node record (scale-out)', () => {
  it("carries the agent's allowed_paths to the other processes", () => {
    const paths = ['/mnt/projects', 'P:\\projects'];
    expect(toNodeRecord(session({ allowedPaths: paths }), 'proc-a').allowed_paths).toEqual(paths);
    expect(roundTrip(session({ allowedPaths: paths })).allowedPaths).toEqual(paths);
  });

  it('has none for an agent that sent none (and reads records written without them)', () => {
    expect(toNodeRecord(session(), 'proc-a')).not.toHaveProperty('allowed_paths');
    expect(roundTrip(session())).not.toHaveProperty('allowedPaths');
  });
});
