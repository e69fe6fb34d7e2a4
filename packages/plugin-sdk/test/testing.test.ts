import { describe, expect, it } from 'vitest';
import { OpenClawError, defineAction, definePlugin } from '../src/index.js';
import { runAction } from '../src/testing.js';

const plugin = definePlugin({
  name: 'studio',
  version: '1.0.0',
  description: 'Studio tools',
  platforms: ['linux', 'darwin', 'windows'],
  actions: {
    convert: defineAction({
      description: 'Convert a file',
      params: {
        type: 'object',
        required: ['path'],
        additionalProperties: false,
        properties: { path: { type: 'string', format: 'path' }, quality: { type: 'integer', default: 80 } },
      },
      result: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } },
      async run(params, ctx) {
        ctx.progress(0.5, 'half');
        ctx.log.info('converting', { path: params.path });
        const tool = await ctx.which({ names: ['convert-tool'], configPath: '/opt/convert' });
        const out = await ctx.run(tool.path ?? 'convert-tool', [
          '-quality',
          String(params.quality),
          params.path,
        ]);
        await ctx.launch('/usr/bin/viewer', [params.path]);
        return { ok: out.exitCode === 0 };
      },
    }),
    broken: defineAction({
      description: 'Returns the wrong shape',
      params: { type: 'object', properties: {} },
      result: { type: 'object', required: ['ok'] },
      run: () => ({ nope: true }),
    }),
    fails: defineAction({
      description: 'Throws',
      params: { type: 'object', properties: {} },
      run() {
        throw new OpenClawError('RENDER_FAILED', 'boom', { details: { frame: 1001 } });
      },
    }),
  },
});

describe('runAction', () => {
  it('records progress, logs, which lookups, runs and launches with their argv', async () => {
    const rec = await runAction(plugin, 'convert', {
      params: { path: '/show/a.exr' },
      platform: 'linux',
      onWhich: () => ({ path: '/opt/convert', source: 'config', searched: ['/opt/convert'] }),
      onRun: () => ({ exitCode: 0, stdout: 'done' }),
      onLaunch: () => ({ pid: 99 }),
    });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toEqual({ ok: true });
    expect(rec.progress).toEqual([{ fraction: 0.5, message: 'half' }]);
    expect(rec.logs).toEqual([{ level: 'info', message: 'converting', data: { path: '/show/a.exr' } }]);
    expect(rec.runs.map((r) => [r.file, ...r.args])).toEqual([
      ['/opt/convert', '-quality', '80', '/show/a.exr'],
    ]);
    expect(rec.launches.map((l) => [l.file, ...l.args, l.result?.pid])).toEqual([
      ['/usr/bin/viewer', '/show/a.exr', 99],
    ]);
  });

  it('rejects params that fail the schema before the handler runs', async () => {
    const rec = await runAction(plugin, 'convert', { params: { path: 'relative/a.exr' } });
    expect(rec.error).toMatchObject({ code: 'INVALID_PARAMS', details: { field: 'params.path' } });
    expect(rec.runs).toHaveLength(0);
  });

  it('checks results against the result schema', async () => {
    const rec = await runAction(plugin, 'broken');
    expect(rec.error).toMatchObject({ code: 'INVALID_RESULT', details: { field: 'result.ok' } });
  });

  it('keeps the code and details of an error the action throws', async () => {
    const rec = await runAction(plugin, 'fails');
    expect(rec.error).toMatchObject({ code: 'RENDER_FAILED', message: 'boom', details: { frame: 1001 } });
  });
});
