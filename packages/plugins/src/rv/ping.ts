import { defineAction, type WhichResult } from '@openclaw-node/plugin-sdk';
import { missingInterpreter } from './launch-rv.js';
import { findRv, rvpushSpec } from './locate.js';
import { listRunningRvs } from './running.js';
import { readRvVersion } from './version.js';
import { rvConfig } from './config.js';

const foundSchema = {
  type: ['object', 'null'],
  required: ['path', 'source'],
  properties: { path: { type: 'string' }, source: { type: 'string' } },
} as const;

/** rv.ping: is RV installed, which version, where is rvpush, which RVs listen for it. */
export const ping = defineAction({
  config: rvConfig,
  description: 'Find rv and rvpush, read the RV version, and list RVs listening for rvpush.',
  params: { type: 'object', additionalProperties: false, properties: {} },
  result: {
    type: 'object',
    additionalProperties: false,
    required: ['ok', 'plugin', 'platform', 'available', 'app', 'rvpush', 'running'],
    properties: {
      ok: { const: true },
      plugin: { const: 'rv' },
      platform: { enum: ['windows', 'darwin', 'linux'] },
      available: { type: 'boolean', description: 'rv was found and can be started.' },
      app: {
        type: ['object', 'null'],
        required: ['path', 'version', 'source'],
        properties: {
          path: { type: 'string' },
          version: { type: ['string', 'null'] },
          source: { type: 'string' },
          version_from: { type: ['string', 'null'] },
          version_error: { type: 'string' },
        },
      },
      rvpush: foundSchema,
      running: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            pid: { type: 'integer' },
            tag: { type: ['string', 'null'] },
            port: { type: 'integer' },
          },
        },
        description: 'RVs that announced a port for rvpush (may include ones that have since exited).',
      },
      reason: { type: 'string' },
      searched: { type: 'array', items: { type: 'string' } },
    },
  },
  timeout: 30,
  async run(_params, ctx) {
    const rv = await findRv(ctx);
    const rvpush: WhichResult = await ctx.which(rvpushSpec(ctx, rv.path));
    const base = {
      ok: true as const,
      plugin: 'rv' as const,
      platform: ctx.platform,
      rvpush: rvpush.path ? { path: rvpush.path, source: rvpush.source ?? 'path' } : null,
      running: await listRunningRvs(),
    };
    if (!rv.path) {
      return { ...base, available: false, app: null, reason: 'rv was not found', searched: rv.searched };
    }
    const source = rv.source ?? 'path';
    const unrunnable = ctx.platform === 'windows' ? null : await missingInterpreter(rv.path);
    if (unrunnable) {
      return { ...base, available: false, app: { path: rv.path, version: null, source }, reason: unrunnable };
    }
    const version = await readRvVersion(ctx, rv.path);
    return {
      ...base,
      available: true,
      app: {
        path: rv.path,
        version: version.version,
        source,
        version_from: version.from,
        ...(version.error ? { version_error: version.error } : {}),
      },
    };
  },
});
