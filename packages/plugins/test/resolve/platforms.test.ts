import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Platform, RunResult, WhichSpec } from '@openclaw-node/plugin-sdk';
import { runAction, type RunCall } from '@openclaw-node/plugin-sdk/testing';
import { locateBridgeScript, resolvePlugin } from '../../src/resolve/index.js';
import { RESULT_MARKER } from '../../src/resolve/bridge.js';

const PYTHONS: Record<Platform, string> = {
  windows: 'C:\\Program Files\\Blackmagic Design\\DaVinci Resolve\\ResolvePython\\ResolvePython.exe',
  darwin: '/Applications/DaVinci Resolve/DaVinci Resolve.app/Contents/Applications/ResolvePython',
  linux: '/opt/resolve/bin/ResolvePython',
};

/** Scripted world: ResolvePython installed, the bridge answering `answer`, the process list answering `processes`. */
function scripted(platform: Platform, answer: object, processes?: Partial<RunResult>) {
  const specs: WhichSpec[] = [];
  return {
    specs,
    options: {
      platform,
      onWhich: (spec: WhichSpec) => {
        specs.push(spec);
        const hit = spec.locations?.find((l) => l === PYTHONS[platform]);
        return {
          path: hit ?? null,
          source: hit ? ('location' as const) : null,
          searched: spec.locations ?? [],
        };
      },
      onRun: (call: RunCall) =>
        call.file === PYTHONS[platform]
          ? { stdout: `fusionscript banner\n${RESULT_MARKER}${JSON.stringify(answer)}\n`, exitCode: 0 }
          : { exitCode: 1, ...processes },
    },
  };
}

describe('resolve on each platform', () => {
  it.each<Platform>(['linux', 'darwin', 'windows'])(
    'runs ResolvePython on %s with the bridge script and the command on stdin',
    async (platform) => {
      const world = scripted(platform, {
        ok: true,
        result: { project: 'p', timeline: 'T', clips_appended: 0 },
      });
      const rec = await runAction(resolvePlugin, 'create_timeline', {
        params: { name: 'T', clips: ['a.mov'] },
        ...world.options,
      });
      expect(rec.error).toBeUndefined();
      const bridge = rec.runs[0]!;
      expect(bridge.file).toBe(PYTHONS[platform]);
      expect(bridge.args).toEqual(['-B', locateBridgeScript()]);
      expect(JSON.parse(bridge.options.input!)).toEqual({
        protocol: 1,
        action: 'create_timeline',
        args: { name: 'T', clips: ['a.mov'] },
        setup: { script_api: null, script_lib: null },
      });
      expect(bridge.options).toMatchObject({ timeoutMs: 120_000, env: { PYTHONDONTWRITEBYTECODE: '1' } });
      expect(world.specs[0]).toMatchObject({
        envVars: ['AGENT_RESOLVE_PYTHON'],
        locations: [PYTHONS[platform], ...(platform === 'linux' ? ['/home/resolve/bin/ResolvePython'] : [])],
      });
    },
  );

  it('passes configured scripting paths and timeout to the bridge', async () => {
    const world = scripted('windows', { ok: true, result: { project: 'p' } });
    const config = {
      script_api: 'D:\\Resolve\\Scripting',
      script_lib: 'D:\\Resolve\\fusionscript.dll',
      timeout_seconds: 5,
    };
    const rec = await runAction(resolvePlugin, 'get_current_project', { config, ...world.options });
    expect(JSON.parse(rec.runs[0]!.options.input!).setup).toEqual({
      script_api: config.script_api,
      script_lib: config.script_lib,
    });
    expect(rec.runs[0]!.options.timeoutMs).toBe(5000);
  });

  it.each<[Platform, string[], Partial<RunResult>, string]>([
    ['linux', ['pgrep', '-x', 'resolve'], { exitCode: 1 }, 'RESOLVE_NOT_RUNNING'],
    ['linux', ['pgrep', '-x', 'resolve'], { exitCode: 0, stdout: '4242\n' }, 'RESOLVE_UNREACHABLE'],
    [
      'darwin',
      ['/usr/bin/pgrep', '-f', 'DaVinci Resolve.app/Contents/MacOS/Resolve'],
      { exitCode: 1 },
      'RESOLVE_NOT_RUNNING',
    ],
    [
      'darwin',
      ['/usr/bin/pgrep', '-f', 'DaVinci Resolve.app/Contents/MacOS/Resolve'],
      { exitCode: 0, stdout: '501\n' },
      'RESOLVE_UNREACHABLE',
    ],
    [
      'windows',
      ['tasklist', '/FI', 'IMAGENAME eq Resolve.exe', '/FO', 'CSV', '/NH'],
      { exitCode: 0, stdout: 'INFO: No tasks are running which match the specified criteria.\r\n' },
      'RESOLVE_NOT_RUNNING',
    ],
    [
      'windows',
      ['tasklist', '/FI', 'IMAGENAME eq Resolve.exe', '/FO', 'CSV', '/NH'],
      { exitCode: 0, stdout: '"Resolve.exe","9120","Console","1","1,204,332 K"\r\n' },
      'RESOLVE_UNREACHABLE',
    ],
    [
      'darwin',
      ['/usr/bin/pgrep', '-f', 'DaVinci Resolve.app/Contents/MacOS/Resolve'],
      { exitCode: 3 },
      'RESOLVE_UNREACHABLE',
    ],
  ])('on %s asks %j and maps %j to %s', async (platform, argv, processes, code) => {
    const world = scripted(
      platform,
      { ok: false, code: 'RESOLVE_UNREACHABLE', message: 'scriptapp returned None' },
      processes,
    );
    const rec = await runAction(resolvePlugin, 'get_current_project', world.options);
    expect(rec.error?.code).toBe(code);
    expect([rec.runs[1]!.file, ...rec.runs[1]!.args]).toEqual(argv);
  });

  it('treats a code the bridge should not send as RESOLVE_BRIDGE_FAILED', async () => {
    const world = scripted('linux', { ok: false, code: 'AUTH_INVALID', message: 'nope' });
    const rec = await runAction(resolvePlugin, 'get_current_project', world.options);
    expect(rec.error).toMatchObject({ code: 'RESOLVE_BRIDGE_FAILED', message: 'nope' });
  });

  it('looks for Resolve itself at the vendor install path on each platform', async () => {
    const expected: Record<Platform, string> = {
      windows: 'C:\\Program Files\\Blackmagic Design\\DaVinci Resolve\\Resolve.exe',
      darwin: '/Applications/DaVinci Resolve/DaVinci Resolve.app/Contents/MacOS/Resolve',
      linux: '/opt/resolve/bin/resolve',
    };
    for (const platform of ['windows', 'darwin', 'linux'] as const) {
      const world = scripted(platform, { ok: true, result: { product: 'DaVinci Resolve', version: '20.0' } });
      const rec = await runAction(resolvePlugin, 'ping', world.options);
      expect(world.specs[0]).toMatchObject({ envVars: ['AGENT_RESOLVE_EXE'] });
      expect(world.specs[0]!.locations![0]).toBe(expected[platform]);
      expect(rec.result).toMatchObject({ available: true, app: null, product: 'DaVinci Resolve' });
    }
  });
});

describe('locateBridgeScript', () => {
  it('finds the bundled script from the sources and from the built dist bundle', () => {
    const fromSource = locateBridgeScript();
    expect(fromSource).toBe(
      fileURLToPath(new URL('../../assets/resolve/resolve_bridge.py', import.meta.url)),
    );
    expect(locateBridgeScript(new URL('../../dist/index.js', import.meta.url).href)).toBe(fromSource);
  });

  it('fails with RESOLVE_BRIDGE_FAILED naming where it looked', () => {
    expect(() => locateBridgeScript('file:///nowhere/at/all/index.js')).toThrow(
      /bridge script is missing.*\/nowhere\/at\/all\/assets/,
    );
  });
});
