import { RESOLVE_ERRORS } from './error-codes.js';
import { definePlugin } from '@openclaw-node/plugin-sdk';
import { addToMediaPool } from './add-to-media-pool.js';
import { createTimeline } from './create-timeline.js';
import { getCurrentProject } from './get-current-project.js';
import { ping } from './ping.js';
import { resolveConfig } from './config.js';

/**
 * DaVinci Resolve through its scripting API, driven by a bundled Python bridge run out of process.
 * @example await runAction(resolvePlugin, 'add_to_media_pool', { params: { files: ['/show/plates/a.mov'], bin: 'Plates' } })
 */
export const resolvePlugin = definePlugin({
  name: 'resolve',
  config: resolveConfig,
  version: '1.0.0',
  description: 'DaVinci Resolve: import media, create timelines, inspect the current project',
  errors: RESOLVE_ERRORS,
  platforms: ['windows', 'darwin', 'linux'],
  actions: {
    add_to_media_pool: addToMediaPool,
    create_timeline: createTimeline,
    get_current_project: getCurrentProject,
    ping,
  },
});

export default resolvePlugin;
export { locateBridgeScript } from './bridge-script.js';
