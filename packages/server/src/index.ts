// The public API of @openclaw-node/server: what embedding the server and `openclaw server start`,
// `quickstart` and `token` need. Every name is listed in README.md's API section (a test checks).
// Tests inside this package import what else they need from the modules themselves.

// The server
export { createServer, type OpenClawServer } from './server.js';
export { tuneProcessForServer } from './memory/process-tuning.js';
export type { RetentionSettings, ServerOptions } from './options.js';
export { defaultDataDir, type DataDirContext } from './data-dir.js';

// Job history
export {
  JOBS_FILE_NAME,
  MemoryJobStore,
  RedisJobStore,
  SqliteJobStore,
  openJobStore,
  type JobEvent,
  type JobFilter,
  type JobRecord,
  type JobState,
  type JobStore,
  type JobStoreKind,
  type JobStoreOptions,
  type NewJob,
  type OpenJobStoreOptions,
  type RedisJobStoreOptions,
  type SqliteJobStoreOptions,
  type StoreWriteObserver,
  type StoreWriteOp,
} from './jobs/index.js';

// Tokens and authentication
export { TOKEN_HELP, loadTokensFromEnv, parseTokensFile } from './security/auth/tokens.js';
export { createTokenAuthProvider, sha256Hex, type TokenEntry } from './security/auth/token-auth-provider.js';
export { MIN_TOKEN_LENGTH } from './security/auth/token-entry.js';
export { createToken, type NewToken, type NewTokenRequest } from './security/auth/token-generator.js';
export type { AuthProvider, Principal, Role } from './security/auth/auth-provider.js';
export type { JwtAuthOptions } from './security/auth/jwt-options.js';

// Security, TLS, scale-out and metrics settings
export type { SecurityLimits, SecurityOptions } from './security/security-options.js';
export { parseTrustProxy, securityOptionsFromEnv } from './security/security-env.js';
export type { TrustProxy } from './security/client-address.js';
export type { TlsOptions } from './http/tls/tls-options.js';
export {
  redactRedisUrl,
  resolveClusterSettings,
  type ClusterAdapterKind,
  type ClusterSettings,
} from './cluster/cluster-settings.js';
export type { MetricsOptions } from './metrics/server-metrics-setup.js';
export { parseMetricsListen, type MetricsListen } from './metrics/metrics-listener.js';
