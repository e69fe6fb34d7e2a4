import os from 'node:os';
import {
  createSchemaCompiler,
  isAbsolutePathValue,
  nearestName,
  OpenClawError,
  type FieldError,
} from '@openclaw-node/core';
import { parseServerUrl } from '../connection/server-url.js';
import {
  AGENT_CONFIG_SCHEMA,
  CONFIG_DEFAULTS,
  CONFIG_FIX_HINTS,
  KNOWN_CONFIG_KEYS,
  NODE_ID_PATTERN,
  type AgentConfig,
} from './agent-config.js';
import { expandEnv } from './expand-env.js';

export interface ResolveAgentConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Names the config in messages, usually its file path. */
  source?: string;
  /** Receives warnings (unknown keys, duplicates); defaults to process.emitWarning. */
  onWarning?: (message: string) => void;
  /** Supplies the default node_id; defaults to os.hostname(). */
  hostname?: string;
}

const checkShape = createSchemaCompiler({ allErrors: false, useDefaults: false }).compile(
  AGENT_CONFIG_SCHEMA,
  'config',
);
// A key written with no value (`allowed_paths:`) parses as null: treat it as absent.
const NULLABLE_KEYS = [
  'node_id',
  'plugins',
  'plugin_dirs',
  'allowed_paths',
  'plugin_config',
  'heartbeat_interval',
  'health_interval',
  'max_concurrent_jobs',
  'max_queued_jobs',
  'tags',
  'ca',
];

/**
 * Validate an in-memory config (a parsed node_config.yaml), expand `${VAR}` references and fill in
 * defaults. Throws CONFIG_INVALID with one message naming the field and a fix.
 * @example resolveAgentConfig({ server_url: 'ws://server:8765/ws', auth_token: '${TOKEN}' }, { env: { TOKEN: 's3cret' } })
 */
export function resolveAgentConfig(raw: unknown, options: ResolveAgentConfigOptions = {}): AgentConfig {
  const source = options.source ?? 'node_config.yaml';
  const warn =
    options.onWarning ?? ((message: string) => process.emitWarning(message, 'OpenClawConfigWarning'));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw configError(
      source,
      null,
      `must be a mapping of settings, e.g. "server_url: ws://pipeline-server:8765/ws" on its own line; got ${describeKind(raw)}`,
    );
  }
  const input = {
    ...(expandEnv(raw, { env: options.env ?? process.env, source }) as Record<string, unknown>),
  };
  for (const key of NULLABLE_KEYS) if (input[key] === null) delete input[key];
  if (isRecord(input.plugin_config)) {
    input.plugin_config = Object.fromEntries(
      Object.entries(input.plugin_config).map(([name, section]) => [name, section ?? {}]),
    );
  }
  for (const key of Object.keys(input)) {
    if (!KNOWN_CONFIG_KEYS.has(key)) warn(`${source}: unknown setting "${key}" is ignored${suggest(key)}`);
  }
  const errors = checkShape(input);
  if (errors) throw shapeError(source, errors[0]!, input);

  const config: AgentConfig = {
    node_id:
      (input.node_id as string | undefined) ?? hostnameNodeId(options.hostname ?? os.hostname(), source),
    server_url: input.server_url as string,
    auth_token: input.auth_token as string,
    plugins: dedupe((input.plugins as string[] | undefined) ?? CONFIG_DEFAULTS.plugins, source, warn),
    plugin_dirs: [...((input.plugin_dirs as string[] | undefined) ?? CONFIG_DEFAULTS.plugin_dirs)],
    allowed_paths: [...((input.allowed_paths as string[] | undefined) ?? CONFIG_DEFAULTS.allowed_paths)],
    plugin_config: (input.plugin_config as AgentConfig['plugin_config'] | undefined) ?? {},
    heartbeat_interval:
      (input.heartbeat_interval as number | undefined) ?? CONFIG_DEFAULTS.heartbeat_interval,
    health_interval: (input.health_interval as number | undefined) ?? CONFIG_DEFAULTS.health_interval,
    max_concurrent_jobs:
      (input.max_concurrent_jobs as number | undefined) ?? CONFIG_DEFAULTS.max_concurrent_jobs,
    max_queued_jobs: (input.max_queued_jobs as number | undefined) ?? CONFIG_DEFAULTS.max_queued_jobs,
    tags: [...((input.tags as string[] | undefined) ?? CONFIG_DEFAULTS.tags)],
  };
  if (config.health_interval > 0 && config.health_interval < 10) {
    throw configError(
      source,
      'health_interval',
      `must be 0 or at least 10 seconds (each check runs every plugin's ping), got ${config.health_interval}; ${CONFIG_FIX_HINTS.health_interval}`,
    );
  }
  if (typeof input.ca === 'string') {
    if (!isAbsolutePathValue(input.ca)) {
      throw configError(
        source,
        'ca',
        `must be an absolute path, got ${JSON.stringify(input.ca)}; ${CONFIG_FIX_HINTS.ca}`,
      );
    }
    config.ca = input.ca;
  }
  parseServerUrl(config.server_url, source);
  for (const key of ['allowed_paths', 'plugin_dirs'] as const) {
    config[key].forEach((entry, index) => {
      if (!isAbsolutePathValue(entry)) {
        throw configError(
          source,
          `${key}[${index}]`,
          `must be an absolute path, got ${JSON.stringify(entry)}; ${CONFIG_FIX_HINTS[key]}`,
        );
      }
    });
  }
  // plugin_config is keyed by plugin name, which a package or path entry reveals only once loaded:
  // the agent warns about unused sections after loading (findUnusedPluginConfig).
  return config;
}

function configError(source: string, field: string | null, message: string): OpenClawError {
  return new OpenClawError('CONFIG_INVALID', `${source}: ${field === null ? '' : `${field} `}${message}`, {
    details: { field, file: source },
  });
}

function shapeError(source: string, error: FieldError, input: Record<string, unknown>): OpenClawError {
  const field = error.field.replace(/^config\.?/, '');
  const top = field.split(/[.[]/)[0]!;
  const value = valueAt(input, field);
  // Never echo the token back, even in an error.
  const shown =
    top === 'auth_token' || value === undefined ? '' : `, got ${JSON.stringify(value)?.slice(0, 80)}`;
  const hint = CONFIG_FIX_HINTS[top];
  return configError(source, field, `${describeError(error)}${shown}${hint ? `; ${hint}` : ''}`);
}

function describeError(error: FieldError): string {
  const match = /^must be (\w+)$/.exec(error.message);
  if (error.keyword === 'type' && match) {
    const kinds: Record<string, string> = {
      string: 'a string (put quotes around it)',
      array: 'a list',
      object: 'a mapping',
      number: 'a number',
      integer: 'a whole number',
    };
    return `must be ${kinds[match[1]!] ?? match[1]!}`;
  }
  if (error.keyword === 'pattern') return 'has characters that are not allowed';
  if (error.keyword === 'minLength') return 'must not be empty';
  return error.message;
}

function valueAt(input: Record<string, unknown>, field: string): unknown {
  let current: unknown = input;
  for (const part of field.match(/[^.[\]"]+/g) ?? []) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function hostnameNodeId(hostname: string, source: string): string {
  const candidate = hostname
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 128);
  if (new RegExp(NODE_ID_PATTERN).test(candidate)) return candidate;
  throw configError(
    source,
    'node_id',
    `is not set and the hostname ${JSON.stringify(hostname)} cannot stand in for it; ${CONFIG_FIX_HINTS.node_id}`,
  );
}

function dedupe(names: string[], source: string, warn: (message: string) => void): string[] {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) warn(`${source}: plugin "${name}" is listed twice in plugins; it is loaded once`);
    seen.add(name);
  }
  return [...seen];
}

function suggest(key: string): string {
  const squash = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  const match =
    [...KNOWN_CONFIG_KEYS].find((known) => squash(known) === squash(key)) ??
    nearestName(key, KNOWN_CONFIG_KEYS);
  return match ? `; did you mean "${match}"?` : ` (known settings: ${[...KNOWN_CONFIG_KEYS].join(', ')})`;
}

function describeKind(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
