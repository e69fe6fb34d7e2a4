import { SHOTGRID_ERRORS } from './error-codes.js';
import { definePlugin } from '@openclaw-node/plugin-sdk';
import { getShotInfo } from './get-shot-info.js';
import { ping } from './ping.js';
import { publishVersion } from './publish-version.js';
import { updateTaskStatus } from './update-task-status.js';
import { shotgridConfig } from './config.js';

/**
 * ShotGrid / Flow Production Tracking through its REST API v1 with a script's credentials.
 * @example await runAction(shotgridPlugin, 'update_task_status', { params: { task_id: 4567, status: 'ip' }, config })
 */
export const shotgridPlugin = definePlugin({
  name: 'shotgrid',
  config: shotgridConfig,
  version: '1.0.0',
  description: 'ShotGrid / Flow Production Tracking: publish Versions, set Task status, read Shots',
  platforms: ['windows', 'darwin', 'linux'],
  errors: SHOTGRID_ERRORS,
  actions: {
    publish_version: publishVersion,
    update_task_status: updateTaskStatus,
    get_shot_info: getShotInfo,
    ping,
  },
});

export default shotgridPlugin;
export { clearTokenCache } from './token-cache.js';
