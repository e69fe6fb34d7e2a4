import { defineAction, isOpenClawError, type OpenClawError, type Platform } from '@openclaw-node/plugin-sdk';
import { stringOrNull } from './answer-fields.js';
import { findBridgePython, runBridgeWith } from './bridge.js';
import { resolveConfig, resolveSettings } from './config.js';
import { resolveAppSpec } from './locations.js';

const appSchema = {
  type: ['object', 'null'],
  required: ['path', 'version', 'source'],
  properties: {
    path: { type: 'string' },
    version: { type: ['string', 'null'] },
    source: { type: 'string' },
  },
} as const;

/** resolve.ping: is Resolve installed, running and scriptable from here? Never fails for a missing app. */
export const ping = defineAction({
  config: resolveConfig,
  description:
    'Check that DaVinci Resolve is installed, running and answers scripting calls through the bridge',
  params: { type: 'object', additionalProperties: false, properties: {} },
  result: {
    type: 'object',
    required: ['ok', 'plugin', 'platform', 'available', 'app'],
    properties: {
      ok: { const: true },
      plugin: { const: 'resolve' },
      platform: { type: 'string' },
      available: { type: 'boolean', description: 'True when the bridge reached a running Resolve' },
      app: { ...appSchema, description: "Resolve's executable, with the version the bridge reported" },
      python: { ...appSchema, description: 'The Python that runs the bridge' },
      product: { type: ['string', 'null'], description: 'DaVinci Resolve or DaVinci Resolve Studio' },
      running: {
        type: ['boolean', 'null'],
        description: 'Whether a Resolve process was seen (null: not checked)',
      },
      code: { type: 'string', description: 'The error code that made Resolve unavailable' },
      reason: { type: 'string', description: 'Why Resolve is not available' },
      searched: { type: 'array', items: { type: 'string' }, description: 'Where Resolve was looked for' },
    },
  },
  timeout: 45,
  onConfigInvalid: (error, ctx) => unconfigured(error, ctx.platform),
  async run(_params, ctx) {
    const base = { ok: true as const, plugin: 'resolve' as const, platform: ctx.platform };
    const config = resolveSettings(ctx.config);
    const found = await ctx.which(resolveAppSpec(ctx.platform, config));
    const app = found.path
      ? { path: found.path, version: null as string | null, source: found.source ?? 'path' }
      : null;
    const notInstalled = found.path
      ? ''
      : `DaVinci Resolve was not found (looked in: ${found.searched.join(', ')}). `;
    let python;
    try {
      python = await findBridgePython(ctx, config);
    } catch (error) {
      if (!isOpenClawError(error) || error.code === 'CANCELLED' || error.code === 'TIMEOUT') throw error;
      return {
        ...base,
        available: false,
        app,
        python: null,
        running: null,
        code: error.code,
        reason: notInstalled + error.message,
        searched: found.searched,
      };
    }
    const pythonInfo = { path: python.path, version: null, source: python.source };
    try {
      const answer = await runBridgeWith(ctx, config, python.path, {
        action: 'ping',
        defaultTimeoutSeconds: 20,
      });
      const version = stringOrNull(answer.version);
      return {
        ...base,
        available: true,
        app: app ? { ...app, version } : null,
        python: { ...pythonInfo, version: stringOrNull(answer.python_version) },
        product: stringOrNull(answer.product),
        running: true,
        searched: found.searched,
      };
    } catch (error) {
      if (
        !isOpenClawError(error) ||
        error.code === 'CANCELLED' ||
        (error.code === 'TIMEOUT' && ctx.signal.aborted)
      )
        throw error;
      const running = typeof error.details?.running === 'boolean' ? error.details.running : null;
      return {
        ...base,
        available: false,
        app,
        python: pythonInfo,
        running,
        code: error.code,
        reason: notInstalled + error.message,
        searched: found.searched,
      };
    }
  },
});

/** An invalid plugin_config.resolve makes Resolve unavailable here, not the ping failed. */
function unconfigured(error: OpenClawError, platform: Platform) {
  return {
    ok: true as const,
    plugin: 'resolve' as const,
    platform,
    available: false,
    app: null,
    python: null,
    running: null,
    code: error.code,
    reason: error.message,
  };
}
