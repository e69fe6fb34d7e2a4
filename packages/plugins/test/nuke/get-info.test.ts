import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import { GET_INFO_ASSET, resolveAsset } from '../../src/nuke/asset-path.js';
import { nukePlugin } from '../../src/nuke/index.js';
import { parseScriptInfo } from '../../src/nuke/script-info.js';
import { createFakeStudio, FIXTURES, waitFor, type FakeStudio } from './fake-install.js';

const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));
let studio: FakeStudio;

beforeEach(async () => {
  studio = await createFakeStudio();
});
afterEach(async () => {
  await studio.cleanup();
});

const getInfo = (params: Record<string, unknown>, env: Record<string, string> = {}) =>
  runAction(nukePlugin, 'get_info', {
    params,
    platform: 'linux',
    config: { path: studio.nuke, install_roots: [] },
    env: studio.env(env),
  });

describe('get_info runs the bundled Python script inside (fake) Nuke', () => {
  it("reads the script's Write nodes, range, fps, format and views through python3 and the nuke module", async () => {
    const rec = await getInfo({ script: studio.script });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toEqual({
      app: { path: studio.nuke, version: '15.1v3', source: 'config' },
      version_source: 'executable',
      script: {
        nuke_version: '15.1v3',
        script: studio.script,
        first_frame: 1001,
        last_frame: 1010,
        fps: 23.976,
        format: { name: '2K_DCP', width: 2048, height: 1152, pixel_aspect: 1 },
        views: ['left', 'right'],
        write_nodes: [
          {
            name: 'Write_comp',
            class: 'Write',
            file: path.join(studio.out, 'render', 'sh010_comp.####.exr'),
            file_type: 'exr',
            disabled: false,
            use_limit: false,
            first: 1,
            last: 1,
          },
          {
            name: 'Write_review',
            class: 'Write',
            file: path.join(studio.out, 'review', 'sh010_comp_%V.%04d.jpg'),
            file_type: 'jpeg',
            disabled: false,
            use_limit: true,
            first: 1001,
            last: 1005,
          },
          expect.objectContaining({ name: 'Precomp.Write_precomp', disabled: true }),
        ],
      },
    });
    const [call] = await studio.argvs();
    expect(call!.argv).toEqual(['-t', resolveAsset(GET_INFO_ASSET), studio.script]);
  });

  it('fails SCRIPT_LOAD_FAILED with the error the script reported behind its error marker', async () => {
    const rec = await getInfo({ script: path.join(FIXTURES, 'scripts', 'broken.nk') });
    expect(rec.error?.code).toBe('SCRIPT_LOAD_FAILED');
    expect(rec.error?.message).toMatch(
      /Nuke could not load the script: .*broken\.nk: syntax error: missing close-brace/,
    );
    expect(rec.error?.details).toMatchObject({ error_type: 'RuntimeError', exit_code: 3 });
  });

  it('fails LICENSE_UNAVAILABLE when terminal mode cannot get a license', async () => {
    const rec = await getInfo(
      { script: studio.script, interactive_license: true },
      { FAKE_NUKE_LICENSE: 'fail' },
    );
    expect(rec.error?.code).toBe('LICENSE_UNAVAILABLE');
    expect((await studio.argvs())[0]!.argv.slice(0, 2)).toEqual(['-t', '-i']);
  });

  it('reports the version from Nuke --version when no script is given', async () => {
    const rec = await getInfo({}, { FAKE_NUKE_VERSION: '15.1v4' });
    expect(rec.result).toEqual({
      app: { path: studio.nuke, version: '15.1v4', source: 'config' },
      version_source: 'executable',
      script: null,
    });
    expect((await studio.argvs())[0]!.argv).toEqual(['--version']);
  });
});

describe('parseScriptInfo reads only what follows the marker', () => {
  const info =
    '{"nuke_version":"15.1v3","script":"/a.nk","first_frame":1,"last_frame":9,"fps":25,"format":{"name":"HD_1080","width":1920,"height":1080,"pixel_aspect":1},"views":["main"],"write_nodes":[]}';

  it('ignores banner and plugin lines around the result, even a fake marker-less JSON line', () => {
    const stdout = [
      'Nuke 15.1v3, 64 bit, built Apr  4 2024.',
      '{"first_frame": 666}',
      'Loading /usr/local/Nuke15.1v3/plugins/init.py',
      `@@AGENT_RESULT@@${info}`,
      'Exiting',
    ].join('\n');
    expect(parseScriptInfo(stdout, '', 0)).toMatchObject({ first_frame: 1, last_frame: 9, fps: 25 });
  });

  it.each([
    [
      'no marker at all',
      'Nuke 15.1v3, 64 bit\nSegmentation fault\n',
      139,
      /printed no result line \(exit code 139\)/,
    ],
    ['a marker with broken JSON', '@@AGENT_RESULT@@{"first_frame": 1,', 0, /not valid script info/],
    ['a marker with the wrong shape', '@@AGENT_RESULT@@{"hello": 1}', 0, /not valid script info/],
    [
      'the error sentinel',
      '@@AGENT_ERROR@@{"type":"RuntimeError","message":"boom"}\n',
      3,
      /could not load the script: boom/,
    ],
  ])('%s → SCRIPT_LOAD_FAILED', (_label, stdout, code, message) => {
    expect(() => parseScriptInfo(stdout, '', code)).toThrow(message);
    try {
      parseScriptInfo(stdout, '', code);
    } catch (error) {
      expect(error).toMatchObject({ code: 'SCRIPT_LOAD_FAILED' });
    }
  });

  it('turns a scripted run with no marker into SCRIPT_LOAD_FAILED with the log tail', async () => {
    const rec = await runAction(nukePlugin, 'get_info', {
      params: { script: studio.script },
      platform: 'linux',
      onWhich: () => ({ path: '/usr/local/Nuke15.1v3/Nuke15.1', source: 'location', searched: [] }),
      onRun: () => ({ exitCode: 1, stdout: 'Nuke 15.1v3, 64 bit\nTraceback (most recent call last):\n' }),
    });
    expect(rec.error).toMatchObject({ code: 'SCRIPT_LOAD_FAILED', details: { exit_code: 1 } });
    expect(rec.error?.details?.log_tail).toContain('Traceback (most recent call last):');
  });
});

describe('open_script', () => {
  it('launches the GUI detached and returns without waiting for it', async () => {
    const rec = await runAction(nukePlugin, 'open_script', {
      params: { script: studio.script, nukex: true },
      platform: 'linux',
      config: { path: studio.nuke, install_roots: [] },
      env: studio.env(),
    });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ launched: true, command: [studio.nuke, '--nukex', studio.script] });
    expect((rec.result as { pid: number }).pid).toBeGreaterThan(0);
    await waitFor(async () => (await studio.argvs()).length === 1, 'the GUI launch to record its argv');
    expect((await studio.argvs())[0]!.argv).toEqual(['--nukex', studio.script]);
  });

  it('with gui: false loads the script headless and reports its info', async () => {
    const rec = await runAction(nukePlugin, 'open_script', {
      params: { script: studio.script, gui: false },
      platform: 'linux',
      config: { path: studio.nuke, install_roots: [] },
      env: studio.env(),
    });
    expect(rec.error).toBeUndefined();
    expect(rec.launches).toHaveLength(0);
    expect(rec.result).toMatchObject({
      launched: false,
      pid: null,
      info: { first_frame: 1001, views: ['left', 'right'] },
    });
  });
});

describe('the bundled get_info script ships with the package', () => {
  const expected = path.join(PACKAGE, 'assets', 'nuke', 'nuke_get_info.py');

  it('is found from the sources and from the built bundle alike', () => {
    expect(resolveAsset(GET_INFO_ASSET)).toBe(expected);
    expect(
      resolveAsset(GET_INFO_ASSET, pathToFileURL(path.join(PACKAGE, 'src', 'nuke', 'asset-path.ts'))),
    ).toBe(expected);
    expect(resolveAsset(GET_INFO_ASSET, pathToFileURL(path.join(PACKAGE, 'dist', 'index.js')))).toBe(
      expected,
    );
  });

  it('fails PLUGIN_LOAD_FAILED, listing where it looked, when the asset is missing', () => {
    expect(() => resolveAsset(GET_INFO_ASSET, pathToFileURL('/nonexistent/a/b/index.js'))).toThrow(
      /missing from its package/,
    );
  });

  it('is listed in the package files', async () => {
    const manifest = JSON.parse(await readFile(path.join(PACKAGE, 'package.json'), 'utf8')) as {
      files: string[];
    };
    expect(manifest.files).toContain('assets');
  });
});
