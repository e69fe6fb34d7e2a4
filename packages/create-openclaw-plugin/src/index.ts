export { run, type RunIO } from './run.js';
export { resolveAnswers, type PluginAnswers, DEFAULT_ACTION, DEFAULT_PARAMS } from './answers.js';
export { isEmptyDir } from './empty-dir.js';
export { scaffoldPlugin, type ScaffoldResult } from './scaffold.js';
export { parseCliArgs, HELP, type CliFlags } from './cli-args.js';
export { createClackPrompter, type Prompter } from './prompter.js';
export { ScaffoldError, isScaffoldError } from './errors.js';
export {
  PLATFORMS,
  PLUGIN_NAME_PATTERN,
  ACTION_NAME_PATTERN,
  derivePluginName,
  parsePlatforms,
  unscopedName,
  validateActionName,
  validatePackageName,
  validatePluginName,
  validateSdkRange,
  type Platform,
} from './names.js';
export {
  PARAM_TYPES,
  looksLikePath,
  parseParamSpec,
  parseParamSpecs,
  formatParamSpec,
  type ParamSpec,
  type ParamType,
} from './param-spec.js';
export { SDK_PACKAGE_VERSION, DEFAULT_SDK_RANGE } from './sdk-version.js';
export { findTemplateDir } from './template-dir.js';
