import { cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * After the workstation bundle is built: copy the built-in plugins' assets beside it (the plugins
 * find them by walking up from their module) and write THIRD_PARTY_LICENSES.md, the license of
 * every npm package the bundle contains (read from esbuild's metafile).
 */
export async function finishWorkstationBundle(root: string): Promise<void> {
  const pkg = path.join(root, 'packages/workstation');
  await rm(path.join(pkg, 'assets'), { recursive: true, force: true });
  await cp(path.join(root, 'packages/plugins/assets'), path.join(pkg, 'assets'), { recursive: true });
  const dist = path.join(pkg, 'dist');
  const metafiles = (await readdir(dist)).filter((f) => /^metafile-.*\.json$/.test(f));
  const packages = new Map<string, string>();
  for (const file of metafiles) {
    const meta = JSON.parse(await readFile(path.join(dist, file), 'utf8')) as {
      inputs: Record<string, unknown>;
    };
    for (const input of Object.keys(meta.inputs)) {
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (match) packages.set(path.resolve(root, match[1]!), '');
    }
    await rm(path.join(dist, file));
  }
  const sections = new Map<string, string>();
  for (const dir of [...packages.keys()].sort()) {
    const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string;
    };
    const licenseFile = (await readdir(dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = licenseFile ? (await readFile(path.join(dir, licenseFile), 'utf8')).trim() : '';
    sections.set(
      `${manifest.name}@${manifest.version}`,
      `## ${manifest.name}@${manifest.version} (${manifest.license ?? 'see package'})\n\n${text ? `\`\`\`\n${text}\n\`\`\`` : 'No license file in the package; its package.json says the license above.'}\n`,
    );
  }
  await writeFile(
    path.join(pkg, 'THIRD_PARTY_LICENSES.md'),
    `# Third-party licenses\n\n@openclaw-node/workstation bundles these npm packages into dist/ (generated at build time).\n\n${[
      ...sections.keys(),
    ]
      .sort()
      .map((key) => sections.get(key))
      .join('\n')}`,
  );
}
