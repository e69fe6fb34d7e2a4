import { definePlugin } from '@openclaw-node/plugin-sdk';
import { getInfo } from './get-info.js';
import { openScript } from './open-script.js';
import { ping } from './ping.js';
import { renderWrite } from './render-write.js';
import { NUKE_ERRORS } from './error-codes.js';
import { nukeConfig } from './nuke-config.js';

/**
 * The built-in Foundry Nuke plugin: batch renders, GUI launches and script inspection.
 * @example await runAction(nukePlugin, 'render_write', { params: { script: '/show/a.nk', frame_range: '1-10' } })
 */
export const nukePlugin = definePlugin({
  name: 'nuke',
  config: nukeConfig,
  version: '1.0.0',
  description: 'Foundry Nuke: render Write nodes in batch mode, open scripts in the GUI, read script info',
  platforms: ['windows', 'darwin', 'linux'],
  errors: NUKE_ERRORS,
  actions: {
    render_write: renderWrite,
    open_script: openScript,
    get_info: getInfo,
    ping,
  },
});

export default nukePlugin;
