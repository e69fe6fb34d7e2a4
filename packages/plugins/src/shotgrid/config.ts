import {
  configError,
  defineConfig,
  parseConfig,
  type ActionContext,
  type ConfigOf,
  type OpenClawError,
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

/** The `plugin_config.shotgrid` section: shape checked by the SDK once at load, meaning by `check`. */
export const shotgridConfig = defineConfig(
  {
    type: 'object',
    additionalProperties: false,
    required: ['site', 'script_name'],
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
  return {
    site: parseSite(section.site.trim()),
    scriptName: section.script_name.trim(),
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
      '(or script_key_env, naming an environment variable that holds it) is required',
    );
  }
  return new Secret(key);
}

function parseSite(value: string): string {
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
