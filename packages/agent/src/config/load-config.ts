import path from 'node:path';
import { cosmiconfig, type CosmiconfigResult } from 'cosmiconfig';
import { parse as parseYaml } from 'yaml';
import { OpenClawError } from '@openclaw-node/core';
import type { AgentConfig } from './agent-config.js';
import { CONFIG_DIR_NAME, CONFIG_FILE_NAMES, defaultConfigPath } from './default-path.js';
import { resolveAgentConfig } from './resolve-config.js';

export interface LoadAgentConfigOptions {
  /** An explicit file (`--config`); no search happens when it is given. */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Chooses the per-OS default location. */
  platform?: NodeJS.Platform;
  /** Where to look for node_config.yaml first. */
  cwd?: string;
  /** Receives warnings (unknown keys); defaults to process.emitWarning. */
  onWarning?: (message: string) => void;
}

// The `yaml` package reports line and column, and parses YAML 1.2 (no `no` → false surprises). A file
// of comments parses as null; undefined makes cosmiconfig report it as empty rather than missing.
const loadYaml = (_filepath: string, content: string): unknown => parseYaml(content) ?? undefined;

/**
 * Find, read and validate node_config.yaml: `configPath`, else the working directory, else the
 * per-OS default. Throws CONFIG_INVALID with `details.field` and `details.file`.
 * @example const { config, filepath } = await loadAgentConfig({ configPath: 'node_config.yaml' })
 */
export async function loadAgentConfig(
  options: LoadAgentConfigOptions = {},
): Promise<{ config: AgentConfig; filepath: string | null }> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explorer = cosmiconfig(CONFIG_DIR_NAME, {
    searchPlaces: [...CONFIG_FILE_NAMES],
    searchStrategy: 'none',
    cache: false,
    // An empty node_config.yaml in the working directory is a mistake to report, not a file to skip.
    ignoreEmptySearchPlaces: false,
    loaders: { '.yaml': loadYaml, '.yml': loadYaml, noExt: loadYaml },
  });
  const defaultPath = defaultConfigPath(options.platform, env);
  let result: CosmiconfigResult;
  if (options.configPath !== undefined) {
    result = await read(
      () => explorer.load(path.resolve(cwd, options.configPath!)),
      path.resolve(cwd, options.configPath),
    );
  } else {
    result = await read(() => explorer.search(cwd), cwd);
    if (result === null) result = await read(() => explorer.load(defaultPath), defaultPath, true);
  }
  if (result === null) {
    const looked = [...CONFIG_FILE_NAMES.map((name) => path.join(cwd, name)), defaultPath];
    throw new OpenClawError(
      'CONFIG_INVALID',
      `no node_config.yaml found (looked in ${looked.join(', ')}): create one there or pass --config <file>`,
      { details: { field: null, file: null, searched: looked } },
    );
  }
  const source = result.filepath;
  if (result.isEmpty || result.config === undefined || result.config === null) {
    throw new OpenClawError(
      'CONFIG_INVALID',
      `${source}: the file is empty: it needs at least server_url and auth_token, e.g. server_url: ws://pipeline-server:8765/ws`,
      { details: { field: null, file: source } },
    );
  }
  const config = resolveAgentConfig(result.config, {
    env,
    source,
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
  return { config, filepath: source };
}

async function read(
  load: () => Promise<CosmiconfigResult>,
  file: string,
  missingIsNull = false,
): Promise<CosmiconfigResult> {
  try {
    return await load();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (missingIsNull && (code === 'ENOENT' || code === 'ENOTDIR')) return null;
    const reason =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot be read (permission denied)'
          : code === 'EISDIR'
            ? 'is a directory, not a file'
            : `could not be parsed: ${(error as Error).message.split('\n')[0]}`;
    const filepath = (error as { filepath?: string }).filepath ?? file;
    throw new OpenClawError('CONFIG_INVALID', `${filepath} ${reason}`, {
      details: { field: null, file: filepath },
      cause: error,
    });
  }
}
