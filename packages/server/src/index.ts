export { createServer, type OpenClawServer } from './server.js';
export type { RetentionSettings, ServerOptions } from './options.js';
export { DATA_DIR_NAME, defaultDataDir, type DataDirContext } from './data-dir.js';
export {
  JOBS_FILE_NAME,
  JOB_STATES,
  JOB_STORE_KINDS,
  MemoryJobStore,
  SQLITE_FIX,
  SqliteJobStore,
  isTerminal,
  openJobStore,
  type JobEvent,
  type JobFilter,
  type JobRecord,
  type JobState,
  type JobStore,
  type JobStoreKind,
  type NewJob,
} from './jobs/index.js';
export { loadTokensFromEnv, loadTokensFile, parseTokensFile, TOKEN_HELP } from './security/auth/tokens.js';
export type { TokenEntry } from './security/auth/token-auth-provider.js';
export { createTokenAuthProvider } from './security/auth/token-auth-provider.js';
export {
  ROLES,
  hasRole,
  type AuthProvider,
  type Principal,
  type Role,
} from './security/auth/auth-provider.js';
export {
  PluginCatalog,
  hashManifest,
  type ParamsCompiler,
  type PluginCatalogOptions,
} from './nodes/plugin-catalog.js';
export {
  NodeRegistry,
  type AgentConnection,
  type AdvertisedPlugin,
  type NodeSession,
} from './nodes/node-registry.js';
export type { Availability } from './nodes/health/availability.js';
export { loadEnvTokens, mergeTokenEntries } from './security/auth/tokens.js';
export {
  MIN_TOKEN_LENGTH,
  RECOMMENDED_TOKEN_LENGTH,
  FULL_ACCESS_ROLES,
  isFullAccess,
} from './security/auth/token-entry.js';
export { sha256Hex } from './security/auth/token-auth-provider.js';
export { TokenStore, type TokenReload, type TokenStoreOptions } from './security/auth/token-store.js';
export { tokenWarnings } from './security/auth/token-warnings.js';
export {
  createToken,
  generateToken,
  tokenEntryYaml,
  type NewToken,
  type NewTokenRequest,
} from './security/auth/token-generator.js';
export { matchGlob, matchesAny, isValidGlob } from './security/auth/globs.js';
export {
  assertCanConnectAs,
  assertCanExec,
  assertCanSeeNode,
  assertRestAccess,
  canExec,
  canSeeNode,
  canUseRest,
  isNodeScoped,
} from './security/auth/permissions.js';
export { createJwtAuthProvider, looksLikeJwt } from './security/auth/jwt-auth-provider.js';
export { jwtOptionsFromEnv, DEFAULT_SCOPE_MAP, type JwtAuthOptions } from './security/auth/jwt-options.js';
export { createCompositeAuthProvider, type ProviderSlot } from './security/auth/composite-auth-provider.js';
export { DEFAULT_LIMITS, type SecurityLimits, type SecurityOptions } from './security/security-options.js';
export { parseTrustProxy, securityOptionsFromEnv } from './security/security-env.js';
export {
  createMemoryFailureCounter,
  createMemoryRateLimiter,
  type FailureCounter,
  type RateDecision,
  type RateLimiter,
} from './security/rate-limit.js';
export { clientAddress, type TrustProxy } from './security/client-address.js';
export {
  createAuditLog,
  type AuditLog,
  type AuditRecord,
  type AuditEventName,
} from './security/audit/audit-log.js';
export { paramsDigest } from './security/audit/params-digest.js';
export type { TlsOptions } from './http/tls/tls-options.js';
export { loadTls, type LoadedTls } from './http/tls/load-tls.js';
export {
  CLUSTER_ADAPTERS,
  redactRedisUrl,
  resolveClusterSettings,
  type ClusterAdapterKind,
  type ClusterSettings,
} from './cluster/cluster-settings.js';
export type { MetricsOptions } from './metrics/server-metrics-setup.js';
export { parseMetricsListen, type MetricsListen } from './metrics/metrics-listener.js';
