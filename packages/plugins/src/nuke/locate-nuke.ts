import { homedir } from 'node:os';
import { OpenClawError, requireApp, type WhichResult } from '@openclaw-node/plugin-sdk';
import {
  defaultInstallRoots,
  executablesIn,
  folderPattern,
  listNukeFolders,
  matchesPin,
  resolveConfiguredPath,
  versionFromPath,
} from './install-folders.js';
import type { NukeConfig, NukeContext } from './nuke-config.js';

/** The env var that may hold the Nuke binary (APPS.md §0). */
export const NUKE_ENV_VAR = 'AGENT_NUKE_EXE';

/** Where Nuke was found, or not: `ctx.which`'s answer plus the version its path names. */
export interface NukeLookup extends WhichResult {
  /** From the install folder or binary name (`15.1v3`, `15.1`); null for a bare `nuke` on PATH. */
  pathVersion: string | null;
  config: NukeConfig;
}

/**
 * Look for Nuke: `plugin_config.nuke.path`, then AGENT_NUKE_EXE, then every `Nuke{M.m}v{p}` folder
 * under the install roots newest first, then `nuke` on PATH. A pinned version (param or config)
 * searches only the install folders of that version.
 */
export async function findNuke(ctx: NukeContext, pin?: string): Promise<NukeLookup> {
  const config = ctx.config;
  const wanted = pin ?? config.version;
  const roots = config.install_roots ?? defaultInstallRoots(ctx.platform, homedir());
  const folders = (await listNukeFolders(roots, ctx.platform)).filter(
    (f) => !wanted || matchesPin(f.version, wanted),
  );
  const locations: string[] = [];
  for (const root of roots) {
    // Folders are sorted across roots; this only adds a readable placeholder for empty roots.
    if (!folders.some((f) => f.root === root)) locations.push(folderPattern(root, ctx.platform));
  }
  locations.unshift(...folders.flatMap((folder) => executablesIn(folder, ctx.platform)));

  const found = await ctx.which(
    wanted
      ? { names: [], locations }
      : {
          names: ctx.platform === 'windows' ? ['nuke'] : ['nuke', 'Nuke'],
          ...(config.path ? { configPath: await resolveConfiguredPath(config.path, ctx.platform) } : {}),
          envVars: [NUKE_ENV_VAR],
          locations,
        },
  );
  return { ...found, pathVersion: found.path ? versionFromPath(found.path) : null, config };
}

/** The Nuke binary to run, or APP_NOT_FOUND naming every place looked. */
export async function locateNuke(ctx: NukeContext, pin?: string): Promise<NukeLookup & { path: string }> {
  const found = await findNuke(ctx, pin);
  const wanted = pin ?? found.config.version;
  if (!found.path && wanted) {
    throw new OpenClawError(
      'APP_NOT_FOUND',
      `Nuke ${wanted} was not found; looked in: ${found.searched.join(', ')}`,
      {
        details: { app: 'Nuke', version: wanted, searched: found.searched },
      },
    );
  }
  return { ...found, path: requireApp('Nuke', found) };
}
