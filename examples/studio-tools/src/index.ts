import { definePlugin } from '@openclaw-node/plugin-sdk';
import { checksumSequence } from './checksum-sequence.js';
import { makeProxy } from './make-proxy.js';
import { ping } from './ping.js';
import { VERSION } from './version.js';

/**
 * studio-tools: checksums for image sequences and review proxies with ffmpeg. An example of a
 * third-party plugin: it uses only @openclaw-node/plugin-sdk, as any studio's own plugin would.
 */
export default definePlugin({
  name: 'studio-tools',
  version: VERSION,
  description: 'Image-sequence checksums and ffmpeg review proxies',
  platforms: ['windows', 'darwin', 'linux'],
  actions: { checksum_sequence: checksumSequence, make_proxy: makeProxy, ping },
});
