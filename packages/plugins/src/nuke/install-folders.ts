import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Platform } from '@openclaw-node/plugin-sdk';

/** One `Nuke{M.m}v{p}` install folder. */
export interface NukeFolder {
  /** The install root it was found under. */
  root: string;
  /** Absolute folder path, e.g. `/usr/local/Nuke15.1v3`. */
  dir: string;
  /** `15.1v3`. */
  version: string;
  major: number;
  minor: number;
  patch: number;
}

// Betas (`Nuke14.1v1-Beta.2`) and anything else are left out on purpose: a render farm job must not
// pick a pre-release because it sorts highest.
const FOLDER = /^Nuke(\d+)\.(\d+)v(\d+)$/;

/** Where Foundry's installers put Nuke by default on each OS (APPS.md §3.1). */
export function defaultInstallRoots(platform: Platform, home: string): string[] {
  switch (platform) {
    case 'windows':
      return ['C:\\Program Files'];
    case 'darwin':
      return ['/Applications'];
    case 'linux':
      return ['/usr/local', '/opt', home];
  }
}

function pathApi(platform: Platform): typeof path.posix {
  return platform === 'windows' ? path.win32 : path.posix;
}

/** Every versioned Nuke folder under the roots, newest version first (root order breaks ties). */
export async function listNukeFolders(roots: readonly string[], platform: Platform): Promise<NukeFolder[]> {
  const api = pathApi(platform);
  const found: NukeFolder[] = [];
  for (const root of roots) {
    let entries: string[];
    try {
      entries = await readdir(root);
    } catch {
      continue;
    }
    for (const name of entries) {
      const match = FOLDER.exec(name);
      if (!match) continue;
      const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
      found.push({
        root,
        dir: api.join(root, name),
        version: `${major}.${minor}v${patch}`,
        major,
        minor,
        patch,
      });
    }
  }
  // Array.prototype.sort is stable, so equal versions keep root order.
  return found.sort((a, b) => b.major - a.major || b.minor - a.minor || b.patch - a.patch);
}

/** True when a folder's version matches a pin: `15.1` takes any 15.1vN, `15.1v3` only itself. */
export function matchesPin(version: string, pin: string): boolean {
  return pin.includes('v') ? version === pin : version.startsWith(`${pin}v`);
}

/**
 * The binaries to try inside one install folder. The name differs per OS and era: `Nuke15.1.exe`,
 * `Nuke15.1`, and on macOS `Nuke15.1v3.app/Contents/MacOS/Nuke15.1` (Nuke 12+) or `…/Nuke10.0v3` (older).
 */
export function executablesIn(folder: NukeFolder, platform: Platform): string[] {
  const api = pathApi(platform);
  const short = `Nuke${folder.major}.${folder.minor}`;
  const long = `Nuke${folder.version}`;
  switch (platform) {
    case 'windows':
      return [api.join(folder.dir, `${short}.exe`)];
    case 'linux':
      return [api.join(folder.dir, short)];
    case 'darwin': {
      const macos = api.join(folder.dir, `${long}.app`, 'Contents', 'MacOS');
      return [api.join(macos, short), api.join(macos, long)];
    }
  }
}

/** A readable stand-in for a root with no install folder, listed in APP_NOT_FOUND's `searched`. */
export function folderPattern(root: string, platform: Platform): string {
  const api = pathApi(platform);
  switch (platform) {
    case 'windows':
      return api.join(root, 'Nuke{M.m}v{p}', 'Nuke{M.m}.exe');
    case 'linux':
      return api.join(root, 'Nuke{M.m}v{p}', 'Nuke{M.m}');
    case 'darwin':
      return api.join(root, 'Nuke{M.m}v{p}', 'Nuke{M.m}v{p}.app', 'Contents', 'MacOS', 'Nuke{M.m}');
  }
}

/** The Nuke version a path names, from its install folder (`15.1v3`) or its binary (`15.1`). */
export function versionFromPath(file: string): string | null {
  const folder = /Nuke(\d+\.\d+v\d+)(?![\d])/.exec(file);
  if (folder) return folder[1]!;
  const binary = /Nuke(\d+\.\d+)(?:\.exe)?$/i.exec(file);
  return binary ? binary[1]! : null;
}

/**
 * A configured path may name the binary itself, a macOS `.app` bundle or an install folder; turn
 * the latter two into the binary inside, so `plugin_config.nuke.path` can be written either way.
 */
export async function resolveConfiguredPath(configured: string, platform: Platform): Promise<string> {
  const api = pathApi(platform);
  const isDir = await stat(configured).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isDir) return configured;
  const base = api.basename(configured);
  const candidates: string[] = [];
  if (base.toLowerCase().endsWith('.app')) {
    const macos = api.join(configured, 'Contents', 'MacOS');
    const entries = await readdir(macos).catch(() => [] as string[]);
    candidates.push(...entries.filter((e) => /^Nuke\d+\.\d+(v\d+)?$/.test(e)).map((e) => api.join(macos, e)));
  } else {
    const match = FOLDER.exec(base);
    if (match) {
      const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const folder = {
        root: api.dirname(configured),
        dir: configured,
        version: `${major}.${minor}v${patch}`,
      };
      candidates.push(...executablesIn({ ...folder, major, minor, patch }, platform));
    }
  }
  for (const candidate of candidates) {
    if (
      await stat(candidate).then(
        (info) => info.isFile(),
        () => false,
      )
    )
      return candidate;
  }
  return configured;
}
