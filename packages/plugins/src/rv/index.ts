import { RV_ERRORS } from './error-codes.js';
import { definePlugin } from '@openclaw-node/plugin-sdk';
import { openSession } from './open-session.js';
import { openSources } from './open-sources.js';
import { ping } from './ping.js';
import { rvConfig } from './config.js';

/**
 * The RV review player plugin: open media or a session in a new RV, or push into a running one.
 * @example await runAction(rvPlugin, 'open_sources', { params: { sources: ['/show/sh010/plates/sh010.1001-1100#.exr'], play: true } })
 */
export const rvPlugin = definePlugin({
  name: 'rv',
  config: rvConfig,
  version: '1.0.0',
  description: 'RV review player (Autodesk RV, OpenRV): open media and sessions, push into a running RV',
  platforms: ['windows', 'darwin', 'linux'],
  errors: RV_ERRORS,
  actions: { open_sources: openSources, open_session: openSession, ping },
});

export default rvPlugin;
