import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecAck, JobProgressEvent } from '@openclaw-node/core';
import {
  createExecutor,
  createPathGuard,
  createRegistrySource,
  loadPluginCatalog,
  type Executor,
} from '../../src/index.js';
import { testRegistry } from '../fixtures/test-plugins.js';

let tmp: string;
let show: string;
let executor: Executor;
const events: JobProgressEvent[] = [];
let counter = 0;

const exec = (action: string, params: Record<string, unknown> = {}, timeoutMs = 10_000) =>
  executor.execute({ jobId: `job-${++counter}`, action, params, timeoutMs });

function errorOf(ack: ExecAck) {
  if (ack.ok) throw new Error(`expected an error, got ${JSON.stringify(ack.result)}`);
  return ack.error;
}

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'openclaw-exec-')));
  show = path.join(tmp, 'show');
  await mkdir(path.join(show, 'sh010'), { recursive: true });
  const logger = pino({ level: 'silent' });
  const catalog = await loadPluginCatalog({
    entries: ['demo', 'winonly'],
    sources: [createRegistrySource(testRegistry)],
    platform: 'linux',
    logger,
  });
  executor = createExecutor({
    catalog,
    pathGuard: createPathGuard({ allowedPaths: [show], platform: 'linux' }),
    pluginConfig: { demo: { greeting: 'hi' } },
    platform: 'linux',
    logger,
    emitProgress: (event) => events.push(event),
    abortGraceMs: 50,
  });
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('executor: the request', () => {
  it('runs an action with schema defaults, its plugin_config section and the platform', async () => {
    expect(await exec('demo.echo', { message: 'ab' })).toEqual({
      ok: true,
      result: { message: 'ab', config: { greeting: 'hi' }, platform: 'linux' },
    });
    expect(await exec('demo.echo', { message: 'ab', repeat: 2 })).toMatchObject({
      ok: true,
      result: { message: 'abab' },
    });
  });

  it.each([
    [null, 'payload'],
    [{ action: 'demo.echo', params: {}, timeoutMs: 1000 }, 'jobId'],
    [{ jobId: 'has space', action: 'demo.echo', params: {}, timeoutMs: 1000 }, 'jobId'],
    [{ jobId: 'j', action: 7, params: {}, timeoutMs: 1000 }, 'action'],
    [{ jobId: 'j', action: 'demo.echo', params: [], timeoutMs: 1000 }, 'params'],
    [{ jobId: 'j', action: 'demo.echo', params: {}, timeoutMs: -1 }, 'timeoutMs'],
    [{ jobId: 'j', action: 'demo.echo', params: {}, timeoutMs: '10' }, 'timeoutMs'],
  ])('refuses a malformed payload naming the field (%#)', async (payload, field) => {
    const error = errorOf(await executor.execute(payload));
    expect(error.code).toBe('INVALID_BODY');
    expect(error.details).toEqual({ field });
    expect(error.message).toMatch(new RegExp(`^exec ${field} `));
  });

  it('tells an unknown action, plugin or platform apart', async () => {
    expect(errorOf(await exec('demo.nope')).code).toBe('ACTION_NOT_FOUND');
    expect(errorOf(await exec('rv.open_sources')).code).toBe('PLUGIN_NOT_FOUND');
    expect(errorOf(await exec('winonly.ping')).code).toBe('PLATFORM_UNSUPPORTED');
    expect(errorOf(await exec('no-dot')).code).toBe('INVALID_ACTION_ID');
  });

  it('validates params again and names the field', async () => {
    expect(errorOf(await exec('demo.echo', { message: 5 }))).toMatchObject({
      code: 'INVALID_PARAMS',
      message: 'params.message must be string',
      details: { field: 'params.message' },
    });
    expect(errorOf(await exec('demo.echo', { message: 'x', extra: true }))).toMatchObject({
      code: 'INVALID_PARAMS',
      details: { field: 'params.extra' },
    });
    expect(errorOf(await exec('demo.echo', {}))).toMatchObject({ details: { field: 'params.message' } });
  });
});

describe('executor: paths', () => {
  it('lets a path inside allowed_paths through (as its real path)', async () => {
    const folder = path.join(show, 'sh010');
    expect(await exec('demo.open', { path: folder })).toEqual({ ok: true, result: { opened: folder } });
  });

  it('refuses a path outside allowed_paths before the handler runs', async () => {
    expect(errorOf(await exec('demo.open', { path: '/etc/passwd' }))).toMatchObject({
      code: 'PATH_NOT_ALLOWED',
      details: { field: 'params.path', path: '/etc/passwd' },
    });
    expect(errorOf(await exec('demo.open', { path: `${show}/../../etc` })).code).toBe('PATH_NOT_ALLOWED');
  });

  it('refuses a flag-like or relative value that passed the schema only by being absolute elsewhere', async () => {
    expect(errorOf(await exec('demo.open', { path: '-rf' })).code).toBe('INVALID_PARAMS');
    expect(errorOf(await exec('demo.open', { path: 'C:\\Windows' }))).toMatchObject({
      code: 'INVALID_PARAMS',
      details: { field: 'params.path' },
    });
  });

  it('checks every path in arrays and in string-or-object unions', async () => {
    const inside = path.join(show, 'a.exr');
    expect(await exec('demo.sources', { sources: [inside, { path: inside, label: 'a' }] })).toEqual({
      ok: true,
      result: { count: 2 },
    });
    expect(
      errorOf(await exec('demo.sources', { sources: [inside, { path: '/tmp/../etc/shadow' }] })),
    ).toMatchObject({
      code: 'PATH_NOT_ALLOWED',
      details: { field: 'params.sources[1].path' },
    });
  });
});

describe('executor: deadlines, cancellation and failures', () => {
  it('aborts an action at its timeout and answers TIMEOUT', async () => {
    expect(errorOf(await exec('demo.slow', { ms: 60_000 }, 150))).toMatchObject({
      code: 'TIMEOUT',
      message: 'demo.slow did not finish within 150 ms',
      details: { timeoutMs: 150 },
    });
    expect(executor.running).toBe(0);
  });

  it('answers TIMEOUT even when the handler ignores its signal, and detaches it', async () => {
    const ack = await exec('demo.stubborn', { ms: 1500 }, 100);
    expect(errorOf(ack).code).toBe('TIMEOUT');
    expect(executor.running).toBe(0);
  });

  it('cancels a running action on request', async () => {
    const pending = executor.execute({
      jobId: 'to-cancel',
      action: 'demo.slow',
      params: {},
      timeoutMs: 60_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(executor.cancel('to-cancel', 'the job was cancelled by the server')).toBe(true);
    expect(errorOf(await pending)).toEqual({
      code: 'CANCELLED',
      message: 'the job was cancelled by the server',
    });
    expect(executor.cancel('to-cancel')).toBe(false);
    expect(executor.cancel(undefined)).toBe(false);
  });

  it('turns a plain Error into ACTION_FAILED with its message and no stack', async () => {
    const error = errorOf(await exec('demo.fail_plain'));
    expect(error).toEqual({ code: 'ACTION_FAILED', message: 'the render farm is on fire' });
  });

  it('passes an OpenClawError through with its code and details', async () => {
    expect(errorOf(await exec('demo.fail_coded'))).toEqual({
      code: 'PATH_NOT_FOUND',
      message: 'No such folder: /show/x',
      details: { field: 'params.path' },
    });
  });

  it('refuses results that are not JSON or break the result schema', async () => {
    expect(errorOf(await exec('demo.not_json'))).toMatchObject({
      code: 'INVALID_RESULT',
      details: { field: 'result' },
    });
    expect(errorOf(await exec('demo.typed_result'))).toMatchObject({
      code: 'INVALID_RESULT',
      details: { field: 'result.ok' },
    });
  });

  it('refuses a second job with the id of a running one', async () => {
    const first = executor.execute({ jobId: 'twin', action: 'demo.slow', params: {}, timeoutMs: 60_000 });
    const second = await executor.execute({
      jobId: 'twin',
      action: 'demo.echo',
      params: { message: 'x' },
      timeoutMs: 1000,
    });
    expect(errorOf(second)).toMatchObject({ code: 'INVALID_BODY', details: { field: 'jobId' } });
    executor.cancelAll('test over');
    expect(errorOf(await first)).toEqual({ code: 'CANCELLED', message: 'test over' });
  });

  it('runs exclusive actions one at a time', async () => {
    const [a, b] = await Promise.all([exec('demo.queue', { ms: 100 }), exec('demo.queue', { ms: 10 })]);
    if (!a.ok || !b.ok) throw new Error('expected both runs to succeed');
    const first = a.result as { started: number; finished: number };
    const second = b.result as { started: number; finished: number };
    expect(second.started).toBeGreaterThanOrEqual(first.finished);
  });
});

describe('executor: acks, progress and output', () => {
  it('acks exactly once and survives a missing ack callback', async () => {
    const acks: ExecAck[] = [];
    executor.handle(
      { jobId: 'once', action: 'demo.echo', params: { message: 'x' }, timeoutMs: 1000 },
      (r: ExecAck) => acks.push(r),
    );
    executor.handle({ jobId: 'bad' }, (r: ExecAck) => acks.push(r));
    expect(() =>
      executor.handle({ jobId: 'no-ack', action: 'demo.echo', params: {}, timeoutMs: 1000 }, undefined),
    ).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(acks).toHaveLength(2);
    expect(acks.map((a) => a.ok).sort()).toEqual([false, true]);
  });

  it('throttles progress, clamps it, forwards logs and always sends the last value', async () => {
    events.length = 0;
    const ack = await executor.execute({
      jobId: 'chatty',
      action: 'demo.chatty',
      params: { steps: 50 },
      timeoutMs: 10_000,
    });
    expect(ack.ok).toBe(true);
    const progress = events.filter((e) => e.jobId === 'chatty' && e.progress !== undefined);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThan(50);
    expect(progress.every((e) => e.progress! >= 0 && e.progress! <= 1)).toBe(true);
    expect(progress.at(-1)).toEqual({ jobId: 'chatty', progress: 1, message: 'overshoot is clamped' });
    const logs = events
      .filter((e) => e.stream === 'log')
      .map((e) => e.chunk)
      .join('');
    expect(logs).toContain('[info] reached step 10\n');
    expect(logs).toContain('[info] reached step 50\n');
  });

  it('forwards the output of real child processes started with ctx.run', async () => {
    events.length = 0;
    const ack = await executor.execute({
      jobId: 'print',
      action: 'demo.print',
      params: { lines: 3 },
      timeoutMs: 10_000,
    });
    expect(ack).toEqual({ ok: true, result: { exitCode: 0 } });
    const stdout = events
      .filter((e) => e.stream === 'stdout')
      .map((e) => e.chunk)
      .join('');
    const stderr = events
      .filter((e) => e.stream === 'stderr')
      .map((e) => e.chunk)
      .join('');
    expect(stdout).toBe('frame 1\nframe 2\nframe 3\n');
    expect(stderr).toBe('done\n');
  });
});
