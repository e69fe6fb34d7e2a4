import { OpenClawError } from '@openclaw-node/plugin-sdk';
import { Secret } from './secret.js';

/** The `plugin_config.shotgrid` section, checked. The script key is wrapped so it cannot leak into logs. */
export interface ShotgridConfig {
  /** The site's origin, e.g. `https://studio.shotgrid.autodesk.com` (no `/api/v1`). */
  site: string;
  scriptName: string;
  scriptKey: Secret;
  /** Act as this HumanUser (`scope=sudo_as_login:<login>`), so events are attributed to the artist. */
  sudoAsLogin?: string;
  requestTimeoutMs: number;
  uploadTimeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  /** A Retry-After longer than this fails at once instead of holding the job. */
  maxRetryAfterMs: number;
  pageSize: number;
}

const KEYS = [
  'site',
  'script_name',
  'script_key',
  'script_key_env',
  'sudo_as_login',
  'request_timeout_seconds',
  'upload_timeout_seconds',
  'max_retries',
  'retry_base_delay_ms',
  'max_retry_after_seconds',
  'page_size',
] as const;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The Python original's environment variables, read when `plugin_config.shotgrid` leaves the
 * value unset (the config wins), so a studio's existing setup keeps working.
 */
export const SHOTGRID_ENV = {
  site: 'SHOTGRID_URL',
  script_name: 'SHOTGRID_SCRIPT_NAME',
  script_key: 'SHOTGRID_API_KEY',
} as const;

/** Check and normalise the plugin's config; every problem is CONFIG_INVALID naming the key. */
export function loadShotgridConfig(
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): ShotgridConfig {
  for (const key of Object.keys(raw)) {
    if (!(KEYS as readonly string[]).includes(key))
      throw invalid(key, `is not a known key (known: ${KEYS.join(', ')})`);
  }
  const site = parseSite(
    requiredString(raw, env, 'site', 'e.g. https://studio.shotgrid.autodesk.com'),
    fromEnv(raw, env, 'site'),
  );
  const scriptName = requiredString(
    raw,
    env,
    'script_name',
    'the Script name of an API script under Admin > Scripts',
  );
  const sudo = optionalString(raw, 'sudo_as_login');
  return {
    site,
    scriptName,
    scriptKey: loadScriptKey(raw, env),
    ...(sudo ? { sudoAsLogin: sudo } : {}),
    requestTimeoutMs: number(raw, 'request_timeout_seconds', 30, 0.1, 600) * 1000,
    uploadTimeoutMs: number(raw, 'upload_timeout_seconds', 3600, 1, 86_400) * 1000,
    maxRetries: number(raw, 'max_retries', 3, 0, 10, true),
    retryBaseDelayMs: number(raw, 'retry_base_delay_ms', 500, 0, 60_000, true),
    maxRetryAfterMs: number(raw, 'max_retry_after_seconds', 60, 0, 3600) * 1000,
    pageSize: number(raw, 'page_size', 500, 1, 500, true),
  };
}

function loadScriptKey(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Secret {
  const envName = optionalString(raw, 'script_key_env');
  if (envName) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envName))
      throw invalid('script_key_env', 'must be an environment variable name');
    const value = env[envName];
    if (!value)
      throw invalid('script_key_env', `names the environment variable ${envName}, which is not set`);
    return new Secret(value);
  }
  const key = optionalString(raw, 'script_key') ?? envValue(env, 'script_key');
  if (!key) {
    throw new OpenClawError(
      'CONFIG_INVALID',
      `plugin_config.shotgrid.script_key (or script_key_env, naming an environment variable that holds it, or $${SHOTGRID_ENV.script_key}) is required`,
      { details: { field: 'plugin_config.shotgrid.script_key' } },
    );
  }
  return new Secret(key);
}

function parseSite(value: string, fromEnvVar: boolean): string {
  const invalid = (key: 'site', problem: string): OpenClawError =>
    fromEnvVar ? invalidEnv(key, problem) : invalidKey(key, problem);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('site', `is not a URL: ${value}`);
  }
  const loopback = LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw invalid('site', 'must be an https:// URL (http:// only for 127.0.0.1 or localhost)');
  }
  if (url.username || url.password || url.search || url.hash)
    throw invalid('site', 'must not carry credentials, a query or a fragment');
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return `${url.origin}${path}`;
}

function requiredString(
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  key: keyof typeof SHOTGRID_ENV,
  hint: string,
): string {
  const value = optionalString(raw, key) ?? envValue(env, key);
  if (!value) throw invalid(key, `is required (${hint}; or set $${SHOTGRID_ENV[key]})`);
  return value;
}

/** Whether `key` is unset in the config and so comes from the original's environment variable. */
function fromEnv(
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  key: keyof typeof SHOTGRID_ENV,
): boolean {
  return optionalString(raw, key) === undefined && envValue(env, key) !== undefined;
}

function envValue(env: NodeJS.ProcessEnv, key: keyof typeof SHOTGRID_ENV): string | undefined {
  const value = env[SHOTGRID_ENV[key]]?.trim();
  return value ? value : undefined;
}

function optionalString(raw: Record<string, unknown>, key: string): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(key, 'must be a string');
  return value.trim();
}

function number(
  raw: Record<string, unknown>,
  key: string,
  fallback: number,
  min: number,
  max: number,
  integer = false,
): number {
  const value = raw[key];
  if (value === undefined || value === null) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw invalid(key, `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
  return value;
}

function invalid(key: string, problem: string): OpenClawError {
  return invalidKey(key, problem);
}

function invalidKey(key: string, problem: string): OpenClawError {
  const field = `plugin_config.shotgrid.${key}`;
  return new OpenClawError('CONFIG_INVALID', `${field} ${problem}`, { details: { field } });
}

/** A value taken from the original's variable: the message names the variable to fix. */
function invalidEnv(key: keyof typeof SHOTGRID_ENV, problem: string): OpenClawError {
  const field = `plugin_config.shotgrid.${key}`;
  const variable = SHOTGRID_ENV[key];
  return new OpenClawError('CONFIG_INVALID', `$${variable} (used as ${field}) ${problem}`, {
    details: { field, env: variable },
  });
}
