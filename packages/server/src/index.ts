export { createServer, type OpenClawServer } from './server.js';
export type { ServerOptions } from './options.js';
export { loadTokensFromEnv, loadTokensFile, parseTokensFile, TOKEN_HELP } from './tokens.js';
export type { TokenEntry } from './auth/token-auth-provider.js';
export { createTokenAuthProvider } from './auth/token-auth-provider.js';
export { ROLES, hasRole, type AuthProvider, type Principal, type Role } from './auth/auth-provider.js';
export {
  PluginCatalog,
  hashManifest,
  type ParamsCompiler,
  type PluginCatalogOptions,
} from './plugin-catalog.js';
export {
  NodeRegistry,
  type AgentConnection,
  type AdvertisedPlugin,
  type NodeSession,
} from './node-registry.js';
