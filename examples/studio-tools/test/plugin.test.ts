import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isPluginDefinition, toManifest } from '@openclaw-node/plugin-sdk';
import { lintPluginDefinition } from '@openclaw-node/plugin-sdk/lint';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

describe('studio-tools', () => {
  it('is a valid plugin whose version matches package.json', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(isPluginDefinition(plugin)).toBe(true);
    expect(plugin.version).toBe(pkg.version);
    expect(Object.keys(toManifest(plugin).actions)).toEqual(['checksum_sequence', 'make_proxy', 'ping']);
  });

  it('passes the plugin linter (manifest validation included) without a warning', () => {
    expect(
      lintPluginDefinition(plugin, { file: fileURLToPath(new URL('../src/index.ts', import.meta.url)) }),
    ).toEqual([]);
  });

  it('answers ping, saying where ffmpeg is', async () => {
    const found = await runAction(plugin, 'ping', {
      platform: 'linux',
      onWhich: () => ({ path: '/usr/bin/ffmpeg', source: 'location', searched: ['/usr/bin/ffmpeg'] }),
    });
    expect(found.result).toEqual({
      ok: true,
      plugin: 'studio-tools',
      version: plugin.version,
      platform: 'linux',
      ffmpeg: '/usr/bin/ffmpeg',
    });
    const none = await runAction(plugin, 'ping', {
      onWhich: () => ({ path: null, source: null, searched: [] }),
    });
    expect(none.result).toMatchObject({ ok: true, ffmpeg: null });
  });
});
