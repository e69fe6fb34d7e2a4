import path from 'node:path';
import type { CliFlags } from './cli-args.js';
import { ScaffoldError } from './errors.js';
import {
  PLATFORMS,
  derivePluginName,
  parsePlatforms,
  unscopedName,
  validateActionName,
  validatePackageName,
  validatePluginName,
  validateSdkRange,
  type Platform,
} from './names.js';
import { looksLikePath, parseParamSpecs, type ParamSpec } from './param-spec.js';
import type { Prompter } from './prompter.js';
import { DEFAULT_SDK_RANGE } from './sdk-version.js';
import { isEmptyDir } from './empty-dir.js';

/** Everything needed to write a plugin package. */
export interface PluginAnswers {
  packageName: string;
  pluginName: string;
  description: string;
  platforms: Platform[];
  /** The first action's name (a `ping` is always added). */
  action: string;
  params: ParamSpec[];
  /** The executable the first action runs, looked up with ctx.which. */
  app: string;
  /** Dependency range on @openclaw-node/plugin-sdk. */
  sdkVersion: string;
  /** Absolute directory to write into. */
  targetDir: string;
  force: boolean;
}

export const DEFAULT_ACTION = 'run';
export const DEFAULT_PARAMS = 'input:path';

/** Merge flags, answers to prompts (when a prompter is given) and defaults into checked answers. */
export async function resolveAnswers(
  flags: CliFlags,
  options: { cwd: string; prompter?: Prompter | undefined },
): Promise<PluginAnswers> {
  const { prompter, cwd } = options;
  const ask = async (
    question: Parameters<Prompter['text']>[0],
    check: (value: string) => unknown,
  ): Promise<string> =>
    prompter!.text({
      ...question,
      validate: (value) => messageOf(() => check(value || question.defaultValue || '')),
    });

  let packageName = flags.name;
  if (packageName === undefined) {
    if (!prompter)
      throw new ScaffoldError(
        'name',
        'a package name is required, e.g. npx create-openclaw-plugin openclaw-plugin-houdini --yes',
      );
    packageName = await ask(
      {
        message: 'Package name',
        placeholder: 'openclaw-plugin-houdini',
        defaultValue: 'openclaw-plugin-example',
      },
      validatePackageName,
    );
    packageName ||= 'openclaw-plugin-example';
  }
  validatePackageName(packageName);
  const pluginName =
    flags.pluginName === undefined ? derivePluginName(packageName) : validatePluginName(flags.pluginName);

  const defaultDescription = `${pluginName} actions for OpenClaw Node`;
  let description = flags.description;
  if (description === undefined && prompter) {
    description = await ask(
      { message: 'Description', placeholder: defaultDescription, defaultValue: defaultDescription },
      validateDescription,
    );
  }
  description = validateDescription(description ?? defaultDescription);

  let platforms: Platform[] = [...PLATFORMS];
  if (flags.platforms !== undefined) platforms = parsePlatforms(flags.platforms);
  else if (prompter) {
    platforms = await prompter.multiselect({
      message: 'Platforms it supports',
      options: [
        { value: 'windows', label: 'Windows' },
        { value: 'darwin', label: 'macOS', hint: 'darwin' },
        { value: 'linux', label: 'Linux' },
      ],
      initialValues: [...PLATFORMS],
    });
  }

  let action = flags.action;
  if (action === undefined && prompter) {
    action = await ask(
      { message: 'First action', placeholder: DEFAULT_ACTION, defaultValue: DEFAULT_ACTION },
      (v) => validateActionName(v, 'action'),
    );
  }
  action = validateActionName(action || DEFAULT_ACTION, flags.action === undefined ? 'action' : '--action');

  let params: ParamSpec[];
  if (flags.params !== undefined) params = parseParams(flags.params, '--param');
  else if (prompter) {
    const answer = await ask(
      {
        message: `Params of ${action} (name:type, comma-separated; types string, path, integer, number, boolean; [] for a list; name?:type if optional; none)`,
        placeholder: DEFAULT_PARAMS,
        defaultValue: DEFAULT_PARAMS,
      },
      (v) => parseParams([v], 'params'),
    );
    params = parseParams([answer || DEFAULT_PARAMS], 'params');
  } else params = parseParams([DEFAULT_PARAMS], '--param');

  const app = flags.app === undefined ? pluginName : validateApp(flags.app);
  const sdkVersion = flags.sdkVersion === undefined ? DEFAULT_SDK_RANGE : validateSdkRange(flags.sdkVersion);
  const targetDir = path.resolve(cwd, flags.dir ?? unscopedName(packageName));

  let force = flags.force;
  if (!force && !(await isEmptyDir(targetDir))) {
    const shown = path.relative(cwd, targetDir) || '.';
    if (!prompter)
      throw new ScaffoldError(
        '--dir',
        `${shown} is not empty: choose another --dir, or pass --force to overwrite its files`,
      );
    force = await prompter.confirm({
      message: `${shown} is not empty. Overwrite the files the template writes?`,
      initialValue: false,
    });
    if (!force) throw new ScaffoldError('--dir', `${shown} is not empty: nothing was written`);
  }

  return {
    packageName,
    pluginName,
    description,
    platforms,
    action,
    params,
    app,
    sdkVersion,
    targetDir,
    force,
  };
}

/** Params that look like paths but are not typed `path`: worth a hint after scaffolding. */
export function pathLikeStringParams(params: readonly ParamSpec[]): string[] {
  return params.filter((p) => p.type === 'string' && looksLikePath(p.name)).map((p) => p.name);
}

function parseParams(texts: readonly string[], field: string): ParamSpec[] {
  if (texts.length === 1 && ['none', ''].includes(texts[0]!.trim())) return [];
  return parseParamSpecs(texts, field);
}

function validateDescription(value: string): string {
  const text = value.trim();
  if (text.length === 0 || text.length > 500 || /[\r\n]/.test(text)) {
    throw new ScaffoldError('--description', 'the description must be one line of 1-500 characters');
  }
  return text;
}

function validateApp(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/.test(value)) {
    throw new ScaffoldError(
      '--app',
      `"${value}" is not an executable name: give a bare name such as hython or ffmpeg (the plugin finds its path at run time)`,
    );
  }
  return value;
}

function messageOf(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
