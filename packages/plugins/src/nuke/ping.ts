import { defineAction, isOpenClawError } from '@openclaw-node/plugin-sdk';
import { findNuke, type NukeLookup } from './locate-nuke.js';
import { probeNukeVersion } from './version-probe.js';
import { nukeConfig } from './nuke-config.js';

/** `nuke.ping`: is Nuke installed here, where, and which version. Succeeds even when it is not. */
export const ping = defineAction({
  config: nukeConfig,
  description: 'Check that Nuke is installed on this node and report its path and version.',
  timeout: 120,
  params: { type: 'object', additionalProperties: false, properties: {} },
  result: {
    type: 'object',
    required: ['ok', 'plugin', 'platform', 'available', 'app'],
    properties: {
      ok: { type: 'boolean', const: true },
      plugin: { type: 'string', const: 'nuke' },
      platform: { type: 'string' },
      available: { type: 'boolean' },
      app: {
        anyOf: [
          {
            type: 'object',
            required: ['path', 'version', 'source'],
            properties: {
              path: { type: 'string' },
              version: { type: ['string', 'null'] },
              source: { type: ['string', 'null'] },
            },
          },
          { type: 'null' },
        ],
      },
      reason: { type: 'string' },
      searched: { type: 'array', items: { type: 'string' } },
    },
  },
  async run(_params, ctx) {
    const base = { ok: true as const, plugin: 'nuke' as const, platform: ctx.platform };
    let found: NukeLookup;
    try {
      found = await findNuke(ctx);
    } catch (error) {
      // A broken plugin_config is worth reporting, but ping itself still answers.
      if (!isOpenClawError(error) || error.code !== 'CONFIG_INVALID') throw error;
      return { ...base, available: false, app: null, reason: `${error.code}: ${error.message}` };
    }
    if (!found.path) {
      return { ...base, available: false, app: null, reason: 'Nuke was not found', searched: found.searched };
    }
    try {
      const probed = await probeNukeVersion(
        ctx,
        found.path,
        found.pathVersion,
        found.config.version_timeout_ms,
      );
      return {
        ...base,
        available: true,
        app: { path: found.path, version: probed.version, source: found.source },
        ...(probed.reason ? { reason: probed.reason } : {}),
      };
    } catch (error) {
      if (ctx.signal.aborted || !isOpenClawError(error)) throw error;
      return {
        ...base,
        available: false,
        app: { path: found.path, version: found.pathVersion, source: found.source },
        reason: `${error.code}: ${error.message}`,
      };
    }
  },
});
