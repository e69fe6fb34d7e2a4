import { defineConfig, type ActionContext, type ConfigOf } from '@openclaw-node/plugin-sdk';

/** The `plugin_config.nuke` section of the agent's config. */
export const nukeConfig = defineConfig({
  type: 'object',
  properties: {
    /** The Nuke binary, a macOS `.app` bundle, or a `Nuke15.1v3` install folder. */
    path: { type: 'string', minLength: 1 },
    /** Folders holding `Nuke{M.m}v{p}` installs; replaces the per-OS defaults when set. */
    install_roots: { type: 'array', items: { type: 'string', minLength: 1 } },
    /** Prefer this version (`15.1` or `15.1v3`) among the install folders. */
    version: { type: 'string', pattern: '^[0-9]{1,3}\\.[0-9]{1,3}(v[0-9]{1,3})?$' },
    /** Limit for `Nuke --version` (ms); Nuke can take a while to start. */
    version_timeout_ms: { type: 'integer', minimum: 1000, maximum: 600_000, default: 30_000 },
    /** Use an interactive (nuke_i) license for batch runs by default (`-i`). */
    interactive_license: { type: 'boolean', default: false },
  },
});

export type NukeConfig = ConfigOf<typeof nukeConfig>;
export type NukeContext = ActionContext<NukeConfig>;
