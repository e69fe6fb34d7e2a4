// `@openclaw-node/plugin-sdk/lint`: load a plugin package as the agent does and check it against the
// conventions (`openclaw plugin validate`, a plugin's own tests).
export { lintPlugin, lintPluginDefinition } from './lint-plugin.js';
export { formatLintMessages, type FormatLintOptions } from './format.js';
export { countLintMessages, type LintLevel, type LintMessage, type LintRule } from './lint-message.js';
export {
  resolvePluginEntry,
  importPluginModule,
  PluginLoadProblem,
  type PluginEntry,
} from './load-plugin-module.js';
