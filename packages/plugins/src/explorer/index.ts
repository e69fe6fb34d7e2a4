import { definePlugin } from '@openclaw-node/plugin-sdk';
import { openFolder } from './open-folder.js';
import { ping } from './ping.js';
import { revealFile } from './reveal-file.js';
import { explorerConfig } from './config.js';

/**
 * The file-manager plugin: open a folder or reveal a file on the artist's screen.
 * @example await runAction(explorerPlugin, 'reveal_file', { params: { path: '/show/sh010/comp/v003.exr' } })
 */
export const explorerPlugin = definePlugin({
  name: 'explorer',
  config: explorerConfig,
  version: '1.0.0',
  description: 'Open folders and reveal files in Explorer, Finder or the Linux file manager',
  platforms: ['windows', 'darwin', 'linux'],
  actions: { open_folder: openFolder, reveal_file: revealFile, ping },
});

export default explorerPlugin;
