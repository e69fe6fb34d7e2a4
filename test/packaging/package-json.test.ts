import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importedSpecifiers, jsFiles, packageNameOf } from './dist-imports.js';
import { listWorkspacePackages, repoRoot, type PackageJson } from './workspace-packages.js';

// Packages as npm and Node see them once published: the metadata, the exports map, and that what
// dist/ imports is declared. Needs the build (the root `npm test` builds first).

const packages = listWorkspacePackages();
const rootEngines = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as PackageJson)
  .engines;
const versions = new Map(packages.map((p) => [p.manifest.name, p.manifest.version]));
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const STANDARD_CONDITIONS = ['types', 'import', 'default'];

function requireBuilt(dir: string, file: string): string {
  const absolute = path.join(repoRoot, dir, file);
  if (!existsSync(absolute)) {
    throw new Error(
      `${dir}/${file} does not exist: run \`npm run build\` first (the root \`npm test\` does)`,
    );
  }
  return absolute;
}

describe.each(packages)('$manifest.name', ({ dir, manifest }) => {
  it('has the metadata npm shows and checks', () => {
    expect(manifest.description).toMatch(/\S/);
    expect(manifest.license).toBe('MIT');
    expect(manifest.type).toBe('module');
    expect(manifest.private).not.toBe(true);
    expect(manifest.engines).toEqual(rootEngines);
    expect(manifest.keywords).toContain('openclaw-node');
    expect(manifest.repository).toMatchObject({
      type: 'git',
      url: expect.stringMatching(/^git\+https:\/\//),
      directory: dir,
    });
  });

  it('exports only dist files, types first, with a plain-Node fallback', () => {
    const exportsMap = manifest.exports ?? {};
    expect(exportsMap['./package.json']).toBe('./package.json');
    for (const [subpath, target] of Object.entries(exportsMap)) {
      if (subpath === './package.json') continue;
      const conditions = target as Record<string, string>;
      // The source condition serves the workspace (tsc, vitest); nothing else sets it, so an
      // installed copy resolves through the standard conditions below to dist/.
      const standard = Object.keys(conditions).filter((key) => key !== '@openclaw-node/source');
      expect(standard, `exports["${subpath}"]`).toEqual(STANDARD_CONDITIONS);
      expect(conditions.types).toMatch(/^\.\/dist\/.+\.d\.ts$/);
      expect(conditions.import).toMatch(/^\.\/dist\/.+\.js$/);
      expect(conditions.default).toBe(conditions.import);
      requireBuilt(dir, conditions.types!);
      requireBuilt(dir, conditions.import!);
    }
    const main = exportsMap['.'] as Record<string, string>;
    expect(manifest.main).toBe(main.import);
    expect(manifest.types).toBe(main.types);
    expect(manifest.files).toContain('dist');
  });

  // A fresh `npm ci` links bins before `prepare` builds dist/, and npm skips a bin whose file is missing:
  // each bin is a committed shim that imports the built entry.
  it('ships committed, executable bin shims that start the built entry', () => {
    for (const [name, file] of Object.entries(manifest.bin ?? {})) {
      expect(file, `bin.${name}`).toBe(`bin/${name}.js`);
      expect(manifest.files, `files of ${dir}`).toContain('bin');
      const shimPath = path.join(dir, file);
      const lines = readFileSync(shimPath, 'utf8').split('\n');
      expect(lines[0], `${dir}/${file}`).toBe('#!/usr/bin/env node');
      // One bin per package starts dist/bin.js; the workstation's second one, dist/agent-bin.js.
      const entry = lines
        .map((line) => /^import '\.\.\/(dist\/[\w-]*bin\.js)';$/.exec(line)?.[1])
        .find(Boolean);
      expect(entry, `${dir}/${file} imports a built dist/*bin.js`).toBeDefined();
      expect(statSync(shimPath).mode & 0o111, `${dir}/${file} is executable`).not.toBe(0);
      const firstBuiltLine = readFileSync(requireBuilt(dir, entry!), 'utf8').split('\n', 1)[0];
      expect(firstBuiltLine, `${dir}/${entry!}`).toBe('#!/usr/bin/env node');
    }
  });

  it('declares every package its build imports, and pins its sibling packages', () => {
    const declared = new Set([
      manifest.name,
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
    ]);
    const undeclared = new Set<string>();
    for (const file of jsFiles(path.dirname(requireBuilt(dir, 'dist/index.js')))) {
      for (const specifier of importedSpecifiers(file)) {
        const name = packageNameOf(specifier);
        if (name && !builtins.has(specifier) && !builtins.has(name) && !declared.has(name)) {
          undeclared.add(`${name} (${path.relative(repoRoot, file)})`);
        }
      }
    }
    expect([...undeclared], 'imported by dist/ but not in dependencies').toEqual([]);
    for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
      if (versions.has(name)) expect(range, `dependencies["${name}"]`).toBe(versions.get(name));
    }
  });
});
