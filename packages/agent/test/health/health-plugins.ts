import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defineAction, definePlugin, type PluginDefinition } from '@openclaw-node/plugin-sdk';

/**
 * A plugin shaped like the built-in rv: its ping looks for the `player` executable (config path,
 * PLAYER_EXE, PATH) and runs `player --version` for the version, as rv.ping does.
 */
export const playerPlugin = definePlugin({
  name: 'player',
  version: '1.0.0',
  description: 'A review player',
  platforms: ['windows', 'darwin', 'linux'],
  actions: {
    ping: defineAction({
      description: 'Find the player',
      params: { type: 'object', additionalProperties: false, properties: {} },
      async run(_params, ctx) {
        const configPath = typeof ctx.config.path === 'string' ? ctx.config.path : undefined;
        const found = await ctx.which({
          names: ['player'],
          ...(configPath ? { configPath } : {}),
          envVars: ['PLAYER_EXE'],
        });
        const base = { ok: true as const, plugin: 'player', platform: ctx.platform };
        if (!found.path) {
          return {
            ...base,
            available: false,
            app: null,
            reason: 'player was not found',
            searched: found.searched,
          };
        }
        const version = await ctx.run(found.path, ['--version']);
        return {
          ...base,
          available: true,
          app: { path: found.path, version: version.stdout.trim() || null, source: found.source },
        };
      },
    }),
    open: defineAction({
      description: 'Open media',
      params: { type: 'object', properties: {} },
      run: () => ({ opened: true }),
    }),
    push: defineAction({
      description: 'Push media into a running player',
      params: { type: 'object', properties: {} },
      run: () => ({ pushed: true }),
    }),
  },
});

/** A plugin whose ping reports one action it cannot serve. */
export const farmPlugin = definePlugin({
  name: 'farm',
  version: '2.0.0',
  description: 'Render farm',
  platforms: ['windows', 'darwin', 'linux'],
  actions: {
    ping: defineAction({
      description: 'Check the farm',
      params: { type: 'object', properties: {} },
      run: () => ({
        ok: true,
        available: true,
        app: null,
        actions: {
          submit: { available: false, reason: 'no render licence' },
          nosuch: { available: false, reason: 'not an action of this plugin' },
        },
      }),
    }),
    submit: defineAction({
      description: 'Submit',
      params: { type: 'object', properties: {} },
      run: () => ({}),
    }),
    status: defineAction({
      description: 'Status',
      params: { type: 'object', properties: {} },
      run: () => ({}),
    }),
  },
});

/** A plugin whose ping throws. */
export const brokenPlugin = definePlugin({
  name: 'broken',
  version: '1.0.0',
  description: 'Its self-check is buggy',
  platforms: ['windows', 'darwin', 'linux'],
  actions: {
    ping: defineAction({
      description: 'Throw',
      params: { type: 'object', properties: {} },
      run() {
        throw new Error('cannot read properties of undefined');
      },
    }),
  },
});

/** A plugin whose ping never answers and ignores its signal. */
export const hungPlugin = definePlugin({
  name: 'hung',
  version: '1.0.0',
  description: 'Its self-check hangs',
  platforms: ['windows', 'darwin', 'linux'],
  actions: {
    ping: defineAction({
      description: 'Hang',
      params: { type: 'object', properties: {} },
      run: () => new Promise<never>(() => undefined),
    }),
  },
});

/** A plugin without a ping action. */
export const silentPlugin = definePlugin({
  name: 'silent',
  version: '1.0.0',
  description: 'No ping',
  platforms: ['windows', 'darwin', 'linux'],
  actions: {
    hello: defineAction({ description: 'Hi', params: { type: 'object', properties: {} }, run: () => ({}) }),
  },
});

/** A plugin for Windows only: skipped on linux. */
export const explorerLikePlugin = definePlugin({
  name: 'winexplorer',
  version: '1.0.0',
  description: 'Windows Explorer',
  platforms: ['windows'],
  actions: {
    ping: defineAction({
      description: 'Ping',
      params: { type: 'object', properties: {} },
      run: () => ({ ok: true, available: true, app: null }),
    }),
  },
});

export const healthRegistry: Record<string, PluginDefinition> = {
  player: playerPlugin,
  farm: farmPlugin,
  broken: brokenPlugin,
  hung: hungPlugin,
  silent: silentPlugin,
  winexplorer: explorerLikePlugin,
};

/** Write a fake `player` executable (a node script printing its version, as a real player does). */
export async function installFakePlayer(dir: string, version = '7.2.1'): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'player');
  await writeFile(
    file,
    `#!${process.execPath}\nif (process.argv[2] === '--version') console.log(${JSON.stringify(version)});\n`,
  );
  await chmod(file, 0o755);
  return file;
}
