import { OPENCLAW_VERSION, type HelloPayload, type PluginManifest } from '@openclaw-node/core';
import { toManifest } from '@openclaw-node/plugin-sdk';
import { builtinPlugins } from '@openclaw-node/plugins';
import { benchPlugin } from '../bench-plugin.js';

/** The manifests the real built-in plugins advertise (explorer, nuke, resolve, rv, shotgrid). */
export function builtinManifests(): PluginManifest[] {
  return Object.values(builtinPlugins).map((plugin) => toManifest(plugin));
}

/** The hello of a simulated Linux workstation: the five built-in manifests, plus `bench` if asked. */
export function simulatedHello(options: { bench: boolean }): HelloPayload {
  return {
    nodeId: 'sim',
    hostname: 'sim',
    platform: 'linux',
    arch: 'x64',
    agentVersion: OPENCLAW_VERSION,
    tags: ['bench'],
    plugins: [...builtinManifests(), ...(options.bench ? [toManifest(benchPlugin)] : [])],
    skipped: [],
  };
}
