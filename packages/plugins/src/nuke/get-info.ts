import { defineAction } from '@openclaw-node/plugin-sdk';
import { locateNuke } from './locate-nuke.js';
import { VERSION_PIN_PATTERN } from './names.js';
import { readScriptInfo } from './script-info.js';
import { APP_SCHEMA, SCRIPT_INFO_SCHEMA } from './script-info-schema.js';
import { requireScriptFile } from './script-file.js';
import { probeNukeVersion } from './version-probe.js';
import { nukeConfig } from './nuke-config.js';

/** `nuke.get_info`: the Nuke version, and with `script` its Write nodes, frame range, fps, format and views. */
export const getInfo = defineAction({
  config: nukeConfig,
  description:
    'Report the installed Nuke (path and version); with script, also its Write nodes, frame range, fps, format and views (via nuke -t).',
  timeout: 300,
  errors: ['SCRIPT_LOAD_FAILED', 'LICENSE_UNAVAILABLE', 'APP_NOT_FOUND', 'PATH_NOT_FOUND'],
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      script: {
        type: 'string',
        format: 'path',
        pattern: '\\.[nN][kK]$',
        description: 'A .nk script to inspect (optional)',
      },
      nukex: { type: 'boolean', default: false, description: 'Load the script as NukeX (--nukex)' },
      interactive_license: {
        type: 'boolean',
        description: 'Use an interactive license (-i) for the terminal run',
      },
      nuke_version: {
        type: 'string',
        pattern: VERSION_PIN_PATTERN,
        description: 'Ask this installed Nuke version',
      },
    },
  },
  result: {
    type: 'object',
    required: ['app', 'version_source', 'script'],
    properties: {
      app: APP_SCHEMA,
      version_source: {
        type: ['string', 'null'],
        enum: ['executable', 'path', null],
        description: "executable: Nuke's own answer; path: the install folder name",
      },
      version_note: { type: 'string', description: 'Why Nuke itself could not tell its version' },
      script: { anyOf: [SCRIPT_INFO_SCHEMA, { type: 'null' }] },
    },
  },
  async run(params, ctx) {
    if (params.script !== undefined) await requireScriptFile(params.script);
    const nuke = await locateNuke(ctx, params.nuke_version);

    if (params.script !== undefined) {
      const info = await readScriptInfo(ctx, nuke.path, params.script, {
        interactiveLicense: params.interactive_license ?? nuke.config.interactive_license,
        nukex: params.nukex ?? false,
      });
      return {
        app: { path: nuke.path, version: info.nuke_version, source: nuke.source },
        version_source: 'executable' as const,
        script: info,
      };
    }
    const probed = await probeNukeVersion(ctx, nuke.path, nuke.pathVersion, nuke.config.version_timeout_ms);
    return {
      app: { path: nuke.path, version: probed.version, source: nuke.source },
      version_source: probed.source,
      ...(probed.reason ? { version_note: probed.reason } : {}),
      script: null,
    };
  },
});
