import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isAbsolutePathValue, isOpenClawError, OpenClawError, type Platform } from '@openclaw-node/core';

/** The file-system calls the guard needs; injectable so Windows rules can be tested anywhere. */
export interface PathGuardFs {
  realpath(target: string): Promise<string>;
  lstat(target: string): Promise<unknown>;
}

export interface PathGuardOptions {
  allowedPaths: readonly string[];
  platform: Platform;
  fs?: PathGuardFs;
}

/** Checks `format: "path"` values against allowed_paths before any handler sees them. */
export interface PathGuard {
  /**
   * Resolve `value` (symlinks and `..` followed) and throw unless it lies inside an allowed root; returns the
   * real path (for a path that does not exist yet, its nearest existing ancestor's real path plus the rest).
   */
  check(value: string, field: string): Promise<string>;
  /** allowed_paths entries absolute on this OS: the roots a path must lie in (as configured, not resolved). */
  readonly roots: readonly string[];
  /** allowed_paths entries that are absolute only on another OS (a config shared across OSes); never matched. */
  readonly ignoredRoots: readonly string[];
}

const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:[\\/]|[\\/]{2}[^\\/?.][^\\/]*[\\/][^\\/]+)/;
const MISSING = new Set(['ENOENT', 'ENOTDIR']);

/**
 * Create the guard for this node's allowed_paths. Roots are resolved to real paths at each check, so a
 * mount that appears later is honoured; comparison is per path segment and case-insensitive on Windows.
 * @example await createPathGuard({ allowedPaths: ['/mnt/projects'], platform: 'linux' }).check('/mnt/projects/a.exr', 'params.path')
 */
export function createPathGuard(options: PathGuardOptions): PathGuard {
  const windows = options.platform === 'windows';
  const p = windows ? path.win32 : path.posix;
  const fsApi = options.fs ?? { realpath: (t: string) => fs.realpath(t), lstat: (t: string) => fs.lstat(t) };
  const isLocalAbsolute = (value: string) =>
    isAbsolutePathValue(value) && (windows ? WINDOWS_ABSOLUTE.test(value) : value.startsWith('/'));
  const roots = options.allowedPaths.filter(isLocalAbsolute);
  const ignoredRoots = options.allowedPaths.filter((root) => !isLocalAbsolute(root));
  const key = (resolved: string) => {
    const normal = p.resolve(resolved);
    return windows ? normal.toLowerCase() : normal;
  };

  // Real path of `target`, resolved one component at a time from its root: each existing component is
  // replaced by its real path (symlinks followed) before the next is applied, so a `..` always leaves a
  // folder the file system named, never a symlink put back by text. A component that does not exist is
  // kept as a name (nothing to follow); a `..` after it drops that name again, and resolution goes on
  // from the real folder before it. A dangling symlink is refused: writing through it would land anywhere.
  const resolveReal = async (target: string): Promise<string> => {
    const { root } = p.parse(target);
    const parts = target.slice(root.length).split(windows ? /[\\/]+/ : /\/+/);
    let real = p.resolve(await fsApi.realpath(root));
    const missing: string[] = [];
    for (const part of parts) {
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (missing.length > 0) missing.pop();
        else real = p.dirname(real);
        continue;
      }
      if (missing.length > 0) {
        missing.push(part);
        continue;
      }
      const next = p.join(real, part);
      try {
        real = p.resolve(await fsApi.realpath(next));
      } catch (error) {
        if (!MISSING.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
        if (await exists(fsApi, next)) {
          throw new OpenClawError('PATH_NOT_ALLOWED', `${next} is a broken symbolic link`, {
            details: { path: target },
          });
        }
        missing.push(part);
      }
    }
    return missing.length === 0 ? real : p.resolve(real, ...missing);
  };

  const inside = (root: string, candidate: string) => {
    const r = key(root);
    const c = key(candidate);
    if (c === r) return true;
    return c.startsWith(r.endsWith(p.sep) ? r : r + p.sep);
  };

  return {
    roots,
    ignoredRoots,
    async check(value, field) {
      if (!isLocalAbsolute(value)) {
        const example = windows ? 'P:\\projects\\shot010' : '/mnt/projects/shot010';
        throw new OpenClawError(
          'INVALID_PARAMS',
          `${field} must be an absolute path on this node (${options.platform}), e.g. ${example}; got ${JSON.stringify(value.slice(0, 200))}`,
          { details: { field, path: value } },
        );
      }
      if (roots.length === 0) {
        throw new OpenClawError(
          'PATH_NOT_ALLOWED',
          `${field}: this node allows no paths: list the folders actions may use under allowed_paths in its node_config.yaml, e.g. allowed_paths: [${windows ? '"P:\\\\projects"' : '/mnt/projects'}]`,
          { details: { field, path: value, allowed_paths: [] } },
        );
      }
      let resolved: string;
      try {
        resolved = await resolveReal(value);
      } catch (error) {
        throw denial(field, value, error);
      }
      for (const root of roots) {
        let realRoot: string;
        try {
          realRoot = await resolveReal(root);
        } catch {
          continue;
        }
        if (inside(realRoot, resolved)) return resolved;
      }
      const via = resolved === value ? '' : ` (it resolves to ${resolved})`;
      throw new OpenClawError(
        'PATH_NOT_ALLOWED',
        `${field}: ${value}${via} is outside this node's allowed_paths (${roots.join(', ')})`,
        { details: { field, path: value, resolved, allowed_paths: [...roots] } },
      );
    },
  };
}

async function exists(fsApi: PathGuardFs, target: string): Promise<boolean> {
  try {
    await fsApi.lstat(target);
    return true;
  } catch {
    return false;
  }
}

function denial(field: string, value: string, error: unknown): OpenClawError {
  const detail = isOpenClawError(error) ? error.message : ((error as NodeJS.ErrnoException).code ?? 'error');
  return new OpenClawError(
    'PATH_NOT_ALLOWED',
    `${field}: ${value} cannot be checked against allowed_paths: ${detail}`,
    {
      details: { field, path: value },
    },
  );
}
