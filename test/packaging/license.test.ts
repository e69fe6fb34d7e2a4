import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { childEnv, listWorkspacePackages, repoRoot, type PackageJson } from './workspace-packages.js';

// The MIT license: one text at the root, the same file in every package folder (npm packs a
// package's own LICENSE whatever its `files` say, never the repository's), and "MIT" in every
// package.json. The example plugin ships it too, as its author would.

const license = readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8');
const dirs = [...listWorkspacePackages().map((p) => p.dir), 'examples/studio-tools'];
const manifestOf = (dir: string) =>
  JSON.parse(readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8')) as PackageJson;

describe('LICENSE', () => {
  it('is the MIT license of the OpenClaw Node contributors', () => {
    expect(license.split('\n')[0]).toBe('MIT License');
    expect(license).toContain('Copyright (c) 2026 OpenClaw Node contributors');
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
    expect(manifestOf('.').license).toBe('MIT');
  });

  it.each(dirs)('%s has "license": "MIT" and a copy of the root LICENSE', (dir) => {
    expect(manifestOf(dir).license).toBe('MIT');
    expect(readFileSync(path.join(repoRoot, dir, 'LICENSE'), 'utf8')).toBe(license);
  });

  it('is in what npm pack ships for every package', async () => {
    const { stdout } = await promisify(execFile)(
      'npm',
      [
        ...['pack', '--dry-run', '--json', '--ignore-scripts'],
        ...listWorkspacePackages().flatMap((p) => ['--workspace', p.dir]),
      ],
      { cwd: repoRoot, env: childEnv(), timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
    );
    const packed = JSON.parse(stdout) as { name: string; files: { path: string }[] }[];
    const example = JSON.parse(
      (
        await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
          cwd: path.join(repoRoot, 'examples/studio-tools'),
          env: childEnv(),
          timeout: 120_000,
        })
      ).stdout,
    ) as typeof packed;
    const all = [...packed, ...example];
    expect(all.map((p) => p.name)).toEqual(dirs.map((dir) => manifestOf(dir).name));
    for (const pack of all)
      expect(
        pack.files.map((f) => f.path),
        pack.name,
      ).toContain('LICENSE');
  });
});
