import { OpenClawError } from '@openclaw-node/plugin-sdk';

/** The `plugin_config.nuke` section of the agent's config, checked. */
export interface NukeConfig {
  /** The Nuke binary, a macOS `.app` bundle, or a `Nuke15.1v3` install folder. */
  path?: string;
  /** Folders holding `Nuke{M.m}v{p}` installs; replaces the per-OS defaults when set. */
  install_roots?: string[];
  /** Prefer this version (`15.1` or `15.1v3`) among the install folders. */
  version?: string;
  /** Limit for `Nuke --version` (ms); Nuke can take a while to start. Default 30000. */
  version_timeout_ms: number;
  /** Use an interactive (nuke_i) license for batch runs by default (`-i`). */
  interactive_license: boolean;
}

const VERSION_PIN = /^[0-9]{1,3}\.[0-9]{1,3}(v[0-9]{1,3})?$/;

/** Read `ctx.config`, throwing CONFIG_INVALID naming the key at fault. */
export function readNukeConfig(raw: Record<string, unknown>): NukeConfig {
  const bad = (key: string, expected: string): OpenClawError =>
    new OpenClawError('CONFIG_INVALID', `plugin_config.nuke.${key} must be ${expected}`, {
      details: { field: `plugin_config.nuke.${key}` },
    });
  const config: NukeConfig = { version_timeout_ms: 30_000, interactive_license: false };
  if (raw.path !== undefined) {
    if (typeof raw.path !== 'string' || raw.path === '') throw bad('path', 'a non-empty string');
    config.path = raw.path;
  }
  if (raw.install_roots !== undefined) {
    if (
      !Array.isArray(raw.install_roots) ||
      !raw.install_roots.every((r) => typeof r === 'string' && r !== '')
    ) {
      throw bad('install_roots', 'a list of folder paths');
    }
    config.install_roots = raw.install_roots as string[];
  }
  if (raw.version !== undefined) {
    if (typeof raw.version !== 'string' || !VERSION_PIN.test(raw.version))
      throw bad('version', 'like "15.1" or "15.1v3"');
    config.version = raw.version;
  }
  if (raw.version_timeout_ms !== undefined) {
    const ms = raw.version_timeout_ms;
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1000 || ms > 600_000) {
      throw bad('version_timeout_ms', 'a whole number of milliseconds between 1000 and 600000');
    }
    config.version_timeout_ms = ms;
  }
  if (raw.interactive_license !== undefined) {
    if (typeof raw.interactive_license !== 'boolean') throw bad('interactive_license', 'true or false');
    config.interactive_license = raw.interactive_license;
  }
  return config;
}
