export {
  OpenClawError,
  isOpenClawError,
  ERROR_CODES,
  backoffDelay,
  type BackoffDelayOptions,
  type ErrorCode,
  type Platform,
} from '@openclaw-node/core';
export type * from './context.js';
export * from './define.js';
export {
  defineConfig,
  configError,
  parseConfig,
  type ConfigOf,
  type PluginConfigHooks,
  type PluginConfigSpec,
} from './config.js';
export * from './manifest.js';
export * from './errors.js';
export * from './version.js';
export * from './lint/index.js';
