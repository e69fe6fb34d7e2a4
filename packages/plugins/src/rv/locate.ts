import { homedir } from 'node:os';
import path from 'node:path';
import { requireApp, type Platform, type WhichResult, type WhichSpec } from '@openclaw-node/plugin-sdk';
import type { RvContext } from './config.js';

/** Which of the two programs: the player, or the client that talks to a running player. */
export type RvProgram = 'rv' | 'rvpush';

/**
 * Vendor install locations (APPS.md §2.1), `*` over versioned folders (newest first). Autodesk's
 * 2024+ folders come before the older ShotGrid/Shotgun ones.
 */
export function installLocations(
  program: RvProgram,
  platform: Platform,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  switch (platform) {
    case 'windows': {
      const exe = `${program}.exe`;
      const programFiles = env.ProgramFiles ?? 'C:\\Program Files';
      const programFilesX86 = env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)';
      return [
        ...['Autodesk', 'ShotGrid', 'Shotgun'].map((vendor) =>
          path.win32.join(programFiles, vendor, 'RV-*', 'bin', exe),
        ),
        path.win32.join(programFilesX86, 'RV', 'bin', exe),
      ];
    }
    case 'darwin': {
      const inner = program === 'rv' ? 'RV' : 'rvpush';
      const bundles = [
        '/Applications/RV.app',
        '/Applications/RV*.app',
        '/Applications/Autodesk/RV*.app',
        '/Applications/Shotgun/RV*.app',
        path.posix.join(homedir(), 'Applications', 'RV*.app'),
      ];
      return [
        ...bundles.map((bundle) => `${bundle}/Contents/MacOS/${inner}`),
        `/Applications/RV64.app/Contents/MacOS/${program === 'rv' ? 'RV64' : 'rvpush'}`,
      ];
    }
    case 'linux':
      return [
        '/opt/Autodesk/RV-*',
        '/usr/local/Autodesk/RV-*',
        '/opt/rv-*',
        '/usr/local/rv-*',
        '/opt/rv',
        '/opt/OpenRV',
      ].map((root) => `${root}/bin/${program}`);
  }
}

/** Where to look for rv: config `path`, $AGENT_RV_EXE, install locations, PATH. */
export function rvSpec(ctx: Pick<RvContext, 'config' | 'platform'>): WhichSpec {
  const config = ctx.config;
  const spec: WhichSpec = {
    names: ctx.platform === 'windows' ? ['rv.exe'] : ctx.platform === 'darwin' ? ['RV', 'rv'] : ['rv'],
    envVars: ['AGENT_RV_EXE'],
    locations: installLocations('rv', ctx.platform),
  };
  if (config.path) spec.configPath = config.path;
  return spec;
}

/** Where to look for rvpush: config `rvpush_path`, $AGENT_RVPUSH_EXE, next to rv, install locations, PATH. */
export function rvpushSpec(ctx: Pick<RvContext, 'config' | 'platform'>, rvPath: string | null): WhichSpec {
  const config = ctx.config;
  const exe = ctx.platform === 'windows' ? 'rvpush.exe' : 'rvpush';
  const pathApi = ctx.platform === 'windows' ? path.win32 : path.posix;
  const sibling = rvPath ? [pathApi.join(pathApi.dirname(rvPath), exe)] : [];
  const spec: WhichSpec = {
    names: [exe],
    envVars: ['AGENT_RVPUSH_EXE'],
    locations: [...sibling, ...installLocations('rvpush', ctx.platform)],
  };
  if (config.rvpush_path) spec.configPath = config.rvpush_path;
  return spec;
}

/** Look for rv; null path when absent. */
export function findRv(ctx: RvContext): Promise<WhichResult> {
  return ctx.which(rvSpec(ctx));
}

/** Find rv or throw APP_NOT_FOUND naming every place looked. */
export async function requireRv(ctx: RvContext): Promise<string> {
  return requireApp('rv', await findRv(ctx));
}

/** Find rvpush (preferring the one beside rv) or throw APP_NOT_FOUND naming every place looked. */
export async function requireRvpush(ctx: RvContext, rvPath: string | null): Promise<string> {
  return requireApp('rvpush', await ctx.which(rvpushSpec(ctx, rvPath)));
}
