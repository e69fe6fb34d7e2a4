import {
  configError,
  defineConfig,
  parseConfig,
  type ActionContext,
  type ConfigOf,
  OpenClawError,
} from '@openclaw-node/plugin-sdk';
import { Secret } from './secret.js';

/** The `plugin_config.shotgrid` section as the client reads it. The script key is wrapped so it cannot leak into logs. */
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

/**
 * The Python original's environment variables, read when `plugin_config.shotgrid` leaves the
 * value unset (the config wins), so a studio's existing setup keeps working.
 */
export const SHOTGRID_ENV = {
  site: 'SHOTGRID_URL',
  script_name: 'SHOTGRID_SCRIPT_NAME',
  script_key: 'SHOTGRID_API_KEY',
} as const;

const REQUIRED_HINTS = {
  site: 'e.g. https://studio.shotgrid.autodesk.com',
  script_name: 'the Script name of an API script under Admin > Scripts',
} as const;

/**
 * The `plugin_config.shotgrid` section: shape checked by the SDK once at load, meaning by `check`.
 * `site` and `script_name` are required by `check`, not the schema, so that the refusal can name
 * the environment variable that also sets them.
 */
export const shotgridConfig = defineConfig(
  {
    type: 'object',
    additionalProperties: false,
    properties: {
      site: { type: 'string', minLength: 1, description: 'e.g. https://studio.shotgrid.autodesk.com' },
      script_name: {
        type: 'string',
        minLength: 1,
        description: 'the Script name of an API script under Admin > Scripts',
      },
      script_key: { type: 'string', minLength: 1 },
      script_key_env: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      sudo_as_login: { type: 'string', minLength: 1 },
      request_timeout_seconds: { type: 'number', minimum: 0.1, maximum: 600, default: 30 },
      upload_timeout_seconds: { type: 'number', minimum: 1, maximum: 86_400, default: 3600 },
      max_retries: { type: 'integer', minimum: 0, maximum: 10, default: 3 },
      retry_base_delay_ms: { type: 'integer', minimum: 0, maximum: 60_000, default: 500 },
      max_retry_after_seconds: { type: 'number', minimum: 0, maximum: 3600, default: 60 },
      page_size: { type: 'integer', minimum: 1, maximum: 500, default: 500 },
    },
  },
  {
    defaults: (env) => ({
      site: envValue(env, 'site'),
      script_name: envValue(env, 'script_name'),
      script_key: envValue(env, 'script_key'),
    }),
    // What a schema cannot say: the site is a URL we may send a key to, and the key is there.
    check: (section, env) => void shotgridSettings(section, env),
  },
);

export type ShotgridSection = ConfigOf<typeof shotgridConfig>;
export type ShotgridContext = ActionContext<ShotgridSection>;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Validate a raw section (as the SDK does at load) and read it as the client does. */
export function loadShotgridConfig(
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): ShotgridConfig {
  return shotgridSettings(parseConfig('shotgrid', shotgridConfig, raw, env), env);
}

/** The validated section as the client reads it: site normalised, the key wrapped as a Secret. */
export function shotgridSettings(
  section: ShotgridSection,
  env: NodeJS.ProcessEnv = process.env,
): ShotgridConfig {
  const sudo = section.sudo_as_login?.trim();
  const site = required(section, 'site');
  return {
    // Attributed to $SHOTGRID_URL when that is where the value came from (the file did not set it).
    site: parseSite(site, envValue(env, 'site') === site),
    scriptName: required(section, 'script_name'),
    scriptKey: loadScriptKey(section, env),
    ...(sudo ? { sudoAsLogin: sudo } : {}),
    requestTimeoutMs: section.request_timeout_seconds * 1000,
    uploadTimeoutMs: section.upload_timeout_seconds * 1000,
    maxRetries: section.max_retries,
    retryBaseDelayMs: section.retry_base_delay_ms,
    maxRetryAfterMs: section.max_retry_after_seconds * 1000,
    pageSize: section.page_size,
  };
}

function loadScriptKey(section: ShotgridSection, env: NodeJS.ProcessEnv): Secret {
  const envName = section.script_key_env;
  if (envName) {
    const value = env[envName];
    if (!value)
      throw invalid('script_key_env', `names the environment variable ${envName}, which is not set`);
    return new Secret(value);
  }
  const key = section.script_key?.trim();
  if (!key) {
    throw configError(
      'shotgrid',
      'script_key',
      `(or script_key_env, naming an environment variable that holds it, or $${SHOTGRID_ENV.script_key}) is required`,
    );
  }
  return new Secret(key);
}

function required(section: ShotgridSection, key: keyof typeof REQUIRED_HINTS): string {
  const value = section[key]?.trim();
  if (!value) throw invalid(key, `is required (${REQUIRED_HINTS[key]}; or set $${SHOTGRID_ENV[key]})`);
  return value;
}

function envValue(env: NodeJS.ProcessEnv, key: keyof typeof SHOTGRID_ENV): string | undefined {
  const value = env[SHOTGRID_ENV[key]]?.trim();
  return value ? value : undefined;
}

function parseSite(value: string, fromEnvVar: boolean): string {
  const invalid = (key: 'site', problem: string): OpenClawError =>
    fromEnvVar ? invalidEnv(key, problem) : configError('shotgrid', key, problem);
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

function invalid(key: string, problem: string): OpenClawError {
  return configError('shotgrid', key, problem);
}

function invalidEnv(key: keyof typeof SHOTGRID_ENV, problem: string): OpenClawError {
  const field = `plugin_config.shotgrid.${key}`;
  const variable = SHOTGRID_ENV[key];
  return new OpenClawError('CONFIG_INVALID', `$${variable} (used as ${field}) ${problem}`, {
    details: { field, env: variable },
  });
}
