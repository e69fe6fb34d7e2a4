import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOpenClawError } from '@openclaw-node/core';
import { createPathGuard, type PathGuard, type PathGuardFs } from '../../src/index.js';

async function refusal(guard: PathGuard, value: string, field = 'params.path') {
  const error = await guard.check(value, field).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isOpenClawError(error)) throw new Error(`expected ${value} to be refused`);
  return error;
}

describe('PathGuard on POSIX (real file system)', () => {
  let tmp: string;
  let show: string;
  let guard: PathGuard;

  beforeAll(async () => {
    tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'openclaw-guard-')));
    show = path.join(tmp, 'show');
    await mkdir(path.join(show, 'sh010', 'comp'), { recursive: true });
    await mkdir(path.join(tmp, 'show2'));
    await mkdir(path.join(tmp, 'secret'));
    await writeFile(path.join(show, 'sh010', 'comp', 'plate.exr'), 'exr');
    await writeFile(path.join(tmp, 'secret', 'passwd'), 'x');
    await symlink(path.join(tmp, 'secret'), path.join(show, 'escape'));
    await symlink(path.join(show, 'sh010'), path.join(tmp, 'shortcut'));
    await symlink(path.join(tmp, 'secret', 'not-yet'), path.join(show, 'dangling'));
    guard = createPathGuard({ allowedPaths: [show], platform: 'linux' });
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('allows a path inside an allowed root, and the root itself', async () => {
    const plate = path.join(show, 'sh010', 'comp', 'plate.exr');
    await expect(guard.check(plate, 'params.path')).resolves.toBe(plate);
    await expect(guard.check(show, 'params.path')).resolves.toBe(show);
  });

  it('refuses a path outside every root, naming the field and the roots', async () => {
    const error = await refusal(guard, path.join(tmp, 'secret', 'passwd'), 'params.sources[2]');
    expect(error.code).toBe('PATH_NOT_ALLOWED');
    expect(error.message).toBe(
      `params.sources[2]: ${path.join(tmp, 'secret', 'passwd')} is outside this node's allowed_paths (${show})`,
    );
    expect(error.details).toMatchObject({ field: 'params.sources[2]', allowed_paths: [show] });
  });

  it('follows .. before comparing', async () => {
    const error = await refusal(guard, `${show}/sh010/../../secret/passwd`);
    expect(error.code).toBe('PATH_NOT_ALLOWED');
    expect(error.message).toContain(`it resolves to ${path.join(tmp, 'secret', 'passwd')}`);
    await expect(guard.check(`${show}/sh010/../sh010/comp`, 'params.path')).resolves.toBe(
      path.join(show, 'sh010', 'comp'),
    );
  });

  it('follows a symlink that leads out of the root', async () => {
    const error = await refusal(guard, path.join(show, 'escape', 'passwd'));
    expect(error.code).toBe('PATH_NOT_ALLOWED');
    expect(error.details?.resolved).toBe(path.join(tmp, 'secret', 'passwd'));
  });

  it('allows a symlink from outside that leads into the root', async () => {
    await expect(guard.check(path.join(tmp, 'shortcut', 'comp'), 'params.path')).resolves.toBe(
      path.join(show, 'sh010', 'comp'),
    );
  });

  it('is not fooled by a sibling that shares the prefix (/show2 is not inside /show)', async () => {
    expect((await refusal(guard, path.join(tmp, 'show2', 'x.exr'))).code).toBe('PATH_NOT_ALLOWED');
  });

  it('allows a target that does not exist yet under a root, and resolves .. in the missing part', async () => {
    const render = path.join(show, 'sh010', 'comp', 'v002', 'render.####.exr');
    await expect(guard.check(render, 'params.output')).resolves.toBe(render);
    expect((await refusal(guard, `${show}/nope/../../secret/new.txt`)).code).toBe('PATH_NOT_ALLOWED');
  });

  it('follows a symlink reached through .. after a missing folder (issue 11), to a file or a folder', async () => {
    for (const value of [
      `${show}/nope/../escape`,
      `${show}/nope/../escape/passwd`,
      `${show}/a/b/../../escape/x`,
    ]) {
      const error = await refusal(guard, value);
      expect(error.code).toBe('PATH_NOT_ALLOWED');
      expect(String(error.details?.resolved)).toMatch(new RegExp(`^${tmp}/secret`));
    }
    await expect(guard.check(`${show}/nope/../sh010/comp/plate.exr`, 'params.path')).resolves.toBe(
      path.join(show, 'sh010', 'comp', 'plate.exr'),
    );
  });

  it('refuses a dangling symlink, which could be written through to anywhere', async () => {
    const error = await refusal(guard, path.join(show, 'dangling'));
    expect(error.code).toBe('PATH_NOT_ALLOWED');
    expect(error.message).toContain('broken symbolic link');
  });

  it('refuses relative paths, flags and paths of another OS as invalid params', async () => {
    for (const value of ['show/sh010', '-rf', '--help', 'C:\\show', '']) {
      const error = await refusal(guard, value, 'params.path');
      expect(error.code).toBe('INVALID_PARAMS');
      expect(error.message).toMatch(/^params.path must be an absolute path on this node \(linux\)/);
    }
  });

  it('denies every path when allowed_paths is empty, and says how to configure it', async () => {
    const empty = createPathGuard({ allowedPaths: [], platform: 'linux' });
    const error = await refusal(empty, path.join(show, 'sh010'));
    expect(error.code).toBe('PATH_NOT_ALLOWED');
    expect(error.message).toBe(
      'params.path: this node allows no paths: list the folders actions may use under allowed_paths in its node_config.yaml, e.g. allowed_paths: [/mnt/projects]',
    );
  });

  it('resolves the roots too, so a root given through a symlink still matches', async () => {
    const viaLink = createPathGuard({ allowedPaths: [path.join(tmp, 'shortcut')], platform: 'linux' });
    await expect(viaLink.check(path.join(show, 'sh010', 'comp'), 'params.path')).resolves.toBe(
      path.join(show, 'sh010', 'comp'),
    );
  });

  it('ignores roots written for another OS', () => {
    const shared = createPathGuard({ allowedPaths: [show, 'P:\\projects'], platform: 'linux' });
    expect(shared.ignoredRoots).toEqual(['P:\\projects']);
  });
});

/** A faithful stand-in for Windows: case-insensitive lookups that return the on-disk case. */
function windowsFs(existing: string[]): PathGuardFs {
  const byKey = new Map(existing.map((p) => [path.win32.resolve(p).toLowerCase(), path.win32.resolve(p)]));
  const lookup = (target: string) => {
    const hit = byKey.get(path.win32.resolve(target).toLowerCase());
    if (hit) return hit;
    throw Object.assign(new Error(`ENOENT: no such file or directory, '${target}'`), { code: 'ENOENT' });
  };
  return { realpath: async (target) => lookup(target), lstat: async (target) => lookup(target) };
}

describe('PathGuard on Windows (platform injected)', () => {
  const fs = windowsFs([
    'C:\\',
    'P:\\',
    'P:\\Projects',
    'P:\\Projects\\Show',
    'P:\\Projects\\Show\\SH010',
    'P:\\Projects2',
    '\\\\fileserver\\projects\\',
    '\\\\fileserver\\projects\\show',
    '\\\\fileserver\\projects2\\',
  ]);
  const guard = createPathGuard({
    allowedPaths: ['P:\\projects\\show', '\\\\FILESERVER\\Projects', '/mnt/projects'],
    platform: 'windows',
    fs,
  });

  it('compares case-insensitively and accepts forward slashes', async () => {
    await expect(guard.check('p:\\PROJECTS\\show\\sh010\\plate.exr', 'params.path')).resolves.toBe(
      'P:\\Projects\\Show\\SH010\\plate.exr',
    );
    await expect(guard.check('P:/Projects/Show/SH010', 'params.path')).resolves.toBe(
      'P:\\Projects\\Show\\SH010',
    );
  });

  it('keeps drive letters apart and respects segment boundaries', async () => {
    expect((await refusal(guard, 'C:\\Projects\\Show\\x.exr')).code).toBe('PATH_NOT_ALLOWED');
    expect((await refusal(guard, 'P:\\Projects\\Show2\\x.exr')).code).toBe('PATH_NOT_ALLOWED');
    expect((await refusal(guard, 'P:\\Projects\\Show\\..\\..\\Projects2')).code).toBe('PATH_NOT_ALLOWED');
  });

  it('handles UNC roots', async () => {
    await expect(guard.check('\\\\fileserver\\PROJECTS\\show\\a.mov', 'params.path')).resolves.toBe(
      '\\\\fileserver\\projects\\show\\a.mov',
    );
    expect((await refusal(guard, '\\\\fileserver\\projects2\\a.mov')).code).toBe('PATH_NOT_ALLOWED');
    expect((await refusal(guard, '\\\\otherserver\\projects\\a.mov')).code).toBe('PATH_NOT_ALLOWED');
  });

  it('refuses POSIX, drive-relative and device paths on Windows', async () => {
    for (const value of [
      '/mnt/projects/a.exr',
      '\\Projects\\Show',
      'P:relative',
      '\\\\?\\P:\\Projects\\Show',
      '\\\\.\\pipe\\x',
    ]) {
      expect((await refusal(guard, value)).code).toBe('INVALID_PARAMS');
    }
    expect(guard.ignoredRoots).toEqual(['/mnt/projects']);
  });

  it('shows a Windows example when no path is allowed', async () => {
    const empty = createPathGuard({ allowedPaths: [], platform: 'windows', fs });
    expect((await refusal(empty, 'P:\\Projects')).message).toContain('allowed_paths: ["P:\\\\projects"]');
  });
});
