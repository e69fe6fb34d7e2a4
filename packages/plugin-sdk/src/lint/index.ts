export { lintPlugin, lintPluginDefinition } from './lint-plugin.js';
export { formatLintMessages, type FormatLintOptions } from './format.js';
export { countLintMessages, type LintLevel, type LintMessage, type LintRule } from './lint-message.js';
export {
  resolvePluginEntry,
  importPluginModule,
  PluginLoadProblem,
  type PluginEntry,
} from './load-plugin-module.js';
export { looksLikePathName } from './schema-rules.js';
