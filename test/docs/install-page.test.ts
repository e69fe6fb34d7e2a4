import { mkdir, mkdtemp, readFile, realpath, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, repoRoot } from '../packaging/workspace-packages.js';

// docs/install.md, followed literally: every ```bash block, in order, in one bash (so `cd` and
// `export` carry over as in a terminal), with HOME a temp folder where ~/openclaw-node is this
// clone and `npm -g` installs into a temp prefix. One exception, said here: the first block's
// `npm install` is not re-run in the clone (it would rebuild the packages under the other tests'
// feet); the root `npm test` has just installed and built it. The online steps use the npm
// registry, through the npm cache. Install scripts are off (npm_config_ignore_scripts): compiling
// better-sqlite3 for the server takes from one to ten minutes on a busy machine, and the page's
// blocks check the install with `openclaw --version` and `server start --help`, which do not need
// it (the packaging test runs a server from tarballs). Slow all the same: a minute or more.

const page = path.join(repoRoot, 'docs/install.md');
let home: string;

/** The ```bash blocks of a Markdown page, in order. */
export function bashBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

beforeAll(async () => {
  home = await realpath(await mkdtemp(path.join(os.tmpdir(), 'openclaw-install-page-')));
  await symlink(repoRoot, path.join(home, 'openclaw-node'));
  await mkdir(path.join(home, 'global'));
});
afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

describe('docs/install.md', () => {
  it('says the packages are not published yet and lists the npm names', async () => {
    const text = await readFile(page, 'utf8');
    expect(text).toContain('**not on the npm registry yet**');
    for (const name of ['@openclaw-node/workstation', '@openclaw-node/cli', '@openclaw-node/plugin-sdk']) {
      expect(text).toContain(`\`${name}\``);
    }
  });

  it('works as written: tarballs, a workstation offline, the server online and air-gapped, a plugin', async () => {
    const blocks = bashBlocks(await readFile(page, 'utf8'));
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const script = blocks
      .map((block, index) =>
        index === 0 ? block.replace(/^npm install\b.*$/m, 'test -f packages/cli/dist/bin.js') : block,
      )
      .map((block, index) => `echo "=== docs/install.md block ${index + 1}"\n${block}`)
      .join('\n');
    expect(script).toContain('npm run pack');
    const prefix = path.join(home, 'global');
    const result = await execa('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: home,
      env: childEnv({
        HOME: home,
        npm_config_prefix: prefix,
        npm_config_ignore_scripts: 'true',
        // The tester's npm cache, not an empty one in the temp HOME: the same packages, less download.
        npm_config_cache: process.env.npm_config_cache ?? path.join(os.homedir(), '.npm'),
        PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
      }),
      extendEnv: false,
      reject: false,
      all: true,
      timeout: 900_000,
    });
    expect(result.exitCode, result.all).toBe(0);
    const out = result.all;
    expect(out).toContain('openclaw-node-workstation-0.1.0.tgz');
    expect(out).toContain('openclaw agent init');
    expect(out).toMatch(/--store/);
    expect(out).toMatch(/\nindex\.js\n/);
  }, 960_000);
});
