import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// `npm run pack [-- --out <dir>]`: every publishable package of the workspace as a tarball, all of
// one version, into one folder (default: tarballs/). What docs/install.md installs from.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  main?: string;
  dependencies?: Record<string, string>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** The workspaces npm would publish, after checking they share one version and pin each other to it. */
export function publishablePackages(): { dir: string; manifest: Manifest }[] {
  const { workspaces } = readJson<{ workspaces: string[] }>(path.join(root, 'package.json'));
  const packages = workspaces
    .map((dir) => ({ dir, manifest: readJson<Manifest>(path.join(root, dir, 'package.json')) }))
    .filter((p) => p.manifest.private !== true);
  const versions = new Set(packages.map((p) => p.manifest.version));
  if (versions.size !== 1) {
    throw new Error(
      `the packages do not share one version: ${packages.map((p) => `${p.manifest.name}@${p.manifest.version}`).join(', ')}`,
    );
  }
  const [version] = versions;
  const names = new Set(packages.map((p) => p.manifest.name));
  for (const { manifest } of packages) {
    for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
      if (names.has(name) && range !== version) {
        throw new Error(`${manifest.name} depends on ${name}@${range}, not on this release (${version})`);
      }
    }
  }
  for (const { dir, manifest } of packages) {
    if (manifest.main && !existsSync(path.join(root, dir, manifest.main))) {
      throw new Error(`${dir}/${manifest.main} is missing: run \`npm run build\` first (npm install does)`);
    }
  }
  return packages;
}

async function main(argv: string[]): Promise<void> {
  const at = argv.indexOf('--out');
  const out = path.resolve(at >= 0 && argv[at + 1] ? argv[at + 1]! : path.join(root, 'tarballs'));
  const packages = publishablePackages();
  await mkdir(out, { recursive: true });
  const { stdout } = await promisify(execFile)(
    'npm',
    [
      'pack',
      ...packages.flatMap((p) => ['--workspace', p.dir]),
      '--pack-destination',
      out,
      '--ignore-scripts',
      '--json',
    ],
    { cwd: root, maxBuffer: 64 * 1024 * 1024 },
  );
  const packed = JSON.parse(stdout) as { name: string; version: string; filename: string; size: number }[];
  process.stdout.write(`${packed.length} packages, version ${packed[0]?.version ?? '?'}, in ${out}:\n`);
  for (const p of packed) {
    process.stdout.write(
      `  ${path.basename(p.filename).padEnd(44)} ${(p.size / 1024).toFixed(0).padStart(6)} KiB  ${p.name}\n`,
    );
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`npm run pack: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
