import os from 'node:os';
import path from 'node:path';
import { OpenClawError } from '@openclaw-node/core';
import type { PlanServiceOptions, ServicePlatform, SessionTarget } from './service-plan.js';

/** PlanServiceOptions after validation, with every default filled in. */
export interface ResolvedServiceOptions {
  platform: ServicePlatform;
  nodeExecutable: string;
  agentEntry: string;
  configPath: string;
  user: string;
  uid: number | undefined;
  env: Record<string, string>;
  logDir: string | undefined;
  home: string;
  label: string;
  sessionTarget: SessionTarget;
}

/** Default service names: the unit, the launchd Label and the scheduled task. */
export const DEFAULT_SERVICE_LABELS: Record<ServicePlatform, string> = {
  linux: 'openclaw-agent',
  darwin: 'com.openclaw.agent',
  windows: 'OpenClaw Agent',
};

const PLATFORMS: readonly ServicePlatform[] = ['linux', 'darwin', 'windows'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// A service definition is a readable file and --dry-run prints it: secrets belong in node_config.yaml (mode 600).
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|CREDENTIAL|PRIVATE_KEY/i;
const LABEL_RULES: Record<ServicePlatform, { pattern: RegExp; hint: string }> = {
  linux: {
    pattern: /^[A-Za-z0-9:_.-]{1,200}$/,
    hint: 'letters, digits, ":", "_", "." or "-", e.g. openclaw-agent',
  },
  darwin: {
    pattern: /^[A-Za-z0-9_.-]{1,200}$/,
    hint: 'reverse-DNS letters, digits, "_", "." or "-", e.g. com.openclaw.agent',
  },
  windows: {
    pattern: /^[^\\/:*?"<>|%]{1,200}$/,
    hint: 'no \\ / : * ? " < > | or %, e.g. OpenClaw Agent',
  },
};

/** True when the text holds a C0 control character or DEL (newline, tab, NUL…). */
export function hasControlChar(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function invalid(field: string, message: string, extra: Record<string, unknown> = {}): OpenClawError {
  return new OpenClawError('SERVICE_OPTIONS_INVALID', `${field}: ${message}`, {
    details: { field, ...extra },
  });
}

/** True when `value` is an absolute path on `platform` (Windows: drive letter or UNC, not `\foo`). */
export function isAbsoluteFor(platform: ServicePlatform, value: string): boolean {
  if (platform === 'windows') return /^[A-Za-z]:[\\/]/.test(value) || /^\\\\[^\\]+\\[^\\]+/.test(value);
  return path.posix.isAbsolute(value);
}

function absolutePath(platform: ServicePlatform, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, 'must be a non-empty path');
  if (hasControlChar(value)) throw invalid(field, 'must not contain control characters (newline, tab…)');
  if (!isAbsoluteFor(platform, value)) {
    const example =
      platform === 'windows' ? 'C:\\Users\\ana\\openclaw\\node_config.yaml' : '/home/ana/node_config.yaml';
    throw invalid(
      field,
      `must be an absolute ${platform} path (got ${JSON.stringify(value)}), e.g. ${example}`,
    );
  }
  return platform === 'windows' ? path.win32.normalize(value) : path.posix.normalize(value);
}

function resolveEnv(
  platform: ServicePlatform,
  env: Record<string, string> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env ?? {})) {
    const field = `env.${name}`;
    if (!ENV_NAME.test(name)) throw invalid(field, 'an environment variable name is letters, digits and "_"');
    if (SECRET_NAME.test(name)) {
      throw invalid(
        field,
        'looks like a secret: service files are readable and --dry-run prints them; put auth_token in node_config.yaml (chmod 600) instead',
      );
    }
    if (typeof value !== 'string' || hasControlChar(value)) {
      throw invalid(field, 'must be a string without control characters (newline, tab…)');
    }
    out[name] = value;
  }
  if (platform === 'windows' && Object.keys(out).length > 0) {
    throw invalid(
      'env',
      'a scheduled task cannot set environment variables: set them as user variables (setx NAME value) instead',
    );
  }
  return out;
}

function defaultUser(): string {
  const { USERDOMAIN, USERNAME } = process.env;
  if (USERDOMAIN && USERNAME) return `${USERDOMAIN}\\${USERNAME}`;
  return os.userInfo().username;
}

/**
 * Validate PlanServiceOptions and fill the defaults (home, user, uid from the current process).
 * Throws SERVICE_OPTIONS_INVALID naming the field at fault.
 */
export function resolveServiceOptions(options: PlanServiceOptions): ResolvedServiceOptions {
  const { platform } = options;
  if (!PLATFORMS.includes(platform)) throw invalid('platform', `must be one of ${PLATFORMS.join(', ')}`);
  const home = absolutePath(platform, 'home', options.home ?? os.homedir());
  const label = options.label ?? DEFAULT_SERVICE_LABELS[platform];
  const rule = LABEL_RULES[platform];
  if (
    typeof label !== 'string' ||
    !rule.pattern.test(label) ||
    hasControlChar(label) ||
    label.trim() !== label
  ) {
    throw invalid('label', `${JSON.stringify(label)} is not a valid name: use ${rule.hint}`);
  }
  if (platform === 'linux' && label.endsWith('.service')) {
    throw invalid('label', `give the unit name without ".service" (${label.slice(0, -'.service'.length)})`);
  }
  const user = options.user ?? defaultUser();
  if (typeof user !== 'string' || user === '' || hasControlChar(user) || /["/[\]:;|=,+*?<>]/.test(user)) {
    throw invalid('user', `${JSON.stringify(user)} is not an account name: use user or DOMAIN\\user`);
  }
  const uid = options.uid ?? process.getuid?.();
  if (platform === 'darwin' && (uid === undefined || !Number.isInteger(uid) || uid < 0)) {
    throw invalid('uid', 'the numeric user id of the gui/<uid> launchd domain is required (id -u)');
  }
  const sessionTarget = options.sessionTarget ?? 'graphical-session';
  if (sessionTarget !== 'graphical-session' && sessionTarget !== 'default') {
    throw invalid('sessionTarget', 'must be graphical-session or default');
  }
  return {
    platform,
    nodeExecutable: absolutePath(platform, 'nodeExecutable', options.nodeExecutable),
    agentEntry: absolutePath(platform, 'agentEntry', options.agentEntry),
    configPath: absolutePath(platform, 'configPath', options.configPath),
    user,
    uid,
    env: resolveEnv(platform, options.env),
    logDir: options.logDir === undefined ? undefined : absolutePath(platform, 'logDir', options.logDir),
    home,
    label,
    sessionTarget,
  };
}
