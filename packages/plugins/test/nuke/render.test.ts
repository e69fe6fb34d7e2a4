import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import { nukePlugin } from '../../src/nuke/index.js';
import { createFakeStudio, isAlive, waitFor, type FakeStudio } from './fake-install.js';

let studio: FakeStudio;

beforeEach(async () => {
  studio = await createFakeStudio();
});
afterEach(async () => {
  // Whatever a test left running (it should be nothing) must not outlive it.
  const pids = await readFile(studio.pidFile, 'utf8').then(
    (text) => JSON.parse(text) as { pid: number; child: number | null },
    () => null,
  );
  for (const pid of [pids?.pid, pids?.child]) {
    if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  await studio.cleanup();
});

const render = (params: Record<string, unknown>, env: Record<string, string> = {}, extra = {}) =>
  runAction(nukePlugin, 'render_write', {
    params: { script: studio.script, ...params },
    platform: 'linux',
    config: { path: studio.nuke, install_roots: [] },
    env: studio.env(env),
    ...extra,
  });

describe('render_write against the fake Nuke', () => {
  it('renders, writes the files, and reports progress per frame as lines arrive', async () => {
    const rec = await render({ write_node: 'Write_comp', frame_range: '1001-1004,1008' });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({
      frames_written: [1001, 1002, 1003, 1004, 1008],
      frames_written_count: 5,
      frames_requested: 5,
      frame_range: '1001-1004,1008',
      write_nodes: ['Write_comp'],
      outputs_count: 5,
      error_lines: [],
      nuke: { path: studio.nuke, version: '15.1v3' },
    });
    const result = rec.result as { outputs: string[]; duration_ms: number };
    expect(result.outputs[0]).toBe(path.join(studio.out, 'render', 'sh010_comp.1001.exr'));
    expect(result.duration_ms).toBeGreaterThanOrEqual(0);
    expect((await readdir(path.join(studio.out, 'render'))).sort()).toEqual([
      'sh010_comp.1001.exr',
      'sh010_comp.1002.exr',
      'sh010_comp.1003.exr',
      'sh010_comp.1004.exr',
      'sh010_comp.1008.exr',
    ]);
    expect(rec.progress.map((p) => p.fraction)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1, 1]);
    expect(rec.progress[1]!.message).toBe('Frame 1001 (1 of 5)');
    expect(rec.progress[5]!.message).toBe('Frame 1008 (5 of 5)');
    const [call] = await studio.argvs();
    expect(call!.argv).toEqual([
      '-x',
      '-X',
      'Write_comp',
      '-F',
      '1001-1004',
      '-F',
      '1008',
      '-f',
      '-V',
      '2',
      '--',
      studio.script,
    ]);
    expect(call!.env.FN_DISABLE_LICENSE_DIALOG).toBe('1');
  });

  it('renders several Write nodes and every view of a %V file', async () => {
    const rec = await render({ write_nodes: ['Write_comp', 'Write_review'], frame_range: '1001-1002' });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ frames_written: [1001, 1002], outputs_count: 6 });
    expect((await readdir(path.join(studio.out, 'review'))).sort()).toEqual([
      'sh010_comp_left.1001.jpg',
      'sh010_comp_left.1002.jpg',
      'sh010_comp_right.1001.jpg',
      'sh010_comp_right.1002.jpg',
    ]);
  });

  it("renders the script's own range when no frame_range is given", async () => {
    const rec = await render({ write_node: 'Write_comp' });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ frames_requested: 10, frames_written_count: 10, frame_range: null });
    expect(rec.progress.at(-2)).toEqual({ fraction: 1, message: 'Frame 1010 (10 of 10)' });
  });

  it('fails RENDER_FAILED with the ERROR line and the log tail when Nuke exits non-zero', async () => {
    const rec = await render(
      { write_node: 'Write_comp', frame_range: '1001-1005' },
      { FAKE_NUKE_FAIL_FRAME: '1003' },
    );
    expect(rec.error?.code).toBe('RENDER_FAILED');
    expect(rec.error?.message).toMatch(/exit code 1: ERROR: Write_comp: Can't write .*sh010_comp\.1003\.exr/);
    const details = rec.error!.details as Record<string, unknown>;
    expect(details).toMatchObject({ exit_code: 1, frames_written: [1001, 1002], frames_written_count: 2 });
    expect(details.errors).toEqual([expect.stringMatching(/^ERROR: Write_comp: Can't write/)]);
    const tail = details.log_tail as string[];
    expect(tail[0]).toMatch(/^Nuke 15\.1v3, 64 bit/);
    expect(tail.at(-1)).toMatch(/^ERROR: Write_comp/);
    expect(tail).toContain('Frame 1002 (2 of 5)');
  });

  it('fails RENDER_FAILED for an unknown Write node, naming it', async () => {
    const rec = await render({ write_node: 'Write_nope', frame_range: '1-2' });
    expect(rec.error?.code).toBe('RENDER_FAILED');
    expect(rec.error?.message).toContain('Write_nope');
    expect(rec.error?.details).toMatchObject({ exit_code: 1, frames_written: [] });
  });

  it('fails RENDER_FAILED when --cont hid an error behind exit code 0, keeping what was written', async () => {
    const rec = await render(
      { write_node: 'Write_comp', frame_range: '1001-1004', continue_on_error: true },
      { FAKE_NUKE_FAIL_FRAME: '1002' },
    );
    expect(rec.error?.code).toBe('RENDER_FAILED');
    expect(rec.error?.message).toMatch(/1 error line\(s\) while continuing past errors/);
    expect(rec.error?.details).toMatchObject({ exit_code: 0, frames_written: [1001, 1003, 1004] });
    expect((await studio.argvs())[0]!.argv).toContain('--cont');
  });

  it('fails RENDER_FAILED listing the frames that are missing although Nuke exited 0', async () => {
    const rec = await render(
      { write_node: 'Write_comp', frame_range: '1-6' },
      { FAKE_NUKE_SKIP_FRAMES: '2,5' },
    );
    expect(rec.error?.code).toBe('RENDER_FAILED');
    expect(rec.error?.message).toMatch(/2 of 6 requested frames were not written \(first: 2\)/);
    expect(rec.error?.details).toMatchObject({
      exit_code: 0,
      frames_missing: [2, 5],
      frames_missing_count: 2,
      frames_written: [1, 3, 4, 6],
    });
  });

  it('fails LICENSE_UNAVAILABLE when Nuke cannot get a license', async () => {
    const rec = await render({ write_node: 'Write_comp', frame_range: '1-3' }, { FAKE_NUKE_LICENSE: 'fail' });
    expect(rec.error?.code).toBe('LICENSE_UNAVAILABLE');
    expect(rec.error?.message).toMatch(/A license for nuke was not found/);
    expect(rec.error?.details).toMatchObject({ exit_code: 1 });
    expect(rec.error?.details?.log_tail).toContain('FOUNDRY LICENSE ERROR REPORT');
    await expect(stat(path.join(studio.out, 'render'))).rejects.toThrow();
  });
});

describe('cancel and timeout kill the render', () => {
  const slow = { FAKE_NUKE_FRAME_DELAY_MS: '200', FAKE_NUKE_SPAWN_CHILD: '1' };
  const started = () =>
    waitFor(
      async () => (await readdir(path.join(studio.out, 'render')).catch(() => [])).length > 0,
      'the first rendered frame',
    );
  const pids = async () =>
    JSON.parse(await readFile(studio.pidFile, 'utf8')) as { pid: number; child: number };

  it('surfaces CANCELLED and leaves no Nuke process or child behind', async () => {
    const controller = new AbortController();
    const pending = render({ write_node: 'Write_comp', frame_range: '1-200' }, slow, {
      signal: controller.signal,
    });
    await started();
    const { pid, child } = await pids();
    expect(isAlive(pid)).toBe(true);
    expect(isAlive(child)).toBe(true);
    controller.abort();
    const rec = await pending;
    expect(rec.error?.code).toBe('CANCELLED');
    await waitFor(() => !isAlive(pid) && !isAlive(child), 'the render process tree to exit');
    expect((await readdir(path.join(studio.out, 'render'))).length).toBeLessThan(200);
  });

  it('surfaces TIMEOUT, not RENDER_FAILED, and kills the process tree', async () => {
    const pending = render({ write_node: 'Write_comp', frame_range: '1-200' }, slow, { timeoutMs: 1500 });
    await started();
    const { pid, child } = await pids();
    const rec = await pending;
    expect(rec.error?.code).toBe('TIMEOUT');
    await waitFor(() => !isAlive(pid) && !isAlive(child), 'the render process tree to exit');
  });
});
