// The public API of @openclaw-node/plugin-sdk, by name: what a plugin's code needs. The test harness
// is `@openclaw-node/plugin-sdk/testing`; loading and linting a plugin package (the CLI's
// `plugin validate`, the agent's loader) is `@openclaw-node/plugin-sdk/lint`.
export {
  OpenClawError,
  isOpenClawError,
  ERROR_CODES,
  backoffDelay,
  type BackoffDelayOptions,
  type ErrorCode,
  type Platform,
} from '@openclaw-node/core';
export type {
  ActionContext,
  ActionLogger,
  LaunchOptions,
  LaunchResult,
  RunOptions,
  RunResult,
  WhichResult,
  WhichSpec,
} from './context.js';
export {
  checkPluginConfig,
  defineAction,
  definePlugin,
  isPluginDefinition,
  type ActionDefinition,
  type AnyActionDefinition,
  type ParamsOf,
  type PluginDefinition,
  type PluginInput,
  type UntypedConfig,
} from './define.js';
export {
  defineConfig,
  configError,
  parseConfig,
  type ConfigOf,
  type PluginConfigHooks,
  type PluginConfigSpec,
} from './config.js';
export { toManifest } from './manifest.js';
export { requireApp } from './errors.js';
export { SDK_VERSION } from './version.js';
