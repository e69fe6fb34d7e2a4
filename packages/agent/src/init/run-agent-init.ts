import { access } from 'node:fs/promises';
import path from 'node:path';
import {
  docsUrl,
  nearestName,
  OPENCLAW_VERSION,
  OpenClawError,
  shellQuote,
  toPlatform,
  type Platform,
} from '@openclaw-node/core';
import type { PluginDefinition } from '@openclaw-node/plugin-sdk';
import { builtinPlugins } from '@openclaw-node/plugins';
import { defaultConfigPath } from '../config/default-path.js';
import { resolveAgentConfig } from '../config/resolve-config.js';
import { detectPluginApps, type PluginAppStatus } from '../doctor/detect-apps.js';
import type { RuntimeFactory } from '../executor/action-context.js';
import { readExistingConfig, renderConfig, type ExistingConfig } from './config-document.js';
import { runInitWizard } from './init-wizard.js';
import {
  checkAllowedPathList,
  defaultNodeId,
  normalizeServerAddress,
  type InitValues,
} from './init-values.js';
import type { InitPrompter } from './prompter.js';
import { connectionError, verifyConnection, type ConnectionCheck } from './verify-connection.js';
import { writeConfigFile } from './write-config-file.js';

export interface AgentInitOptions {
  /** The file to write; relative to `cwd`. Default: the per-OS node_config.yaml. */
  configPath?: string;
  cwd?: string;
  /** `${VAR}` in the token is read from here for the connection test; also picks the default path. */
  env?: NodeJS.ProcessEnv;
  platform?: Platform;
  /** Supplies the default node id. Default os.hostname(). */
  hostname?: string;
  /** Values given as flags: asked for neither in the wizard nor taken from the existing file. */
  nodeId?: string;
  server?: string;
  token?: string;
  plugins?: readonly string[];
  allowedPaths?: readonly string[];
  /** Ask the questions through this prompter; without one, run non-interactively from flags and defaults. */
  prompter?: InitPrompter;
  /** Non-interactive: replace an existing file. (The wizard asks instead.) */
  force?: boolean;
  /** Non-interactive: write allowed paths that do not exist here (yet). (The wizard asks instead.) */
  keepMissingPaths?: boolean;
  /** Test the server and the token before writing. Default true. */
  verify?: boolean;
  /** Deadline of the connection test. Default 5 s. */
  timeoutMs?: number;
  /** Deadline of each plugin's ping while looking for applications. Default 20 s. */
  pingTimeoutMs?: number;
  /** Plugins by name; defaults to the built-ins. */
  registry?: Record<string, PluginDefinition>;
  createRuntime?: RuntimeFactory;
}

/** What init wrote and found. */
export interface AgentInitResult {
  file: string;
  /** True for a new file, false when an existing one was updated. */
  created: boolean;
  values: InitValues;
  /** The connection test that passed; null with verify: false or when the user saved anyway. */
  connection: ConnectionCheck | null;
  /** Each plugin's application, when they were looked for. */
  apps: PluginAppStatus[] | null;
  /** Worth telling the user: unknown plugins, apps not found, allowed paths missing here. */
  warnings: string[];
}

const NODE_PLATFORM: Record<Platform, NodeJS.Platform> = {
  linux: 'linux',
  darwin: 'darwin',
  windows: 'win32',
};
const KEYS = ['node_id', 'server_url', 'auth_token', 'plugins', 'allowed_paths'] as const;

/**
 * `openclaw agent init`: write node_config.yaml from flags, the existing file and what this machine
 * has, with the wizard when a prompter is given. The server and the token are tested before anything
 * is written; the file is written with mode 0600, keeping the comments and other settings of an
 * existing one. Throws CONFIG_EXISTS, CONFIG_INVALID, CANCELLED or the connection test's code.
 * @example await runAgentInit({ server: 'ws://pipeline:8765/ws', token: 's3cret', plugins: ['rv'], allowedPaths: ['/mnt/projects'] })
 */
export async function runAgentInit(options: AgentInitOptions = {}): Promise<AgentInitResult> {
  const env = options.env ?? process.env;
  const platform = options.platform ?? toPlatform(process.platform) ?? 'linux';
  const cwd = options.cwd ?? process.cwd();
  const file =
    options.configPath !== undefined
      ? path.resolve(cwd, options.configPath)
      : defaultConfigPath(NODE_PLATFORM[platform], env);
  const registry = options.registry ?? builtinPlugins;
  let existing: ExistingConfig | null;
  let unreadable: OpenClawError | undefined;
  try {
    existing = await readExistingConfig(file);
  } catch (error) {
    // A broken file gives no defaults; it may still be replaced (--force, or a yes in the wizard).
    existing = null;
    unreadable = error as OpenClawError;
  }
  const exists = existing !== null || unreadable !== undefined;
  if (exists && !options.prompter && !options.force) {
    throw new OpenClawError(
      'CONFIG_EXISTS',
      `${file} already exists${unreadable ? ` and cannot be used (${unreadable.message})` : ''}: pass --force to update it (its comments and other settings are kept), or --config <file> to write another`,
      { details: { field: 'config', file, flag: '--force' } },
    );
  }

  const flags = flagValues(options);
  const raw = existing?.raw ?? {};
  const defaults: Partial<InitValues> = { ...fromExisting(raw) };
  const hostNodeId = defaultNodeId(options.hostname);
  if (defaults.node_id === undefined && hostNodeId !== undefined) defaults.node_id = hostNodeId;
  Object.assign(defaults, flags);
  const fixed = new Set(Object.keys(flags) as (keyof InitValues)[]);
  // `--plugins explorer,rvv`: a name one typo away from a built-in is that built-in, misspelt.
  const typos = pluginTypos(flags.plugins ?? [], Object.keys(registry));
  if (typos.length > 0) {
    if (!options.prompter) throw pluginTypoError(typos);
    for (const typo of typos) options.prompter.warn(`${typoText(typo)}: choose the plugins again.`);
    defaults.plugins = [...new Set(flags.plugins!.map((p) => typos.find((t) => t.typed === p)?.meant ?? p))];
    fixed.delete('plugins');
  }
  const pluginConfig = isRecord(raw.plugin_config)
    ? (raw.plugin_config as Record<string, Record<string, unknown>>)
    : {};
  const pluginDirs = stringList(raw.plugin_dirs);
  const candidates = [...new Set([...Object.keys(registry), ...(defaults.plugins ?? [])])];
  const detect = (plugins: readonly string[] = candidates) =>
    detectPluginApps({
      plugins,
      pluginDirs,
      pluginConfig,
      platform,
      registry,
      env,
      timeoutMs: options.pingTimeoutMs ?? 20_000,
      ...(options.createRuntime ? { createRuntime: options.createRuntime } : {}),
    });
  const verify =
    options.verify === false
      ? null
      : (values: Pick<InitValues, 'server_url' | 'auth_token' | 'node_id'>) =>
          verifyConnection({
            serverUrl: values.server_url,
            token: expandToken(values.auth_token, env),
            nodeId: values.node_id,
            ca: existingCa(raw, env),
            timeoutMs: options.timeoutMs ?? 5000,
          });

  let values: InitValues;
  let connection: ConnectionCheck | null = null;
  let apps: PluginAppStatus[] | null = null;
  if (options.prompter) {
    if (unreadable) options.prompter.warn(`${unreadable.message}; starting from scratch.`);
    const answers = await runInitWizard({
      prompter: options.prompter,
      platform,
      file,
      exists,
      defaults,
      fixed,
      hasToken: typeof raw.auth_token === 'string' && raw.auth_token !== '' && !fixed.has('auth_token'),
      pluginNames: Object.keys(registry),
      detection: detect(),
      verify,
      missingPaths: (paths) => missingPaths(paths, platform),
    });
    ({ values, connection, apps } = answers);
  } else {
    const server_url = required(defaults.server_url, 'server_url', '--server', file);
    const auth_token = required(defaults.auth_token, 'auth_token', '--token', file);
    const node_id = required(defaults.node_id, 'node_id', '--node-id', file);
    let plugins = defaults.plugins;
    if (plugins === undefined) {
      apps = await detect();
      plugins = apps.filter((app) => app.available === true).map((app) => app.entry);
    }
    values = { node_id, server_url, auth_token, plugins, allowed_paths: defaults.allowed_paths ?? [] };
    // Only what was typed now: an existing file's paths were the user's choice already.
    const missing = await missingPaths(flags.allowed_paths ?? [], platform);
    if (missing.length > 0 && !options.keepMissingPaths) {
      throw new OpenClawError(
        'CONFIG_INVALID',
        `allowed path ${missing.join(', ')} does not exist on this workstation: check the spelling, or pass --keep-missing-paths to write it anyway (a share mounted later)`,
        { details: { field: 'allowed_paths', flag: '--allowed-path', missing } },
      );
    }
  }

  // The file must be one the agent accepts: check it exactly as the agent will load it.
  const merged = { ...raw, ...values };
  resolveAgentConfig(merged, { env, source: file, onWarning: () => undefined });
  if (verify && !options.prompter) {
    connection = await verify(values);
    if (!connection.ok) throw connectionError(connection);
  }
  const header = ` OpenClaw Node agent configuration, written by \`openclaw agent init\` (${OPENCLAW_VERSION}).\n Every setting: ${docsUrl('agent.md#configuration-reference')}\n (or \`openclaw agent init --help\`); \${VAR} and \${VAR:-default} are read from the environment.`;
  await writeConfigFile(file, renderConfig(values, existing, header));
  const warnings = await collectWarnings(values, apps, detect, platform);
  if (options.prompter) {
    // The wizard already warned about missing folders as they were entered.
    for (const warning of warnings) if (!warning.startsWith('allowed path ')) options.prompter.warn(warning);
    options.prompter.outro(nextSteps(file, exists, options.configPath !== undefined));
  }
  return { file, created: !exists, values, connection, apps, warnings };
}

/** What to run after init, for the wizard's last line and the CLI. */
export function nextSteps(file: string, updated: boolean, explicitPath: boolean): string {
  const config = explicitPath ? ` --config ${shellQuote(file)}` : '';
  return [
    `${updated ? 'Updated' : 'Wrote'} ${file} (readable by you only).`,
    `Next: \`openclaw agent doctor${config}\` checks everything, \`openclaw agent install${config}\` starts the agent with your desktop session, or \`openclaw agent start${config}\` runs it in this terminal.`,
  ].join('\n');
}

interface PluginTypo {
  typed: string;
  meant: string;
}

/** Plugin names that are not built in but one typo away from one (`rvv` → `rv`). */
function pluginTypos(plugins: readonly string[], builtins: readonly string[]): PluginTypo[] {
  const typos: PluginTypo[] = [];
  for (const typed of plugins) {
    // Packages (@scope/name) and paths are never typos of a built-in name.
    if (builtins.includes(typed) || /[/\\@]/.test(typed)) continue;
    const meant = nearestName(typed, builtins);
    if (meant !== undefined) typos.push({ typed, meant });
  }
  return typos;
}

const typoText = (typo: PluginTypo) => `"${typo.typed}" is not a plugin: did you mean "${typo.meant}"?`;

function pluginTypoError(typos: readonly PluginTypo[]): OpenClawError {
  return new OpenClawError('CONFIG_INVALID', `plugins: ${typos.map(typoText).join(' ')}`, {
    details: {
      field: 'plugins',
      flag: '--plugins',
      suggestions: Object.fromEntries(typos.map((t) => [t.typed, t.meant])),
    },
  });
}

function flagValues(options: AgentInitOptions): Partial<InitValues> {
  const flags: Partial<InitValues> = {};
  if (options.nodeId !== undefined) flags.node_id = options.nodeId.trim();
  if (options.server !== undefined) flags.server_url = normalizeServerAddress(options.server);
  if (options.token !== undefined) {
    if (options.token.trim() === '') {
      throw new OpenClawError(
        'CONFIG_INVALID',
        'auth_token must not be empty: pass the token the server gave this node',
        {
          details: { field: 'auth_token', flag: '--token' },
        },
      );
    }
    flags.auth_token = options.token.trim();
  }
  if (options.plugins !== undefined)
    flags.plugins = [...new Set(options.plugins.map((p) => p.trim()).filter(Boolean))];
  if (options.allowedPaths !== undefined) {
    flags.allowed_paths = [...new Set(options.allowedPaths.map((p) => p.trim()).filter(Boolean))];
    checkAllowedPathList(flags.allowed_paths);
  }
  return flags;
}

/** The values an existing file already has, as written (a `${VAR}` token stays a reference). */
function fromExisting(raw: Record<string, unknown>): Partial<InitValues> {
  const out: Partial<InitValues> = {};
  for (const key of KEYS) {
    const value = raw[key];
    if (key === 'plugins' || key === 'allowed_paths') {
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) out[key] = [...value];
    } else if (typeof value === 'string' && value !== '') {
      out[key] = value;
    }
  }
  return out;
}

function required(value: string | undefined, field: string, flag: string, file: string): string {
  if (value !== undefined && value !== '') return value;
  throw new OpenClawError(
    'CONFIG_INVALID',
    `${field} is required: pass ${flag} (${file} does not provide one), or run without --yes to be asked`,
    { details: { field, flag } },
  );
}

/** The `ca:` the existing config names (its ${VAR}s expanded), so the test trusts what the agent will. */
function existingCa(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): string | undefined {
  if (typeof raw.ca !== 'string') return undefined;
  try {
    return resolveAgentConfig(
      { server_url: 'ws://localhost', auth_token: 'unused', ca: raw.ca },
      { env, onWarning: () => undefined },
    ).ca;
  } catch {
    // A ca: the agent could not use either; the test then trusts only the system's CAs.
    return undefined;
  }
}

function expandToken(token: string, env: NodeJS.ProcessEnv): string {
  return resolveAgentConfig(
    { server_url: 'ws://localhost', auth_token: token },
    { env, onWarning: () => undefined },
  ).auth_token;
}

async function missingPaths(paths: readonly string[], platform: Platform): Promise<string[]> {
  const local = paths.filter((entry) =>
    platform === 'windows' ? /^[A-Za-z]:|^\\\\/.test(entry) : entry.startsWith('/'),
  );
  const missing: string[] = [];
  for (const entry of local) {
    try {
      await access(entry);
    } catch {
      missing.push(entry);
    }
  }
  return missing;
}

async function collectWarnings(
  values: InitValues,
  apps: PluginAppStatus[] | null,
  detect: (plugins: readonly string[]) => Promise<PluginAppStatus[]>,
  platform: Platform,
): Promise<string[]> {
  const warnings: string[] = [];
  // Plugins chosen by flag were not looked at yet: load and ping them as the agent will.
  const unseen = values.plugins.filter((entry) => !apps?.some((app) => app.entry === entry));
  const all = [...(apps ?? []), ...(unseen.length > 0 ? await detect(unseen) : [])];
  for (const entry of values.plugins) {
    const app = all.find((a) => a.entry === entry);
    if (!app) continue;
    if (!app.loaded)
      warnings.push(
        `plugin ${entry} cannot be loaded here, so the agent will skip it: ${app.reason ?? 'unknown reason'}`,
      );
    else if (app.available === false)
      warnings.push(`plugin ${entry}: ${app.reason ?? 'its application was not found'}`);
  }
  for (const missing of await missingPaths(values.allowed_paths, platform)) {
    warnings.push(`allowed path ${missing} does not exist on this workstation`);
  }
  if (values.allowed_paths.length === 0) {
    warnings.push('allowed_paths is empty: every action param that is a path will be refused');
  }
  return warnings;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
