import { access, readdir, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import type { Platform } from '@openclaw-node/core';
import type { WhichResult, WhichSpec } from '../context.js';
import { compareNewestFirst } from './version-sort.js';

/**
 * Find an executable: the configured path, then environment variables, then install locations
 * (with `*` segments expanded newest version first), then PATH. Records every place looked.
 */
export async function findExecutable(
  environment: { platform: Platform; env: NodeJS.ProcessEnv },
  spec: WhichSpec,
): Promise<WhichResult> {
  const { platform, env } = environment;
  const pathApi = platform === 'windows' ? path.win32 : path.posix;
  const searched: string[] = [];
  const tryFile = async (candidate: string): Promise<boolean> => {
    searched.push(candidate);
    return isExecutable(candidate, platform);
  };

  if (spec.configPath) {
    if (await tryFile(spec.configPath)) return { path: spec.configPath, source: 'config', searched };
  }
  for (const name of spec.envVars ?? []) {
    const value = env[name];
    if (!value) {
      searched.push(`$${name} (unset)`);
      continue;
    }
    if (await tryFile(value)) return { path: value, source: 'env', searched };
  }
  for (const location of spec.locations ?? []) {
    const matches = location.includes('*') ? await expandGlob(location, pathApi) : [location];
    if (matches.length === 0) searched.push(location);
    for (const match of matches) {
      if (await tryFile(match)) return { path: match, source: 'location', searched };
    }
  }
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'windows' ? ';' : ':').filter(Boolean);
  const extensions =
    platform === 'windows'
      ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').map((e) => e.toLowerCase())]
      : [''];
  for (const name of spec.names) {
    for (const dir of dirs) {
      for (const ext of name.includes('.') ? [''] : extensions) {
        const candidate = pathApi.join(dir, name + ext);
        if (await isExecutable(candidate, platform)) {
          searched.push(candidate);
          return { path: candidate, source: 'path', searched };
        }
      }
    }
    searched.push(`${name} on PATH`);
  }
  return { path: null, source: null, searched };
}

async function isExecutable(file: string, platform: Platform): Promise<boolean> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return false;
    if (platform !== 'windows') await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Expand `*` in any segment of an absolute path; each level sorted newest version first. */
async function expandGlob(pattern: string, pathApi: typeof path.posix): Promise<string[]> {
  const root = pathApi.parse(pattern).root;
  const segments = pattern.slice(root.length).split(/[\\/]/).filter(Boolean);
  let current = [root];
  for (const segment of segments) {
    const next: string[] = [];
    if (!segment.includes('*')) {
      for (const dir of current) next.push(pathApi.join(dir, segment));
    } else {
      const regex = new RegExp(`^${segment.split('*').map(escapeRegex).join('.*')}$`, 'i');
      for (const dir of current) {
        let entries: string[];
        try {
          entries = await readdir(dir);
        } catch {
          continue;
        }
        for (const entry of entries.filter((e) => regex.test(e)).sort(compareNewestFirst)) {
          next.push(pathApi.join(dir, entry));
        }
      }
    }
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
