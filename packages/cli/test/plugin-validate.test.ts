import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '@openclaw-node/test-support/cli';

const REPO_NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url));
let root: string;

/** A built plugin package in a temp folder; the SDK resolves through the repo's node_modules. */
async function writePlugin(name: string, actions: string): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, 'dist'), { recursive: true });
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: `openclaw-plugin-${name}`,
      type: 'module',
      exports: { '.': { import: './dist/index.js' } },
      files: ['dist'],
      dependencies: { '@openclaw-node/plugin-sdk': '^0.1.0' },
    }),
  );
  await writeFile(
    path.join(dir, 'dist/index.js'),
    `import { defineAction, definePlugin } from '@openclaw-node/plugin-sdk';
const none = { type: 'object', additionalProperties: false, properties: {} };
const ok = { type: 'object', properties: { ok: { type: 'boolean' } } };
export default definePlugin({
  name: ${JSON.stringify(name)},
  version: '1.0.0',
  description: 'A plugin under test',
  platforms: ['linux', 'windows'],
  actions: {
    ping: defineAction({ description: 'Ping', params: none, result: ok, run: () => ({ ok: true }) }),
    ${actions}
  },
});
`,
  );
  await symlink(REPO_NODE_MODULES, path.join(dir, 'node_modules'), 'junction');
  return dir;
}

let good: string;
let bad: string;

beforeAll(async () => {
  root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'openclaw-validate-')));
  good = await writePlugin('good', '');
  bad = await writePlugin(
    'bad',
    `render: defineAction({
      description: 'Render',
      params: { type: 'object', additionalProperties: false, required: ['script'], properties: { script: { type: 'string', description: 'The .nk script' } } },
      result: ok,
      run: () => ({ ok: true }),
    }),`,
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('openclaw plugin validate', () => {
  it('exits 0 and says so for a clean plugin', async () => {
    const run = await cli(['plugin', 'validate', good]);
    expect(run).toEqual({ code: 0, stdout: '✔ no problems\n', stderr: '' });
  });

  it('exits 1 and names the file and field of every problem', async () => {
    const run = await cli(['plugin', 'validate', bad]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(path.join(bad, 'dist/index.js'));
    expect(lines[1]).toMatch(
      /^ {2}error {4}actions\.render\.params\.properties\.script {2}"script" looks like a file-system path .* {2}\(path-format\)$/,
    );
    expect(lines.at(-1)).toBe('✖ 1 problem (1 error, 0 warnings)');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('prints the messages as JSON with --json', async () => {
    const run = await cli(['plugin', 'validate', bad, '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: false,
      target: bad,
      errors: 1,
      warnings: 0,
      messages: [
        {
          level: 'error',
          rule: 'path-format',
          file: path.join(bad, 'dist/index.js'),
          field: 'actions.render.params.properties.script',
          message: expect.stringContaining('format: "path"'),
        },
      ],
    });
  });

  it('validates the current folder when no dir is given', async () => {
    const cwd = process.cwd();
    process.chdir(good);
    try {
      const run = await cli(['plugin', 'validate', '--json']);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, target: good, messages: [] });
    } finally {
      process.chdir(cwd);
    }
  });

  it('reports a folder that is not a plugin as a load error, not a crash', async () => {
    const empty = path.join(root, 'empty');
    await mkdir(empty);
    const run = await cli(['plugin', 'validate', empty]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${empty} has no package.json`);
    expect(run.stderr).toBe('');
  });

  it('is listed in the help with its examples', async () => {
    const run = await cli(['plugin', 'validate', '--help']);
    expect(run.stdout).toContain('openclaw plugin validate [dir]');
    expect(run.stdout).toContain('$ openclaw plugin validate ./openclaw-plugin-houdini');
  });
});
