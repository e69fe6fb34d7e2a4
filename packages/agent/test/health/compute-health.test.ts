import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Platform } from '@openclaw-node/core';
import { defineAction, definePlugin } from '@openclaw-node/plugin-sdk';
import { createProcessRuntime } from '@openclaw-node/plugin-sdk/runtime';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistrySource, loadPluginCatalog, type RuntimeFactory } from '../../src/index.js';
import { computeHealth } from '../../src/health/compute-health.js';
import { healthRegistry, installFakePlayer } from './health-plugins.js';

const logger = pino({ level: 'silent' });
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-health-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The SDK's process runtime with a controlled environment: nothing found on PATH by accident. */
function runtimeWith(env: NodeJS.ProcessEnv): RuntimeFactory {
  return (options) => createProcessRuntime({ ...options, env });
}

async function check(
  entries: string[],
  options: {
    platform?: Platform;
    pluginConfig?: Record<string, Record<string, unknown>>;
    timeoutMs?: number;
    registry?: typeof healthRegistry;
    concurrency?: number;
  } = {},
) {
  const platform = options.platform ?? 'linux';
  const catalog = await loadPluginCatalog({
    entries,
    sources: [createRegistrySource(options.registry ?? healthRegistry)],
    platform,
    logger,
  });
  return computeHealth({
    catalog,
    pluginConfig: options.pluginConfig ?? {},
    platform,
    logger,
    createRuntime: runtimeWith({ PATH: path.join(dir, 'empty-bin') }),
    timeoutMs: options.timeoutMs ?? 2000,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  });
}

describe('computeHealth', () => {
  it('reports an application that is not installed, with where the plugin looked', async () => {
    const [player] = await check(['player']);
    expect(player).toEqual({
      plugin: 'player',
      available: false,
      reason: 'player was not found (looked in $PLAYER_EXE (unset), player on PATH)',
      checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
  });

  it('reports the application found through plugin_config, with the version it printed', async () => {
    const exe = await installFakePlayer(path.join(dir, 'opt'), '7.2.1');
    const [player] = await check(['player'], { pluginConfig: { player: { path: exe } } });
    expect(player).toEqual({
      plugin: 'player',
      available: true,
      app: { path: exe, version: '7.2.1' },
      checkedAt: expect.any(String),
    });
  });

  it('keeps per-action exceptions for actions the plugin has', async () => {
    const [farm] = await check(['farm']);
    expect(farm).toMatchObject({
      plugin: 'farm',
      available: true,
      actions: { submit: { available: false, reason: 'no render licence' } },
    });
    expect(farm!.actions).not.toHaveProperty('nosuch');
  });

  it('reports a plugin whose ping throws as unknown: available, with the error', async () => {
    const [broken] = await check(['broken']);
    expect(broken).toEqual({
      plugin: 'broken',
      available: true,
      reason: 'unknown: its health check failed (ACTION_FAILED: cannot read properties of undefined)',
      checkedAt: expect.any(String),
    });
  });

  it('gives up on a ping that hangs after the deadline and reports it as unknown', async () => {
    const [hung] = await check(['hung'], { timeoutMs: 200 });
    expect(hung).toEqual({
      plugin: 'hung',
      available: true,
      reason: 'unknown: its health check failed (TIMEOUT: hung.ping did not finish within 200 ms)',
      checkedAt: expect.any(String),
    });
  });

  it('reports a plugin without ping as unknown', async () => {
    const [silent] = await check(['silent']);
    expect(silent).toMatchObject({
      available: true,
      reason: 'unknown: the plugin has no ping action to check it with',
    });
  });

  it('reports a plugin skipped for this platform as unavailable, and no other skipped plugin', async () => {
    const health = await check(['winexplorer', 'nosuch', 'farm']);
    expect(health.map((h) => h.plugin)).toEqual(['farm', 'winexplorer']);
    expect(health[1]).toEqual({
      plugin: 'winexplorer',
      available: false,
      reason: 'platform unsupported (supports windows only; this node runs linux)',
      checkedAt: expect.any(String),
    });
  });

  it('checks every plugin, sorted by name, a few at a time', async () => {
    let running = 0;
    let most = 0;
    const slow = (name: string) =>
      definePlugin({
        name,
        version: '1.0.0',
        description: name,
        platforms: ['linux'],
        actions: {
          ping: defineAction({
            description: 'Slow ping',
            params: { type: 'object', properties: {} },
            async run() {
              running += 1;
              most = Math.max(most, running);
              await new Promise((resolve) => setTimeout(resolve, 30));
              running -= 1;
              return { ok: true, available: true, app: null };
            },
          }),
        },
      });
    const names = ['e', 'd', 'c', 'b', 'a', 'f'];
    const health = await check(names, {
      registry: Object.fromEntries(names.map((n) => [n, slow(n)])),
      concurrency: 2,
    });
    expect(health.map((h) => h.plugin)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(health.every((h) => h.available)).toBe(true);
    expect(most).toBe(2);
  });

  it('runs the ping with the plugin config and platform the executor would give it', async () => {
    const seen: unknown[] = [];
    const probe = definePlugin({
      name: 'probe',
      version: '1.0.0',
      description: 'Probe',
      platforms: ['darwin'],
      actions: {
        ping: defineAction({
          description: 'Record the context',
          params: { type: 'object', properties: {} },
          run(_params, ctx) {
            seen.push({ config: ctx.config, platform: ctx.platform, aborted: ctx.signal.aborted });
            return { ok: true, available: true, app: null };
          },
        }),
      },
    });
    await check(['probe'], {
      registry: { probe },
      platform: 'darwin',
      pluginConfig: { probe: { site: 'studio' } },
    });
    expect(seen).toEqual([{ config: { site: 'studio' }, platform: 'darwin', aborted: false }]);
  });
});
