import { defineAction } from '@openclaw-node/plugin-sdk';
import { findFfmpeg } from './make-proxy.js';
import { VERSION } from './version.js';

/** studio-tools.ping: the plugin answers, and says whether make_proxy can find ffmpeg here. */
export const ping = defineAction({
  description: 'Check that the plugin answers, and whether ffmpeg is available for make_proxy',
  params: { type: 'object', additionalProperties: false, properties: {} },
  result: {
    type: 'object',
    additionalProperties: false,
    required: ['ok', 'plugin', 'version', 'platform', 'ffmpeg'],
    properties: {
      ok: { const: true },
      plugin: { const: 'studio-tools' },
      version: { type: 'string' },
      platform: { type: 'string' },
      ffmpeg: { type: ['string', 'null'], description: 'Where ffmpeg is, or null' },
    },
  },
  async run(_params, ctx) {
    const ffmpeg = await findFfmpeg(ctx).catch(() => null);
    return {
      ok: true as const,
      plugin: 'studio-tools' as const,
      version: VERSION,
      platform: ctx.platform,
      ffmpeg,
    };
  },
});
