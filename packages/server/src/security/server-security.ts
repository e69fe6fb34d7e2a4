import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Logger } from 'pino';
import { createAuditLog, type AuditLog } from './audit/audit-log.js';
import type { JobAnnouncement } from '../jobs/pending-jobs.js';
import type { AuthProvider } from './auth/auth-provider.js';
import { createCompositeAuthProvider, type ProviderSlot } from './auth/composite-auth-provider.js';
import type { FileWatch } from './auth/file-watch.js';
import { createJwtAuthProvider, looksLikeJwt } from './auth/jwt-auth-provider.js';
import type { TokenEntry } from './auth/token-entry.js';
import { TokenStore } from './auth/token-store.js';
import { tokenWarnings } from './auth/token-warnings.js';
import type { AgentSocket } from '../gateway/types.js';
import { loadTls, type LoadedTls } from '../http/tls/load-tls.js';
import { logCertificate, watchTls } from '../http/tls/tls-reloader.js';
import { createAgentGuard, type AgentGuard } from './agent-guard.js';
import { createAuthGuard } from './auth-guard.js';
import type { ExecGuardOptions } from './guarded-dispatcher.js';
import {
  createMemoryFailureCounter,
  createMemoryRateLimiter,
  type FailureCounter,
  type RateLimiter,
} from './rate-limit.js';
import type { RestSecurity } from './rest-auth.js';
import {
  resolveLimits,
  resolveTrustProxy,
  type SecurityLimits,
  type SecurityOptions,
} from './security-options.js';

/** Everything the server wires in for security, built from its options. */
export interface ServerSecurity {
  auth: AuthProvider;
  /** The live token list, when tokens or a tokens file are configured. */
  tokens: TokenStore | undefined;
  audit: AuditLog;
  limits: SecurityLimits;
  tls: LoadedTls | undefined;
  rest: RestSecurity;
  agents: AgentGuard;
  exec: ExecGuardOptions;
  /** Start watching the tokens file and the certificate files. */
  start(server: HttpServer | HttpsServer): void;
  close(): Promise<void>;
}

export interface ServerSecurityInput extends SecurityOptions {
  tokens: readonly TokenEntry[];
  /** A custom provider that replaces the token list (the JWT provider, if any, is still asked after it). */
  auth?: AuthProvider;
  /** Whether an agent connection was given a job (progress for other jobs is dropped). */
  ownsJob?: (socket: AgentSocket, jobId: string) => boolean;
  /** The `job:accepted` / `job:started` a connection was asked for (spared its event budget). */
  takeAnnouncement?: (socket: AgentSocket, jobId: string, kind: JobAnnouncement) => boolean;
  /** Scale-out mode: the failed-authentication and exec rate limits shared by every process. */
  sharedLimits?: (limits: SecurityLimits) => { failures: FailureCounter; execLimiter: RateLimiter };
}

/**
 * Build the security of one server: token store (env tokens + watched file), JWT provider, audit log,
 * failed-auth and exec limiters, agent guard, TLS material. Throws CONFIG_INVALID for bad settings.
 */
export function createServerSecurity(input: ServerSecurityInput, logger: Logger): ServerSecurity {
  const limits = resolveLimits(input.limits);
  const trustProxy = resolveTrustProxy(input.trustProxy);
  const tls = input.tls ? loadTls(input.tls) : undefined;
  const audit = createAuditLog({ ...(input.auditLog ? { file: input.auditLog } : {}), logger });
  const tokens =
    !input.auth && (input.tokens.length > 0 || input.tokensFile)
      ? new TokenStore({
          tokens: input.tokens,
          ...(input.tokensFile ? { file: input.tokensFile } : {}),
          logger,
          ...(input.tokensFileWatch ? { watch: input.tokensFileWatch } : {}),
        })
      : undefined;
  const slots: ProviderSlot[] = [];
  if (input.auth) slots.push({ provider: input.auth });
  else if (tokens) slots.push({ provider: tokens });
  if (input.jwt) slots.push({ provider: createJwtAuthProvider(input.jwt, logger), accepts: looksLikeJwt });
  const auth = slots.length === 1 ? slots[0]!.provider : createCompositeAuthProvider(slots);

  const shared = input.sharedLimits?.(limits);
  const authGuard = createAuthGuard({
    failures:
      shared?.failures ??
      createMemoryFailureCounter({ limit: limits.authFailuresPerMinute, windowMs: 60_000 }),
    audit,
    logger,
  });
  const agents = createAgentGuard({
    auth: authGuard,
    audit,
    logger,
    trustProxy,
    ...(tokens ? { tokens } : {}),
    ...(input.ownsJob ? { ownsJob: input.ownsJob } : {}),
    ...(input.takeAnnouncement ? { takeAnnouncement: input.takeAnnouncement } : {}),
    agentEventsPerSecond: limits.agentEventsPerSecond,
    agentEventBurst: limits.agentEventBurst,
    progressEventsPerSecond: limits.progressEventsPerSecond,
    progressBurst: limits.progressBurst,
    agentFloodDisconnect: limits.agentFloodDisconnect,
    maxProgressBytesPerJob: limits.maxProgressBytesPerJob,
  });
  const exec: ExecGuardOptions = {
    audit,
    execLimiter:
      shared?.execLimiter ??
      createMemoryRateLimiter({ perMinute: limits.execRatePerMinute, burst: limits.execBurst }),
    maxParamsDepth: limits.maxParamsDepth,
  };

  const warnTokens = (): void => {
    for (const warning of tokenWarnings(tokens?.entries ?? [])) logger.warn(warning);
  };
  tokens?.onReload((reload) => {
    audit.record({
      event: 'token.reload',
      outcome: reload.ok ? (reload.changed ? 'success' : 'unchanged') : reload.error.code,
      ...(reload.ok
        ? { tokens: reload.count, added: reload.added, removed: reload.removed }
        : { reason: reload.error.message }),
      ...(tokens.file ? { file: tokens.file } : {}),
    });
    if (!reload.ok || !reload.changed) return;
    warnTokens();
    agents.recheck().then(
      (dropped) =>
        dropped > 0 && logger.warn({ dropped }, 'agents whose token was revoked were disconnected'),
      (error: unknown) =>
        logger.error({ err: error }, 'cannot re-check connected agents after a tokens reload'),
    );
  });

  let tlsWatch: FileWatch | undefined;
  return {
    auth,
    tokens,
    audit,
    limits,
    tls,
    rest: { guard: authGuard, audit, trustProxy },
    agents,
    exec,
    start(server) {
      warnTokens();
      if (input.jwt)
        logger.info({ issuer: input.jwt.issuer, audience: input.jwt.audience }, 'JWT bearer auth enabled');
      if (!audit.enabled)
        logger.info('the audit log is off: set auditLog (--audit-log, OPENCLAW_AUDIT_LOG) to keep one');
      tokens?.watch();
      if (tls && input.tls) {
        logCertificate(tls, logger, 'serving HTTPS and WSS');
        if (tls.files.length > 0)
          tlsWatch = watchTls(server as HttpsServer, input.tls, tls.files, logger, input.tokensFileWatch);
      }
    },
    async close() {
      tokens?.close();
      tlsWatch?.close();
      agents.close();
      await audit.close();
    },
  };
}
