import os from 'node:os';
import {
  AGENT_NAMESPACE,
  isErrorPayload,
  OPENCLAW_VERSION,
  OpenClawError,
  PROTOCOL_VERSION,
  toPlatform,
  type AgentToServerEvents,
  type HandshakeAuth,
  type HelloAck,
  type HelloPayload,
  type Platform,
  type ServerToAgentEvents,
} from '@openclaw-node/core';
import type { PluginDefinition } from '@openclaw-node/plugin-sdk';
import { createProcessRuntime } from '@openclaw-node/plugin-sdk/runtime';
import { builtinPlugins } from '@openclaw-node/plugins';
import type { Logger } from 'pino';
import { io, type Socket } from 'socket.io-client';
import type { AgentConfig } from './config/agent-config.js';
import { createBackoff, type BackoffOptions } from './connection/backoff.js';
import { checkPluginConfigs } from './plugins/check-plugin-config.js';
import { describeRefusal, isFatalHandshakeCode, isFatalHelloCode } from './connection/handshake-errors.js';
import { PluginRefs } from './connection/plugin-refs.js';
import { parseServerUrl } from './connection/server-url.js';
import { describeTlsFailure, loadTrustedCa, plainTextWarning } from './connection/tls-trust.js';
import type { RuntimeFactory } from './executor/action-context.js';
import { createExecutor, type Executor } from './executor/executor.js';
import { createPathGuard } from './executor/path-guard.js';
import { createAgentHealth, type AgentHealth, type AgentHealthSettings } from './health/agent-health.js';
import { createAgentLogger } from './logger.js';
import { loadPluginCatalog } from './plugins/plugin-catalog.js';
import { createPluginSources } from './plugins/plugin-sources.js';
import { findUnusedPluginConfig } from './plugins/unused-plugin-config.js';

/** How the agent ended: `code` is null after stop(), else why it gave up (AUTH_INVALID, NODE_REPLACED…). */
export interface AgentStopReason {
  code: string | null;
  message: string;
}

/** A running workstation agent. */
export interface Agent {
  /** Begin connecting (and reconnecting with backoff). */
  start(): void;
  /** Resolves at the first accepted hello; rejects if the agent stops before that. */
  readonly ready: Promise<void>;
  /** Resolves when the agent gives up for good, or after stop() (code null). */
  readonly stopped: Promise<AgentStopReason>;
  /** Abort running actions and disconnect. */
  stop(): Promise<void>;
}

export interface CreateAgentOptions {
  config: AgentConfig;
  logger?: Logger;
  /** Plugins by `plugins:` entry name; defaults to the built-in plugins. */
  registry?: Record<string, PluginDefinition>;
  /** Defaults to this machine's platform. */
  platform?: Platform;
  /** Reconnect delays; defaults to 1 s doubling to 60 s, jittered. */
  backoff?: BackoffOptions;
  /** How long the server has to answer `hello`. Default 10 s. */
  helloTimeoutMs?: number;
  /** Builds run/launch/which per job; defaults to the SDK's process runtime. */
  createRuntime?: RuntimeFactory;
  /** Capability health checks (ping deadline, concurrency, interval override, hello wait). */
  health?: AgentHealthSettings;
}

type AgentSocket = Socket<ServerToAgentEvents, AgentToServerEvents>;

/**
 * Create an agent from a resolved config. Nothing happens until start().
 * @example const agent = createAgent({ config }); agent.start(); await agent.ready;
 */
export function createAgent(options: CreateAgentOptions): Agent {
  const { config } = options;
  const platform = options.platform ?? hostPlatform();
  const logger = (options.logger ?? createAgentLogger()).child({ nodeId: config.node_id });
  const endpoint = parseServerUrl(config.server_url);
  const trustedCa = loadTrustedCa(config.ca);
  const pathGuard = createPathGuard({ allowedPaths: config.allowed_paths, platform });
  const backoff = createBackoff(options.backoff);
  const helloTimeoutMs = options.helloTimeoutMs ?? 10_000;

  let state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  let socket: AgentSocket | undefined;
  let executor: Executor | undefined;
  let hello: HelloPayload | undefined;
  const refs = new PluginRefs();
  let health: AgentHealth | undefined;
  let startedAt = new Date();
  let retryTimer: NodeJS.Timeout | undefined;
  let epoch = 0;
  let registered = false;
  let finishing: Promise<void> | undefined;
  const ready = deferred<void>();
  const stopped = deferred<AgentStopReason>();
  ready.promise.catch(() => undefined);

  if (pathGuard.ignoredRoots.length > 0) {
    logger.warn(
      { ignored: pathGuard.ignoredRoots, platform },
      'allowed_paths entries for another OS are ignored here',
    );
  }
  const insecure = plainTextWarning(endpoint.origin);
  if (insecure) logger.warn(insecure);
  if (config.allowed_paths.length === 0) {
    logger.warn('allowed_paths is empty: every action param that is a path will be refused');
  }

  const scheduleReconnect = () => {
    if (state !== 'running' || retryTimer || !socket || socket.connected) return;
    const delayMs = backoff.next();
    logger.info({ delayMs, attempt: backoff.attempts }, `reconnecting in ${(delayMs / 1000).toFixed(1)} s`);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (state === 'running') socket?.connect();
    }, delayMs);
  };

  const register = async (current: AgentSocket, at: number, byRef = refs.usable(hello!)) => {
    let answer: unknown;
    try {
      const full = { ...hello!, health: health?.forHello() ?? [] };
      answer = await current.timeout(helloTimeoutMs).emitWithAck('hello', byRef ? refs.byRef(full) : full);
    } catch {
      if (at !== epoch || state !== 'running') return;
      logger.warn({ timeoutMs: helloTimeoutMs }, 'the server did not answer hello in time; reconnecting');
      current.disconnect();
      scheduleReconnect();
      return;
    }
    if (at !== epoch || state !== 'running') return;
    if (!isHelloAck(answer)) {
      logger.warn('the server answered hello with something that is not a hello ack; reconnecting');
      current.disconnect();
      scheduleReconnect();
      return;
    }
    const ack = answer;
    if (!ack.ok && byRef && ack.error.code === 'MANIFEST_UNKNOWN') {
      // The server has not seen these manifests yet: send them, on the same connection (not buffered
      // for the next one: that connection sends its own hello).
      if (current.connected) await register(current, at, false);
      return;
    }
    if (!ack.ok && byRef && ack.error.code === 'INVALID_BODY') {
      refs.refused();
      logger.info('the server does not take plugin manifests by ref (an older server): sending them in full');
      current.disconnect();
      scheduleReconnect();
      return;
    }
    if (ack.ok) {
      refs.learn(ack.pluginRefs);
      backoff.reset();
      logger.info(
        { serverVersion: ack.serverVersion, plugins: hello!.plugins.map((p) => p.name) },
        registered ? 're-registered with the server' : 'registered with the server',
      );
      registered = true;
      ready.resolve();
      return;
    }
    const code = String(ack.error.code);
    if (isFatalHelloCode(code)) {
      void finish(code, describeRefusal(code, ack.error.message, config.node_id), ack.error.details);
      return;
    }
    logger.warn(
      { code, details: ack.error.details },
      code === 'NODE_ID_IN_USE'
        ? describeRefusal(code, undefined, config.node_id)
        : `the server refused hello: ${ack.error.message}; reconnecting`,
    );
    current.disconnect();
    scheduleReconnect();
  };

  const wire = (current: AgentSocket) => {
    current.on('connect', () => {
      epoch += 1;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      logger.info({ server: `${endpoint.origin}${endpoint.path}` }, 'connected; sending hello');
      void register(current, epoch);
    });
    current.on('connect_error', (error: Error & { data?: unknown }) => {
      if (state !== 'running') return;
      const data = (typeof error.data === 'object' && error.data !== null ? error.data : {}) as {
        code?: unknown;
        message?: unknown;
      };
      const code = typeof data.code === 'string' ? data.code : undefined;
      if (isFatalHandshakeCode(code)) {
        const said = typeof data.message === 'string' ? data.message : error.message;
        void finish(code, describeRefusal(code, said, config.node_id));
        return;
      }
      const tls = describeTlsFailure(error, config.ca);
      if (tls) logger.error({ code: tls.code, reason: tls.reason }, tls.message);
      else if (code === 'NODE_ID_IN_USE')
        logger.warn({ code }, describeRefusal(code, undefined, config.node_id));
      else logger.warn({ code, reason: error.message }, 'could not connect to the server');
      scheduleReconnect();
    });
    current.on('disconnect', (reason) => {
      executor?.cancelAll('the connection to the server was lost');
      if (state !== 'running') return;
      logger.warn({ reason }, 'disconnected from the server');
      scheduleReconnect();
    });
    current.on('exec', (request, ack) => {
      // An exec nobody waits for is a broken or hostile server: never run it.
      if (typeof ack !== 'function') {
        logger.warn(
          { jobId: (request as { jobId?: unknown } | null)?.jobId },
          'ignored an exec sent without an ack',
        );
        return;
      }
      const at = epoch;
      executor?.handle(request, (response: unknown) => {
        // The server already failed jobs of a dropped connection; never ack them on a new one.
        if (at === epoch && current.connected && typeof ack === 'function')
          ack(response as Parameters<typeof ack>[0]);
        else
          logger.debug(
            { jobId: (request as { jobId?: unknown } | null)?.jobId },
            'dropped the ack of a job from an earlier connection',
          );
      });
    });
    current.on('job:cancel', (request) => {
      const jobId = (request as { jobId?: unknown } | null)?.jobId;
      if (executor?.cancel(jobId, 'the job was cancelled by the server'))
        logger.info({ jobId }, 'job cancelled by the server');
    });
    current.on('session:revoked', (notice) => {
      const { code, reason } = (notice ?? {}) as { code?: unknown; reason?: unknown };
      const refusal = typeof code === 'string' ? code : 'AUTH_INVALID';
      const said = typeof reason === 'string' ? reason : undefined;
      void finish(
        refusal,
        refusal === 'AUTH_INVALID'
          ? `the server revoked this agent's token while it was connected${said ? ` (server said: ${said})` : ''}: ask whoever runs the server for a new agent token, then run \`openclaw agent init --force\` with it`
          : describeRefusal(refusal, said, config.node_id),
      );
    });
    current.on('session:replaced', (notice) => {
      const reason = (notice as { reason?: unknown } | null)?.reason;
      void finish(
        'NODE_REPLACED',
        describeRefusal('NODE_REPLACED', typeof reason === 'string' ? reason : undefined, config.node_id),
      );
    });
  };

  const boot = async () => {
    const catalog = await loadPluginCatalog({
      entries: config.plugins,
      sources: createPluginSources({
        registry: options.registry ?? builtinPlugins,
        pluginDirs: config.plugin_dirs,
      }),
      platform,
      logger,
    });
    for (const warning of findUnusedPluginConfig(catalog, config.plugin_config)) logger.warn(warning);
    const pluginConfig = checkPluginConfigs(catalog, config.plugin_config);
    for (const warning of pluginConfig.warnings) logger.warn(warning);
    if (state !== 'running') return;
    executor = createExecutor({
      catalog,
      pathGuard,
      pluginConfig: pluginConfig.sections,
      platform,
      logger,
      emitProgress: (event) => {
        if (socket?.connected) socket.emit('job:progress', event);
      },
      // Fire-and-forget: a server that predates these events ignores them.
      emitAccepted: (event) => {
        if (socket?.connected) socket.emit('job:accepted', event);
      },
      emitStarted: (event) => {
        if (socket?.connected) socket.emit('job:started', event);
      },
      limits: { maxConcurrentJobs: config.max_concurrent_jobs, maxQueuedJobs: config.max_queued_jobs },
      ...(options.createRuntime ? { createRuntime: options.createRuntime } : {}),
    });
    health = createAgentHealth({
      catalog,
      config: { ...config, plugin_config: pluginConfig.sections },
      platform,
      logger,
      createRuntime: options.createRuntime ?? createProcessRuntime,
      ...(options.health ? { settings: options.health } : {}),
      emit: (event) => {
        if (!socket?.connected) return false;
        socket.emit('node:health', event);
        return true;
      },
    });
    health.monitor.start();
    hello = {
      nodeId: config.node_id,
      hostname: os.hostname(),
      platform,
      arch: process.arch,
      agentVersion: OPENCLAW_VERSION,
      tags: [...config.tags],
      plugins: catalog.manifests,
      skipped: catalog.skipped.map(({ name, reason, code }) => ({ name, reason, ...(code ? { code } : {}) })),
      startedAt: startedAt.toISOString(),
      os: `${os.type()} ${os.release()}`,
      limits: executor.limits,
      allowed_paths: [...pathGuard.roots],
    };
    const auth: HandshakeAuth = {
      token: config.auth_token,
      nodeId: config.node_id,
      protocol: PROTOCOL_VERSION,
    };
    socket = io(`${endpoint.origin}${AGENT_NAMESPACE}`, {
      path: endpoint.path,
      transports: ['websocket'],
      auth,
      autoConnect: false,
      forceNew: true,
      ...(trustedCa ? { ca: trustedCa } : {}),
      // Reconnection is ours: the built-in one does not retry refusals, and ours also covers hello failures.
      reconnection: false,
    });
    wire(socket);
    // The first hello carries what the checks found so far; the rest follows as node:health.
    await health.monitor.settled(health.helloWaitMs);
    if (state !== 'running') return;
    logger.info({ server: `${endpoint.origin}${endpoint.path}`, platform }, 'connecting');
    socket.connect();
  };

  const finish = (code: string | null, message: string, details?: Record<string, unknown>): Promise<void> => {
    finishing ??= (async () => {
      state = 'stopping';
      clearTimeout(retryTimer);
      retryTimer = undefined;
      health?.stop();
      executor?.cancelAll(code === null ? 'the agent is stopping' : `the agent is stopping: ${message}`);
      // Let the CANCELLED acks of running jobs go out before the socket closes.
      await new Promise((resolve) => setImmediate(resolve));
      socket?.disconnect();
      state = 'stopped';
      if (code === null) logger.info('agent stopped');
      else logger.error({ code, details }, `agent gave up: ${message}`);
      if (!registered) {
        ready.reject(
          new OpenClawError(
            code ?? 'CANCELLED',
            code === null ? 'the agent was stopped before it registered with the server' : message,
            details ? { details } : {},
          ),
        );
      }
      stopped.resolve({ code, message });
    })();
    return finishing;
  };

  return {
    start() {
      if (state !== 'idle') return;
      state = 'running';
      startedAt = new Date();
      boot().catch((error: unknown) => {
        void finish('INTERNAL_ERROR', `the agent could not start: ${(error as Error).message}`);
      });
    },
    ready: ready.promise,
    stopped: stopped.promise,
    stop: () => finish(null, 'the agent was stopped'),
  };
}

function isHelloAck(value: unknown): value is HelloAck {
  if (typeof value !== 'object' || value === null) return false;
  const ack = value as Record<string, unknown>;
  return ack.ok === true || (ack.ok === false && isErrorPayload(ack.error));
}

function hostPlatform(): Platform {
  const platform = toPlatform(process.platform);
  if (platform) return platform;
  throw new OpenClawError(
    'PLATFORM_UNSUPPORTED',
    `the agent runs on Windows, macOS and Linux, not ${process.platform}`,
  );
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
