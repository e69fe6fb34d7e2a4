import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { AGENT_NAMESPACE, OpenClawError } from '@openclaw-node/core';
import { Server as SocketServer } from 'socket.io';
import { WebSocketServer } from 'ws';
import { createApp } from './http/app.js';
import { ChurnSet } from './memory/churn-map.js';
import { auditJobs } from './security/audit/job-audit.js';
import { JobOrigins } from './security/audit/job-origins.js';
import { Cluster } from './cluster/cluster.js';
import { createSharedLimits } from './cluster/redis-rate-limits.js';
import { attachAgentGateway } from './gateway/agent-gateway.js';
import { agentSocketParser } from './gateway/hello-parser.js';
import { JobService } from './jobs/job-service.js';
import { DEFAULT_IDEMPOTENCY_WINDOW_MS } from './jobs/index.js';
import type { AgentServer } from './gateway/types.js';
import { NodeRegistry } from './nodes/node-registry.js';
import { resolveServerOptions, type ServerOptions } from './options.js';
import { PendingJobs } from './jobs/pending-jobs.js';
import { PluginCatalog } from './nodes/plugin-catalog.js';
import { GuardedDispatcher } from './security/guarded-dispatcher.js';
import { GuardedFanOut } from './security/guarded-fan-out.js';
import { QueueGuard } from './security/queue-guard.js';
import { pickSecurityOptions, resolveKnownNodes } from './security/security-options.js';
import { createServerSecurity } from './security/server-security.js';
import { createWebServer, type WebServer } from './http/tls/web-server.js';
import { setupMetrics } from './metrics/server-metrics-setup.js';

/** A running (or ready to run) OpenClaw server. */
export interface OpenClawServer {
  /** Start listening; `url` uses 127.0.0.1 when bound to every interface. */
  listen(): Promise<{ url: string; host: string; port: number }>;
  /** Fail pending jobs, disconnect agents, stop listening. */
  close(): Promise<void>;
}

/** After close(), requests still open this long are cut. */
const CLOSE_GRACE_MS = 2000;

/**
 * Build the server: Koa REST API and the Socket.IO agent gateway on one HTTP server.
 * @example
 * const server = createServer({ tokens: await loadTokensFromEnv(), port: 8765 });
 * const { url } = await server.listen();
 */
export function createServer(options: ServerOptions): OpenClawServer {
  const o = resolveServerOptions(options);
  const logger = o.logger;
  const cluster = o.cluster ? new Cluster(o.cluster, logger) : undefined;
  const jobs = new PendingJobs();
  const security = createServerSecurity(
    {
      ...pickSecurityOptions(options),
      // Progress for a job the connection was not given is dropped and logged.
      ownsJob: (socket, jobId) => jobs.owns(socket.id, jobId),
      takeAnnouncement: (socket, jobId, kind) => jobs.takeAnnouncement(socket.id, jobId, kind),
      tokens: o.tokens,
      ...(o.auth ? { auth: o.auth } : {}),
      ...(cluster
        ? {
            sharedLimits: (limits) =>
              createSharedLimits(
                cluster.redis.limits,
                cluster.limitsPrefix,
                limits,
                logger,
                cluster.authFailures,
              ),
          }
        : {}),
    },
    logger,
  );
  const auth = security.auth;
  const registry = new NodeRegistry();
  const catalog = new PluginCatalog(registry);
  // In scale-out the metrics also ask which jobs this process's requests created.
  const origins = new JobOrigins(
    security.audit.enabled || (cluster !== undefined && options.metrics?.enabled !== false),
  );
  const jobService = new JobService({
    origins,
    options: o,
    registry,
    catalog,
    pending: jobs,
    logger,
    ...(cluster ? { cluster } : {}),
  });
  const execGuard = {
    ...security.exec,
    queue: new QueueGuard({
      registry,
      store: jobService.store,
      limits: security.limits,
      knownNodes: resolveKnownNodes(options.knownNodes),
    }),
  };
  const metrics = setupMetrics(options.metrics, {
    registry,
    catalog,
    pending: jobs,
    store: jobService.store,
    sseSubscribers: () => jobService.streams.size,
    ...(cluster ? { processId: cluster.processId, isOwnJob: (id: string) => origins.has(id) } : {}),
    logger,
  });
  const dispatcher = new GuardedDispatcher(
    {
      registry,
      store: jobService.store,
      runner: jobService.runner,
      planner: jobService.planner,
      idempotencyWindowMs: DEFAULT_IDEMPOTENCY_WINDOW_MS,
      cancelWaitMs: o.cancelWaitMs,
      ...(cluster ? { cluster } : {}),
    },
    execGuard,
  );
  const fanOut = new GuardedFanOut(
    {
      registry,
      store: jobService.store,
      planner: jobService.planner,
      dispatcher,
      idempotencyWindowMs: DEFAULT_IDEMPOTENCY_WINDOW_MS,
    },
    execGuard,
  );
  auditJobs(jobService.store, security.audit, logger, origins, { onlyOwnRequests: cluster !== undefined });
  const app = createApp({
    registry,
    catalog,
    jobs,
    dispatcher,
    fanOut,
    store: jobService.store,
    streams: jobService.streams,
    sseHeartbeatMs: o.sseHeartbeatMs,
    auth,
    security: security.rest,
    logger,
    maxBodyBytes: o.maxBodyBytes,
    startedAt: Date.now(),
    limits: security.limits,
    ...(metrics ? { metrics: metrics.metrics } : {}),
  });
  const handle = app.callback();
  const inFlight = new ChurnSet<ServerResponse>();
  // One listener for every response (`close` comes once): no closure per request.
  function forget(this: ServerResponse): void {
    inFlight.delete(this);
  }
  const http: WebServer = createWebServer(security.tls, (req, res) => {
    inFlight.add(res);
    res.on('close', forget);
    void handle(req, res);
  });
  // Upgraded sockets leave the HTTP server's connection tracking, so close() cuts them itself.
  const upgraded = new Set<Duplex>();
  http.on('upgrade', (_req: IncomingMessage, socket: Duplex) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
  });
  const io: AgentServer = new SocketServer(http, {
    path: o.socketPath,
    serveClient: false,
    pingInterval: o.pingIntervalMs,
    pingTimeout: o.pingTimeoutMs,
    maxHttpBufferSize: security.limits.maxSocketMessageBytes,
    // Agents speak WebSocket only (docs/protocol.md): no HTTP long-polling sessions to hold open.
    transports: ['websocket'],
    // A connection that has not passed the agent handshake by then is closed.
    connectTimeout: 10_000,
    // Named explicitly: engine.io's own `require('ws').Server` breaks where `ws` resolves to its ESM wrapper.
    wsEngine: WebSocketServer,
    // Hellos' plugin lists parsed once per distinct text (gateway/hello-parser.ts).
    parser: agentSocketParser(),
  });
  io.of('/').use((_socket, next) =>
    next(
      Object.assign(new Error('Agents connect to the /agent namespace'), {
        data: { code: 'ROUTE_NOT_FOUND', message: 'Agents connect to the /agent namespace' },
      }),
    ),
  );
  security.agents.attach(io.of(AGENT_NAMESPACE));
  attachAgentGateway(io.of(AGENT_NAMESPACE), {
    registry,
    catalog,
    jobs,
    runner: jobService.runner,
    queue: jobService.queue,
    auth,
    logger,
    guard: security.agents,
    ...(metrics ? { observer: metrics.observer } : {}),
  });
  metrics?.attachSockets(io, io.of(AGENT_NAMESPACE));
  cluster?.attach({
    io,
    namespace: io.of(AGENT_NAMESPACE),
    registry,
    catalog,
    pending: jobs,
    store: jobService.store,
    runner: jobService.runner,
    dispatcher,
    queue: jobService.queue,
    cancelWaitMs: o.cancelWaitMs,
  });

  let state: 'idle' | 'listening' | 'closing' | 'closed' = 'idle';
  let closing: Promise<void> | undefined;

  return {
    async listen() {
      if (state !== 'idle')
        throw new OpenClawError('CONFIG_INVALID', `The server cannot listen: it is ${state}`);
      state = 'listening';
      try {
        await jobService.open();
        await cluster?.start();
        await metrics?.start();
      } catch (error) {
        state = 'idle';
        await metrics?.close();
        await jobService.close();
        await cluster?.close();
        throw error;
      }
      await new Promise<void>((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException): void => {
          state = 'idle';
          const failed = (): void =>
            reject(
              new OpenClawError(
                error.code === 'EADDRINUSE' ? 'PORT_IN_USE' : 'CONFIG_INVALID',
                `Cannot listen on ${o.host}:${o.port}: ${error.code ?? error.message}`,
                { details: { field: 'port', host: o.host, port: o.port }, cause: error },
              ),
            );
          void jobService
            .close()
            .then(() => cluster?.close())
            .then(failed, failed);
        };
        http.once('error', onError);
        http.listen(o.port, o.host, () => {
          http.off('error', onError);
          resolve();
        });
      });
      security.start(http);
      const { port } = http.address() as AddressInfo;
      const shown =
        o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host.includes(':') ? `[${o.host}]` : o.host;
      const url = `${security.tls ? 'https' : 'http'}://${shown}:${port}`;
      logger.info(
        {
          url,
          host: o.host,
          port,
          socket_path: o.socketPath,
          ...(cluster ? { process_id: cluster.processId } : {}),
        },
        'server listening',
      );
      return { url, host: o.host, port };
    },

    close() {
      closing ??= (async () => {
        state = 'closing';
        jobService.streams.closeAll();
        // Answers still to be written close their connection, so no keep-alive socket holds close() up.
        for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
        jobs.failAll(() => new OpenClawError('NODE_DISCONNECTED', 'The server is shutting down'));
        io.disconnectSockets(true);
        // The other processes hear that this one's nodes left before the adapter closes.
        await cluster?.drain();
        // Idle keep-alive connections close now; whatever still lingers after the grace is cut.
        // A WebSocket peer that never closes its side (python-engineio does not) would hold close()
        // for ws's 30 s close timeout.
        const cut = setTimeout(() => {
          http.closeAllConnections();
          for (const socket of upgraded) socket.destroy();
        }, CLOSE_GRACE_MS);
        const closed = io.close();
        http.closeIdleConnections();
        await closed;
        await jobService.close();
        await cluster?.close();
        await security.close();
        await metrics?.close();
        clearTimeout(cut);
        state = 'closed';
        logger.info('server closed');
      })();
      return closing;
    },
  };
}
