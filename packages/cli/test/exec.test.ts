import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '@openclaw-node/test-support/cli';
import { startTestBed, type TestBed } from './helpers/server.js';

let bed: TestBed;

beforeAll(async () => {
  bed = await startTestBed();
});

afterAll(async () => {
  await bed.close();
});

const exec = (...args: string[]) => cli(['exec', 'ws-042', ...args], bed.env);
const lastParams = () => bed.execs.at(-1)!.params;

describe('openclaw exec: key=value coercion by the action schema', () => {
  it('types integers, numbers, booleans and strings', async () => {
    const run = await exec(
      'render.submit',
      'script=/show/a.nk',
      'threads=8',
      'quality=0.5',
      'gui=no',
      'frame_range=1001-1100',
    );
    expect(run.code).toBe(0);
    expect(lastParams()).toEqual({
      script: '/show/a.nk',
      threads: 8,
      quality: 0.5,
      gui: false,
      frame_range: '1001-1100',
    });
  });

  it.each([
    ['true', true],
    ['false', false],
    ['1', true],
    ['0', false],
    ['yes', true],
    ['NO', false],
  ])('reads the boolean %s', async (given, expected) => {
    expect((await exec('render.submit', 'script=/a.nk', `gui=${given}`)).code).toBe(0);
    expect(lastParams().gui).toBe(expected);
  });

  it('reads arrays as comma-separated items typed by the items schema', async () => {
    await exec('render.submit', 'script=/a.nk', 'frames=1001,1050,1100', 'sources=/a.exr,/b.exr');
    expect(lastParams()).toMatchObject({ frames: [1001, 1050, 1100], sources: ['/a.exr', '/b.exr'] });
  });

  it('reads arrays as JSON and from a repeated key', async () => {
    await exec('render.submit', 'script=/a.nk', 'sources=["/a,b.exr"]', 'frames=1', 'frames=2');
    expect(lastParams()).toMatchObject({ sources: ['/a,b.exr'], frames: [1, 2] });
  });

  it('reads objects as JSON, null for a nullable param, and keeps a value containing "="', async () => {
    await exec('render.submit', 'script=/a=b.nk', 'options={"denoise": true}', 'priority=null', 'mode=final');
    expect(lastParams()).toEqual({
      script: '/a=b.nk',
      options: { denoise: true },
      priority: null,
      mode: 'final',
    });
  });

  it('passes unknown keys as strings and prints the server’s complaint', async () => {
    const run = await exec('render.submit', 'script=/a.nk', 'colour=red');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('INVALID_PARAMS');
    expect(run.stderr).toContain('params.colour');
  });

  it.each([
    ['threads=many', 'threads must be an integer, got "many"'],
    ['threads=1.5', 'threads must be an integer'],
    ['quality=NaN', 'quality must be a number'],
    ['gui=maybe', 'gui must be true or false'],
    ['frames=1,x', 'frames[1] must be an integer'],
    ['options=[1]', 'options must be a JSON object'],
    ['sources=[oops', 'sources must be a JSON array'],
    ['=value', 'Expected key=value'],
    ['script', 'Expected key=value'],
  ])('rejects %s with a usage error naming the key, sending nothing', async (arg, message) => {
    const before = bed.execs.length;
    const run = await exec('render.submit', 'script=/a.nk', arg);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(bed.execs.length).toBe(before);
  });

  it('merges --params under key=value pairs', async () => {
    await exec(
      'render.submit',
      '--params',
      '{"script": "/from-json.nk", "threads": 2, "gui": true}',
      'threads=16',
    );
    expect(lastParams()).toEqual({ script: '/from-json.nk', threads: 16, gui: true });
  });

  it('rejects --params that is not a JSON object', async () => {
    const run = await exec('render.submit', '--params', '[1]');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--params must be a JSON object');
  });

  it('sends --timeout in seconds and rejects a bad one', async () => {
    await exec('render.ping', '--timeout', '90');
    expect(bed.execs.at(-1)!.timeoutMs).toBe(90_000);
    const bad = await exec('render.ping', '--timeout', 'soon');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--timeout must be a positive number');
  });

  it('rejects a malformed action id as a usage error', async () => {
    const run = await exec('submit');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('plugin.action must have the form plugin.action');
  });
});

describe('openclaw exec: output', () => {
  it('prints the result as pretty JSON', async () => {
    const run = await exec('render.ping');
    expect(run).toEqual({ code: 0, stdout: '{\n  "received": {}\n}\n', stderr: '' });
  });

  it('prints the whole response with --json', async () => {
    const run = await exec('render.ping', '--json');
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'success',
      node_id: 'ws-042',
      action: 'render.ping',
      command_id: expect.any(String),
    });
  });

  it('prints CODE: message and the field on stderr and exits 1 when the action fails', async () => {
    const run = await exec('render.submit', 'script=/fail');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('PATH_NOT_FOUND: No such script: /fail\n  field: params.script\n');
  });

  it('also prints the error body on stdout with --json', async () => {
    const run = await exec('render.submit', 'script=/fail', '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'error',
      error: { code: 'PATH_NOT_FOUND' },
      command_id: expect.any(String),
    });
  });

  it('reports PLATFORM_UNSUPPORTED for a plugin skipped on this platform', async () => {
    const run = await exec('resolve.ping');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^PLATFORM_UNSUPPORTED: /);
  });

  it('reports an unknown node before sending anything', async () => {
    const run = await cli(['exec', 'ws-999', 'render.submit', 'script=/a.nk'], bed.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^NODE_NOT_FOUND: No node "ws-999"/);
  });

  it('takes --server and --token over the environment', async () => {
    const run = await cli(
      ['exec', 'ws-042', 'render.ping', '--server', bed.url, '--token', bed.env.OPENCLAW_TOKEN!],
      {
        OPENCLAW_SERVER: 'http://127.0.0.1:1',
        OPENCLAW_TOKEN: 'wrong',
      },
    );
    expect(run.code).toBe(0);
  });

  it('reports a bad token and an unreachable server', async () => {
    const denied = await cli(['exec', 'ws-042', 'render.ping'], {
      OPENCLAW_SERVER: bed.url,
      OPENCLAW_TOKEN: 'wrong',
    });
    expect(denied).toMatchObject({ code: 1, stderr: expect.stringMatching(/^AUTH_INVALID: /) });
    const down = await cli(['exec', 'ws-042', 'render.ping'], {
      OPENCLAW_SERVER: 'http://127.0.0.1:1',
      OPENCLAW_TOKEN: 'x',
    });
    expect(down).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^SERVER_UNREACHABLE: .*http:\/\/127\.0\.0\.1:1/),
    });
  });
});
