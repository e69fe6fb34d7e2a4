import { OPENCLAW_VERSION, OpenClawError, toErrorPayload, type HelloAck } from '@openclaw-node/core';
import type { Logger } from 'pino';
import { principalKey, type AuthProvider } from '../security/auth/auth-provider.js';
import type { AgentGuard } from '../security/agent-guard.js';
import type { AdvertisedPlugin, NodeRegistry, NodeSession } from '../nodes/node-registry.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { OfflineQueue } from '../jobs/offline-queue.js';
import type { PendingJobs } from '../jobs/pending-jobs.js';
import type { PluginCatalog } from '../nodes/plugin-catalog.js';
import { handshakeMiddleware } from './handshake.js';
import { assertMayHoldNode, claimableTags } from './node-claim.js';
import { nodeHealthListener } from '../nodes/health/node-health-listener.js';
import { parseAllowedPaths } from './allowed-paths.js';
import { parseHello } from './hello.js';
import { attachJobEvents, parseAgentLimits } from './job-events.js';
import { parseProgress } from './progress.js';
import { createSocketConnection } from './socket-connection.js';
import type { AgentNamespace, AgentSocket, GatewayObserver } from './types.js';
import { keepAcksYoung } from './socket-acks.js';

export interface AgentGatewayOptions {
  registry: NodeRegistry;
  catalog: PluginCatalog;
  jobs: PendingJobs;
  /** Runs jobs: progress, delivery acks and starts go to it. */
  runner: JobRunner;
  /** Offline-queued jobs are offered to a node after its hello. */
  queue: OfflineQueue;
  auth: AuthProvider;
  logger: Logger;
  /** Handshake limits, audit, revocation and misbehaviour logs (security). */
  guard?: AgentGuard;
  /** A connection that sends no valid hello within this time is dropped. */
  helloTimeoutMs?: number;
  /** Told each hello's outcome and each refused handshake (metrics). */
  observer?: GatewayObserver;
}

/** Serve the agent namespace: handshake auth, hello, progress, replacement and disconnects. */
export function attachAgentGateway(namespace: AgentNamespace, options: AgentGatewayOptions): void {
  namespace.use(
    handshakeMiddleware(options.auth, options.logger, options.guard, options.registry, options.observer),
  );
  namespace.on('connection', (socket) => onConnection(socket, options));
}

function onConnection(socket: AgentSocket, o: AgentGatewayOptions): void {
  const { registry, catalog, jobs } = o;
  const nodeId = socket.data.nodeId;
  keepAcksYoung(socket);
  const connection = createSocketConnection(socket);
  const address = o.guard?.addressOf(socket) ?? socket.handshake.address;
  const log = o.logger.child({ node_id: nodeId, connection: connection.id, address });
  let session: NodeSession | undefined;

  const helloTimer = setTimeout(() => {
    log.warn('agent sent no valid hello in time; disconnecting');
    socket.disconnect(true);
  }, o.helloTimeoutMs ?? 10_000);
  socket.conn.on('packet', () => registry.touch(nodeId, connection.id));

  socket.on('hello', (payload: unknown, ack: unknown) => {
    if (typeof ack !== 'function') {
      log.warn('hello without an ack callback; disconnecting');
      socket.disconnect(true);
      return;
    }
    const reply = ack as (response: HelloAck) => void;
    try {
      const hello = parseHello(payload, nodeId, catalog);
      const { principal } = socket.data;
      // Checked again here: two handshakes for one node id may both pass before either says hello.
      assertMayHoldNode(registry.get(nodeId), connection.id, principal);
      const tags = claimableTags(hello.tags, principal);
      if (tags.dropped.length > 0) {
        o.guard?.misbehaved(socket, 'tags its token may not claim', {
          dropped_tags: tags.dropped.slice(0, 16),
        });
      }
      const limits = parseAgentLimits(payload);
      const allowedPaths = parseAllowedPaths(payload);
      if (allowedPaths.dropped)
        log.warn({ reason: allowedPaths.dropped }, 'allowed_paths of the hello dropped');
      const plugins = catalog.admit(hello.plugins);
      if (!socket.connected) return catalog.release(plugins);
      const now = new Date();
      session = {
        nodeId,
        hostname: hello.hostname,
        platform: hello.platform,
        arch: hello.arch,
        agentVersion: hello.agentVersion,
        tags: tags.kept,
        principalKey: principalKey(principal),
        plugins: new Map(plugins.map((p) => [p.manifest.name, p])),
        skipped: hello.skipped,
        connectedAt: session?.connectedAt ?? now,
        lastSeenAt: now,
        connection,
        ...(limits ? { limits } : {}),
        ...(hello.startedAt ? { startedAt: new Date(hello.startedAt) } : {}),
        ...(hello.os !== undefined ? { os: hello.os } : {}),
        ...(hello.health ? { health: hello.health } : {}),
        ...(allowedPaths.paths ? { allowedPaths: allowedPaths.paths } : {}),
      };
      clearTimeout(helloTimer);
      const replaced = registry.register(session);
      if (replaced) {
        const failed = jobs.failConnection(
          replaced.connection.id,
          () =>
            new OpenClawError(
              'NODE_DISCONNECTED',
              `Node "${nodeId}" was replaced by a new connection before the job finished`,
            ),
        );
        replaced.connection.replace('Another agent connected with the same node id');
        log.warn(
          { replaced: replaced.connection.id, failed_jobs: failed },
          'node replaced by a new connection',
        );
      }
      reply({ ok: true, serverVersion: OPENCLAW_VERSION, pluginRefs: refsOf(plugins) });
      o.observer?.hello('ok');
      log.info(
        { plugins: [...session.plugins.keys()], platform: hello.platform, agent: hello.agentVersion },
        'node connected',
      );
      o.queue.deliver(nodeId);
    } catch (error) {
      const payload = toErrorPayload(error);
      reply({ ok: false, error: payload });
      o.observer?.hello(payload.code);
      // Not a refusal: the agent sends the hello again with those manifests in full, on this connection.
      if (payload.code === 'MANIFEST_UNKNOWN') return log.debug('hello named manifests not known here');
      log.warn({ code: payload.code, message: payload.message }, 'hello rejected');
      socket.disconnect(true);
    }
  });

  socket.on('job:progress', (value: unknown) => {
    const event = parseProgress(value);
    if (event && session) o.runner.progress(connection.id, event);
  });

  attachJobEvents(socket, { runner: o.runner, connectionId: connection.id, registered: () => !!session });

  socket.on(
    'node:health',
    nodeHealthListener({ registry, nodeId, connectionId: connection.id, logger: log }),
  );

  socket.on('disconnect', (reason) => {
    clearTimeout(helloTimer);
    const removed = registry.unregister(nodeId, connection.id);
    const failed = jobs.failConnection(
      connection.id,
      () =>
        new OpenClawError(
          'NODE_DISCONNECTED',
          `Node "${nodeId}" disconnected (${reason}) before the job finished`,
        ),
    );
    if (removed) log.info({ reason, failed_jobs: failed }, 'node disconnected');
  });
}

/** The ref of each admitted plugin by name, for the hello's ack (the agent names them so next time). */
function refsOf(plugins: readonly AdvertisedPlugin[]): Record<string, string> {
  const refs: Record<string, string> = {};
  for (const { manifest, hash } of plugins) refs[manifest.name] = `sha256:${hash}`;
  return refs;
}
