import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../src/index.js';
import { KEYS, createMemoryIO } from './support/memory-io.js';

let cwd: string;

beforeEach(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'create-openclaw-plugin-run-'));
});

afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const readJson = async (file: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;

describe('run', () => {
  it('prints the usage for --help', async () => {
    const io = createMemoryIO({ cwd });
    expect(await run(['--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: npx --no-install create-openclaw-plugin');
    expect(io.out()).toContain('--param <name:type>');
  });

  it('prints its version for --version', async () => {
    const io = createMemoryIO({ cwd });
    expect(await run(['-v'], io)).toBe(0);
    expect(io.out().trim()).toBe(
      (await readJson(new URL('../package.json', import.meta.url).pathname)).version,
    );
  });

  it('writes a package from flags alone with --yes and prints the next steps', async () => {
    const io = createMemoryIO({ cwd });
    const code = await run(
      [
        '@studio/openclaw-plugin-deadline-submit',
        '--yes',
        '--platforms',
        'windows,linux',
        '--action',
        'submit_job',
        '--param',
        'scene:path',
        '--param',
        'frames:string,priority?:integer',
        '-d',
        'Submit to Deadline',
      ],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const dir = path.join(cwd, 'openclaw-plugin-deadline-submit');
    expect(io.out()).toContain(
      'Created @studio/openclaw-plugin-deadline-submit in ./openclaw-plugin-deadline-submit',
    );
    expect(io.out()).toContain('deadline-submit.submit_job and deadline-submit.ping');
    expect(io.out()).toContain(
      '  cd openclaw-plugin-deadline-submit\n  npm install\n  npm test\n  npm run build',
    );
    const pkg = await readJson(path.join(dir, 'package.json'));
    expect(pkg).toMatchObject({
      name: '@studio/openclaw-plugin-deadline-submit',
      description: 'Submit to Deadline',
      openclaw: { plugin: 'deadline-submit' },
    });
    const source = await readFile(path.join(dir, 'src/index.ts'), 'utf8');
    expect(source).toContain(`name: 'deadline-submit'`);
    expect(source).toContain(`platforms: ['windows', 'linux']`);
    expect(source).toContain(`required: ['scene', 'frames']`);
    expect(source).toContain(`actions: { submit_job: submitJobAction, ping }`);
  });

  it('uses the defaults when stdin is not a terminal, without asking', async () => {
    const io = createMemoryIO({ cwd });
    expect(await run(['hello-tools'], io)).toBe(0);
    const source = await readFile(path.join(cwd, 'hello-tools/src/index.ts'), 'utf8');
    expect(source).toContain(`platforms: ['windows', 'darwin', 'linux']`);
    expect(source).toContain(`actions: { run: runAction, ping }`);
    expect(source).toContain(`input: { type: 'string', format: 'path'`);
  });

  it('writes into --dir, relative to the working directory', async () => {
    const io = createMemoryIO({ cwd });
    expect(await run(['hello', '--yes', '--dir', 'plugins/hello-plugin'], io)).toBe(0);
    expect(await readJson(path.join(cwd, 'plugins/hello-plugin/package.json'))).toMatchObject({
      name: 'hello',
    });
    expect(io.out()).toContain('cd plugins/hello-plugin');
  });

  it('depends on the SDK range given by --sdk-version', async () => {
    const io = createMemoryIO({ cwd });
    expect(await run(['hello', '--yes', '--sdk-version', 'file:../plugin-sdk'], io)).toBe(0);
    expect(await readJson(path.join(cwd, 'hello/package.json'))).toMatchObject({
      dependencies: { '@openclaw-node/plugin-sdk': 'file:../plugin-sdk' },
    });
  });

  it('refuses a directory that is not empty without --force, and overwrites with it', async () => {
    await mkdir(path.join(cwd, 'hello'));
    await writeFile(path.join(cwd, 'hello/package.json'), '{"name":"mine"}');
    await writeFile(path.join(cwd, 'hello/notes.txt'), 'keep me');
    const refused = createMemoryIO({ cwd });
    expect(await run(['hello', '--yes'], refused)).toBe(1);
    expect(refused.err()).toBe(
      'error: hello is not empty: choose another --dir, or pass --force to overwrite its files\n',
    );
    expect(await readJson(path.join(cwd, 'hello/package.json'))).toEqual({ name: 'mine' });

    expect(await run(['hello', '--yes', '--force'], createMemoryIO({ cwd }))).toBe(0);
    expect(await readJson(path.join(cwd, 'hello/package.json'))).toMatchObject({ name: 'hello' });
    expect(await readFile(path.join(cwd, 'hello/notes.txt'), 'utf8')).toBe('keep me');
  });

  it.each([
    [['Hello', '--yes'], 'error: "Hello" is not a valid npm package name: it must be lower-case'],
    [
      ['--yes'],
      'error: a package name is required, e.g. npx --no-install create-openclaw-plugin openclaw-plugin-houdini --yes',
    ],
    [['a', 'b', '--yes'], 'error: expected one package name, got 2: a b (quote a description with spaces)'],
    [['hello', '--yes', '--colour'], 'error: unknown option --colour (see --help)'],
    [['hello', '--yes', '--action'], 'error: --action needs a value (see --help)'],
    [
      ['hello', '--yes', '--platforms', 'amiga'],
      'error: unknown platform "amiga": use windows, darwin, linux (comma-separated) or all',
    ],
    [['hello', '--yes', '--action', 'Render'], 'error: "Render" is not a valid action name'],
    [['hello', '--yes', '--action', 'ping'], 'error: every plugin gets a ping action already'],
    [['hello', '--yes', '--param', 'frames'], 'error: "frames" is not a param spec: use name:type'],
    [['hello', '--yes', '--param', 'frames:float'], 'error: param frames has unknown type "float"'],
    [['hello', '--yes', '--param', 'a:string,a:path'], 'error: param a is given twice'],
    [['hello', '--yes', '--plugin-name', 'Bad_Name'], 'error: "Bad_Name" is not a valid plugin name'],
    [['hello', '--yes', '--sdk-version', 'soon'], 'error: "soon" is not a version range'],
    [['hello', '--yes', '--app', '/usr/bin/hython'], 'error: "/usr/bin/hython" is not an executable name'],
    [['hello', '--yes', '--description', ''], 'error: the description must be one line of 1-500 characters'],
  ])('rejects %j with a clear message and writes nothing', async (argv, message) => {
    const io = createMemoryIO({ cwd });
    expect(await run(argv, io)).toBe(1);
    expect(io.err()).toContain(message);
    expect(io.out()).toBe('');
  });

  it('asks for what the flags leave out when interactive', async () => {
    const io = createMemoryIO({ cwd, interactive: true });
    const answers = (async () => {
      await io.answer('Package name', `openclaw-plugin-maya${KEYS.enter}`);
      await io.answer('Description', `Maya batch tools${KEYS.enter}`);
      // All three start selected: move to darwin and unselect it.
      await io.answer('Platforms it supports', `${KEYS.down}${KEYS.space}${KEYS.enter}`);
      await io.answer('First action', `export_abc${KEYS.enter}`);
      await io.answer('Params of export_abc', `scene:path, frame_range:string?${KEYS.enter}`);
    })();
    const code = await run([], io);
    await answers;
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const source = await readFile(path.join(cwd, 'openclaw-plugin-maya/src/index.ts'), 'utf8');
    expect(source).toContain(`name: 'maya'`);
    expect(source).toContain(`description: 'Maya batch tools'`);
    expect(source).toContain(`platforms: ['windows', 'linux']`);
    expect(source).toContain(`required: ['scene']`);
    expect(source).toContain(`frame_range: { type: 'string'`);
    expect(io.out()).toContain('Next steps');
  });

  it('re-asks when an answer is invalid', async () => {
    const io = createMemoryIO({ cwd, interactive: true });
    const answers = (async () => {
      await io.answer('Package name', `Bad Name${KEYS.enter}`);
      await io.answer('is not a valid npm package name', `\u007f`.repeat(8) + `good-name${KEYS.enter}`);
      await io.answer('Description', KEYS.enter);
      await io.answer('Platforms it supports', KEYS.enter);
      await io.answer('First action', KEYS.enter);
      await io.answer('Params of run', KEYS.enter);
    })();
    expect(await run([], io)).toBe(0);
    await answers;
    const source = await readFile(path.join(cwd, 'good-name/src/index.ts'), 'utf8');
    expect(source).toContain(`description: 'good-name actions for OpenClaw Node'`);
    expect(source).toContain(`input: { type: 'string', format: 'path'`);
  });

  it('skips the questions its flags answer', async () => {
    const io = createMemoryIO({ cwd, interactive: true });
    const answers = (async () => {
      await io.answer('Description', KEYS.enter);
      await io.answer('Params of render', `none${KEYS.enter}`);
    })();
    expect(await run(['nuke-tools', '--platforms', 'linux', '--action', 'render'], io)).toBe(0);
    await answers;
    expect(io.out()).not.toContain('Package name');
    expect(io.out()).not.toContain('First action');
    const source = await readFile(path.join(cwd, 'nuke-tools/src/index.ts'), 'utf8');
    expect(source).toContain(`additionalProperties: false,\n    properties: {},\n  },`);
  });

  it('asks before writing into a directory that is not empty, and stops on no', async () => {
    await mkdir(path.join(cwd, 'hello'));
    await writeFile(path.join(cwd, 'hello/keep.txt'), 'x');
    const io = createMemoryIO({ cwd, interactive: true });
    const answers = (async () => {
      await io.answer('Description', KEYS.enter);
      await io.answer('Platforms it supports', KEYS.enter);
      await io.answer('First action', KEYS.enter);
      await io.answer('Params of run', KEYS.enter);
      await io.answer('hello is not empty', KEYS.enter);
    })();
    expect(await run(['hello'], io)).toBe(1);
    await answers;
    expect(io.err()).toBe('error: hello is not empty: nothing was written\n');
  });

  it('stops without writing when the user presses Ctrl-C', async () => {
    const io = createMemoryIO({ cwd, interactive: true });
    const answers = io.answer('Package name', KEYS.ctrlC);
    expect(await run([], io)).toBe(1);
    await answers;
    expect(io.out()).toContain('Cancelled: nothing was written.');
    expect(io.err()).toBe('');
  });
});
