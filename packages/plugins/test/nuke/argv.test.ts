import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform, WhichSpec } from '@openclaw-node/plugin-sdk';
import { runAction, type RunCall } from '@openclaw-node/plugin-sdk/testing';
import { resolveAsset, GET_INFO_ASSET } from '../../src/nuke/asset-path.js';
import { nukePlugin } from '../../src/nuke/index.js';

const EXE: Record<Platform, string> = {
  windows: 'C:\\Program Files\\Nuke15.1v3\\Nuke15.1.exe',
  darwin: '/Applications/Nuke15.1v3/Nuke15.1v3.app/Contents/MacOS/Nuke15.1',
  linux: '/usr/local/Nuke15.1v3/Nuke15.1',
};
const PLATFORMS: Platform[] = ['windows', 'darwin', 'linux'];

let dir: string;
let script: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'openclaw-nuke-argv-'));
  script = path.join(dir, 'sh010_comp_v003.nk');
  await writeFile(script, 'Root {\n}\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const foundAt = (platform: Platform) => (spec: WhichSpec) => ({
  path: EXE[platform],
  source: 'location' as const,
  searched: spec.locations ?? [],
});

/** Answer a render with the lines real Nuke prints for the frames asked. */
const renderAnswer = (frames: number[]) => (call: RunCall) => {
  frames.forEach((frame, i) => {
    call.options.onStdoutLine?.(`Writing /out/a.${frame}.exr took 0.5 seconds`);
    call.options.onStdoutLine?.(`Frame ${frame} (${i + 1} of ${frames.length})`);
  });
  return { exitCode: 0, durationMs: 1234 };
};

describe.each(PLATFORMS)('on %s', (platform) => {
  it('looks for Nuke in the per-OS install folders, AGENT_NUKE_EXE, then PATH', async () => {
    const rec = await runAction(nukePlugin, 'get_info', {
      platform,
      config: {},
      onWhich: foundAt(platform),
      onRun: () => ({ exitCode: 0, stdout: 'Nuke 15.1v3, 64 bit, built Apr  4 2024.\n' }),
    });
    const spec = rec.whichCalls[0]!.spec;
    expect(spec.envVars).toEqual(['AGENT_NUKE_EXE']);
    expect(spec.names).toEqual(platform === 'windows' ? ['nuke'] : ['nuke', 'Nuke']);
    const expected = {
      windows: ['C:\\Program Files\\Nuke{M.m}v{p}\\Nuke{M.m}.exe'],
      darwin: ['/Applications/Nuke{M.m}v{p}/Nuke{M.m}v{p}.app/Contents/MacOS/Nuke{M.m}'],
      linux: expect.arrayContaining(['/usr/local/Nuke{M.m}v{p}/Nuke{M.m}', '/opt/Nuke{M.m}v{p}/Nuke{M.m}']),
    }[platform];
    expect(spec.locations).toEqual(expected);
    expect(rec.runs[0]!.file).toBe(EXE[platform]);
    expect(rec.runs[0]!.args).toEqual(['--version']);
    expect(rec.result).toMatchObject({ app: { path: EXE[platform], version: '15.1v3', source: 'location' } });
  });

  it('renders with the documented argv: switches, -F per part, --, the script last', async () => {
    const rec = await runAction(nukePlugin, 'render_write', {
      params: { script, write_node: 'Write_comp', frame_range: '1001-1003,1010', threads: 8 },
      platform,
      onWhich: foundAt(platform),
      onRun: renderAnswer([1001, 1002, 1003, 1010]),
    });
    expect(rec.error).toBeUndefined();
    expect(rec.runs).toHaveLength(1);
    expect(rec.runs[0]!.file).toBe(EXE[platform]);
    expect(rec.runs[0]!.args).toEqual([
      '-x',
      '-X',
      'Write_comp',
      '-F',
      '1001-1003',
      '-F',
      '1010',
      '-f',
      '-m',
      '8',
      '-V',
      '2',
      '--',
      script,
    ]);
    expect(rec.runs[0]!.options.env).toMatchObject({ FN_DISABLE_LICENSE_DIALOG: '1' });
    expect(rec.launches).toHaveLength(0);
  });

  it('opens a script in the GUI detached, with --nukex when asked', async () => {
    const rec = await runAction(nukePlugin, 'open_script', {
      params: { script, nukex: true },
      platform,
      onWhich: foundAt(platform),
      onLaunch: () => ({ pid: 777 }),
    });
    expect(rec.error).toBeUndefined();
    expect(rec.runs).toHaveLength(0);
    expect(rec.launches).toEqual([
      expect.objectContaining({ file: EXE[platform], args: ['--nukex', script] }),
    ]);
    expect(rec.result).toMatchObject({ launched: true, pid: 777 });
  });
});

describe('render_write argv options', () => {
  const render = (params: Record<string, unknown>, config: Record<string, unknown> = {}) =>
    runAction(nukePlugin, 'render_write', {
      params: { script, ...params },
      config,
      platform: 'linux',
      onWhich: foundAt('linux'),
      onRun: renderAnswer([1, 2]),
    });

  it('joins several Write nodes with commas and puts every option before --', async () => {
    const rec = await render({
      write_node: 'Write_comp',
      write_nodes: ['Write_review', 'Precomp.Write_precomp', 'Write_comp'],
      frame_range: '1-2',
      proxy: true,
      continue_on_error: true,
      gpu: true,
      gpu_index: 1,
      views: ['left', 'right'],
      interactive_license: true,
      nukex: true,
    });
    expect(rec.error).toBeUndefined();
    expect(rec.runs[0]!.args).toEqual([
      '-x',
      '-X',
      'Write_comp,Write_review,Precomp.Write_precomp',
      '-F',
      '1-2',
      '-p',
      '--cont',
      '--gpu',
      '1',
      '--view',
      'left,right',
      '-V',
      '2',
      '-i',
      '--nukex',
      '--',
      script,
    ]);
    expect(rec.result).toMatchObject({
      write_nodes: ['Write_comp', 'Write_review', 'Precomp.Write_precomp'],
    });
  });

  it('renders every active Write node over the script range when neither is given', async () => {
    const rec = await render({});
    expect(rec.runs[0]!.args).toEqual(['-x', '-f', '-V', '2', '--', script]);
    expect(rec.result).toMatchObject({ write_nodes: null, frames_requested: 2, frames_written: [1, 2] });
  });

  it('takes -i from plugin config when the param is absent', async () => {
    const rec = await render({ frame_range: '1-2' }, { interactive_license: true });
    expect(rec.runs[0]!.args).toContain('-i');
  });

  it.each([
    [{ write_node: '-X' }, 'params.write_node'],
    [{ write_node: 'Write 1' }, 'params.write_node'],
    [{ write_node: 'Write1,Write2' }, 'params.write_node'],
    [{ write_nodes: ['Write1', '--cont'] }, 'params.write_nodes[1]'],
    [{ views: ['left', '-x'] }, 'params.views[1]'],
    [{ threads: 0 }, 'params.threads'],
    [{ gpu_index: -1 }, 'params.gpu_index'],
    [{ nuke_version: '15' }, 'params.nuke_version'],
    [{ script: 'relative.nk' }, 'params.script'],
    [{ script: '/show/comp.py' }, 'params.script'],
    [{ bogus: true }, 'params.bogus'],
  ])('rejects %j naming %s', async (params, field) => {
    const rec = await render(params);
    expect(rec.error?.code).toBe('INVALID_PARAMS');
    expect(rec.error?.details?.field).toBe(field);
    expect(rec.runs).toHaveLength(0);
  });

  it('reports a missing script as PATH_NOT_FOUND before looking for Nuke', async () => {
    const rec = await render({ script: path.join(dir, 'nope.nk') });
    expect(rec.error).toMatchObject({ code: 'PATH_NOT_FOUND', details: { field: 'params.script' } });
    expect(rec.whichCalls).toHaveLength(0);
  });

  it('refuses a folder named like a script', async () => {
    const folder = path.join(dir, 'folder.nk');
    await mkdir(folder, { recursive: true });
    const rec = await render({ script: folder });
    expect(rec.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'params.script' } });
    expect(rec.runs).toHaveLength(0);
  });
});

describe('get_info and open_script argv', () => {
  it('runs the bundled Python script in terminal mode against the script', async () => {
    const rec = await runAction(nukePlugin, 'get_info', {
      params: { script, interactive_license: true, nukex: true },
      platform: 'windows',
      onWhich: foundAt('windows'),
      onRun: () => ({
        exitCode: 0,
        stdout:
          'Nuke 15.1v3, 64 bit\n@@AGENT_RESULT@@{"nuke_version":"15.1v3","script":"x","first_frame":1,"last_frame":2,"fps":24,"format":{"name":null,"width":1,"height":1,"pixel_aspect":1},"views":["main"],"write_nodes":[]}\n',
      }),
    });
    expect(rec.error).toBeUndefined();
    expect(rec.runs[0]!.file).toBe(EXE.windows);
    expect(rec.runs[0]!.args).toEqual(['-t', '-i', '--nukex', resolveAsset(GET_INFO_ASSET), script]);
    expect(rec.result).toMatchObject({ app: { version: '15.1v3' }, version_source: 'executable' });
  });

  it('opens Nuke Studio with --studio', async () => {
    const rec = await runAction(nukePlugin, 'open_script', {
      params: { script, studio: true },
      platform: 'darwin',
      onWhich: foundAt('darwin'),
      onLaunch: () => ({ pid: 1 }),
    });
    expect(rec.launches[0]!.args).toEqual(['--studio', script]);
  });

  it('refuses nukex and studio together', async () => {
    const rec = await runAction(nukePlugin, 'open_script', {
      params: { script, studio: true, nukex: true },
      platform: 'linux',
      onWhich: foundAt('linux'),
      onLaunch: () => ({ pid: 1 }),
    });
    expect(rec.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'params.studio' } });
    expect(rec.launches).toHaveLength(0);
  });
});
