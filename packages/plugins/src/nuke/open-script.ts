import { defineAction, OpenClawError } from '@openclaw-node/plugin-sdk';
import { locateNuke } from './locate-nuke.js';
import { VERSION_PIN_PATTERN } from './names.js';
import { readScriptInfo } from './script-info.js';
import { SCRIPT_INFO_SCHEMA } from './script-info-schema.js';
import { requireScriptFile } from './script-file.js';
import { nukeConfig } from './nuke-config.js';

/** `nuke.open_script`: open a script in the Nuke GUI (detached), or check headless that it loads. */
export const openScript = defineAction({
  config: nukeConfig,
  description:
    "Open a Nuke script in Nuke's GUI on the workstation (detached); with gui: false, load it headless and report what it holds.",
  timeout: 300,
  errors: ['APP_NOT_FOUND', 'PATH_NOT_FOUND', 'NO_DESKTOP_SESSION'],
  params: {
    type: 'object',
    required: ['script'],
    additionalProperties: false,
    properties: {
      script: {
        type: 'string',
        format: 'path',
        pattern: '\\.[nN][kK]$',
        description: 'Absolute path of the .nk script',
      },
      gui: {
        type: 'boolean',
        default: true,
        description:
          'true: open the Nuke GUI; false: load the script in terminal mode (-t) to check it and read its info',
      },
      nukex: { type: 'boolean', default: false, description: 'Open as NukeX (--nukex)' },
      studio: { type: 'boolean', default: false, description: 'Open as Nuke Studio (--studio); GUI only' },
      interactive_license: {
        type: 'boolean',
        description: 'gui: false only: use an interactive license (-i)',
      },
      nuke_version: {
        type: 'string',
        pattern: VERSION_PIN_PATTERN,
        description: 'Use this installed Nuke version',
      },
    },
  },
  result: {
    type: 'object',
    required: ['launched', 'pid', 'command', 'nuke'],
    properties: {
      launched: { type: 'boolean', description: 'true when a GUI Nuke was started' },
      pid: { type: ['integer', 'null'] },
      command: { type: 'array', items: { type: 'string' } },
      nuke: {
        type: 'object',
        properties: { path: { type: 'string' }, version: { type: ['string', 'null'] } },
      },
      info: SCRIPT_INFO_SCHEMA,
    },
  },
  async run(params, ctx) {
    const nukex = params.nukex ?? false;
    const studio = params.studio ?? false;
    const gui = params.gui ?? true;
    if (nukex && studio) {
      throw new OpenClawError(
        'INVALID_PARAMS',
        'params.studio cannot be combined with params.nukex: pick one product',
        {
          details: { field: 'params.studio' },
        },
      );
    }
    if (!gui && studio) {
      throw new OpenClawError(
        'INVALID_PARAMS',
        'params.studio needs the GUI: Nuke Studio has no terminal mode',
        {
          details: { field: 'params.studio' },
        },
      );
    }
    await requireScriptFile(params.script);
    const nuke = await locateNuke(ctx, params.nuke_version);
    const about = { path: nuke.path, version: nuke.pathVersion };

    if (!gui) {
      const info = await readScriptInfo(ctx, nuke.path, params.script, {
        interactiveLicense: params.interactive_license ?? nuke.config.interactive_license,
        nukex,
      });
      return { launched: false, pid: null, command: [], nuke: about, info };
    }
    const args = [...(nukex ? ['--nukex'] : []), ...(studio ? ['--studio'] : []), params.script];
    const launched = await ctx.launch(nuke.path, args);
    return { launched: true, pid: launched.pid ?? null, command: launched.command, nuke: about };
  },
});
