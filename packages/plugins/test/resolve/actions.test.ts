import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '@openclaw-node/plugin-sdk/testing';
import { resolvePlugin } from '../../src/resolve/index.js';
import { FakeResolve, emptyProject } from './fake-resolve.js';

// These run the bundled bridge with the real python3 against the fake DaVinciResolveScript module.
let fake: FakeResolve;
const run = (action: string, params: unknown = {}, config: Record<string, unknown> = {}) =>
  runAction(resolvePlugin, action, {
    params,
    platform: 'linux',
    config: fake.config(config),
    env: fake.env(),
  });

beforeEach(() => {
  fake = new FakeResolve();
});
afterEach(() => fake.cleanup());

describe('resolve.add_to_media_pool', () => {
  it('imports the files into the current bin and describes the new clips', async () => {
    const a = fake.media('sh010_plate_v001.mov');
    const b = fake.media('sh010_ref.mp4');
    const rec = await run('add_to_media_pool', { files: [a, b] });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ project: 'sh010 conform', bin: 'Master', requested: 2, imported: 2 });
    expect((rec.result as { items: unknown[] }).items).toEqual([
      { name: 'sh010_plate_v001.mov', media_id: expect.any(String), file_path: a },
      { name: 'sh010_ref.mp4', media_id: expect.any(String), file_path: b },
    ]);
    expect(fake.calls('ImportMedia')).toEqual([[{ FilePath: a }, { FilePath: b }]]);
    expect(Object.values(fake.read().project!.clips).map((c) => c.file_path)).toEqual([a, b]);
  });

  it('passes paths with spaces, quotes and unicode through intact', async () => {
    const odd = [
      fake.media('plate A 01 — ünïcødé 日本.mov'),
      fake.media(`it's "quoted" $HOME; rm -rf.mov`),
      fake.media('-looks like a flag.exr'),
    ];
    const rec = await run('add_to_media_pool', { files: odd });
    expect(rec.error).toBeUndefined();
    expect(fake.calls('ImportMedia')[0]).toEqual(odd.map((FilePath) => ({ FilePath })));
    expect((rec.result as { items: { file_path: string }[] }).items.map((i) => i.file_path)).toEqual(odd);
    // Nothing of the command reached argv: the bridge gets it on stdin.
    expect(rec.runs[0]!.args).toEqual(['-B', expect.stringMatching(/resolve_bridge\.py$/)]);
    expect(JSON.parse(rec.runs[0]!.options.input!)).toMatchObject({
      action: 'add_to_media_pool',
      args: { files: odd },
    });
  });

  it('creates a nested bin, imports into it and restores the current bin', async () => {
    const a = fake.media('bg.exr');
    const rec = await run('add_to_media_pool', { files: [a], bin: 'Plates/sh010' });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ bin: 'sh010', imported: 1 });
    const project = fake.read().project!;
    const plates = Object.entries(project.folders).find(([, f]) => f.name === 'Plates')!;
    const sh010 = Object.values(project.folders).find((f) => f.name === 'sh010')!;
    expect(plates[1].parent).toBe('root');
    expect(sh010.parent).toBe(plates[0]);
    expect(sh010.clips).toHaveLength(1);
    expect(project.current_folder).toBe('root');
    // A second import reuses the existing bins.
    await run('add_to_media_pool', { files: [fake.media('fg.exr')], bin: 'Plates/sh010' });
    expect(fake.calls('AddSubFolder')).toHaveLength(2);
    expect(Object.values(fake.read().project!.folders).find((f) => f.name === 'sh010')!.clips).toHaveLength(
      2,
    );
  });

  it('falls back to the list form of ImportMedia on an old Resolve', async () => {
    fake.write({ legacy_api: true, project: emptyProject() });
    const a = fake.media('old.mov');
    const rec = await run('add_to_media_pool', { files: [a] });
    expect(rec.error).toBeUndefined();
    expect(fake.calls('ImportMedia')).toEqual([[{ FilePath: a }], [a]]);
  });

  it('reports RESOLVE_IMPORT_FAILED when Resolve imports nothing', async () => {
    const rec = await run('add_to_media_pool', { files: [fake.media('notes.txt')] });
    expect(rec.error).toMatchObject({ code: 'RESOLVE_IMPORT_FAILED', details: { field: 'params.files' } });
  });

  it('reports RESOLVE_IMPORT_FAILED when the bin cannot be created', async () => {
    fake.write({ fail_add_folder: true, project: emptyProject() });
    const rec = await run('add_to_media_pool', { files: [fake.media('a.mov')], bin: 'Plates' });
    expect(rec.error).toMatchObject({ code: 'RESOLVE_IMPORT_FAILED', details: { field: 'params.bin' } });
    expect(fake.calls('ImportMedia')).toEqual([]);
  });

  it('reports PATH_NOT_FOUND naming the missing file before starting Python', async () => {
    const rec = await run('add_to_media_pool', { files: [fake.media('a.mov'), `${fake.dir}/missing.mov`] });
    expect(rec.error).toMatchObject({ code: 'PATH_NOT_FOUND', details: { field: 'params.files[1]' } });
    expect(rec.runs).toEqual([]);
  });

  it('rejects a folder and a malformed bin', async () => {
    expect((await run('add_to_media_pool', { files: [fake.dir] })).error).toMatchObject({
      code: 'INVALID_PARAMS',
      details: { field: 'params.files[0]' },
    });
    expect(
      (await run('add_to_media_pool', { files: [fake.media('a.mov')], bin: 'A//B' })).error,
    ).toMatchObject({
      code: 'INVALID_PARAMS',
      details: { field: 'params.bin' },
    });
    expect((await run('add_to_media_pool', { files: ['relative.mov'] })).error?.code).toBe('INVALID_PARAMS');
  });
});

describe('resolve.create_timeline', () => {
  it('creates an empty timeline named "New Timeline" by default and makes it current', async () => {
    const rec = await run('create_timeline');
    expect(rec.error).toBeUndefined();
    expect(rec.result).toEqual({
      project: 'sh010 conform',
      timeline: 'New Timeline',
      clips_appended: 0,
      start_frame: 86400,
      end_frame: 86400,
    });
    expect(fake.read().project).toMatchObject({
      current_timeline: 'New Timeline',
      timelines: [{ name: 'New Timeline', clips: [] }],
    });
    expect(fake.calls('AppendToTimeline')).toEqual([]);
  });

  it('appends clips given by name or by file path, in order, searching every bin', async () => {
    const a = fake.media('A001 ünï.mov');
    const b = fake.media('B002.mov');
    await run('add_to_media_pool', { files: [a] });
    await run('add_to_media_pool', { files: [b], bin: 'Refs' });
    const rec = await run('create_timeline', { name: 'sh010 edit v2', clips: [b, 'A001 ünï.mov'] });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({
      timeline: 'sh010 edit v2',
      clips_appended: 2,
      start_frame: 86400,
      end_frame: 86400 + 47,
    });
    const project = fake.read().project!;
    const names = project.timelines[0]!.clips.map((id) => project.clips[id]!.name);
    expect(names).toEqual(['B002.mov', 'A001 ünï.mov']);
    expect(fake.calls('AppendToTimeline')[0]).toEqual(
      project.timelines[0]!.clips.map((id) => ({ mediaPoolItem: id })),
    );
  });

  it('falls back to the list form of AppendToTimeline on an old Resolve', async () => {
    const a = fake.media('a.mov');
    fake.write({ legacy_api: true, project: emptyProject() });
    await run('add_to_media_pool', { files: [a] });
    const rec = await run('create_timeline', { name: 'legacy', clips: ['a.mov'] });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ clips_appended: 1 });
    expect(fake.calls('AppendToTimeline')).toHaveLength(2);
  });

  it('reports RESOLVE_TIMELINE_FAILED for a name that exists, naming the field', async () => {
    await run('create_timeline', { name: 'Edit' });
    const rec = await run('create_timeline', { name: 'Edit' });
    expect(rec.error).toMatchObject({ code: 'RESOLVE_TIMELINE_FAILED', details: { field: 'params.name' } });
    expect(rec.error?.message).toContain("'Edit' already exists");
  });

  it('reports RESOLVE_TIMELINE_FAILED when Resolve returns None', async () => {
    fake.write({ fail_create_timeline: true, project: emptyProject() });
    const rec = await run('create_timeline', { name: 'Edit' });
    expect(rec.error).toMatchObject({ code: 'RESOLVE_TIMELINE_FAILED', details: { field: 'params.name' } });
  });

  it('reports RESOLVE_TIMELINE_FAILED naming clips missing from the media pool, creating nothing', async () => {
    const rec = await run('create_timeline', { name: 'Edit', clips: ['ghost.mov'] });
    expect(rec.error).toMatchObject({
      code: 'RESOLVE_TIMELINE_FAILED',
      details: { field: 'params.clips', missing: ['ghost.mov'] },
    });
    expect(fake.read().project!.timelines).toEqual([]);
  });

  it('rejects a name with control characters', async () => {
    const rec = await run('create_timeline', { name: 'a\nb' });
    expect(rec.error).toMatchObject({ code: 'INVALID_PARAMS' });
  });
});

describe('resolve.get_current_project', () => {
  it('describes the project, its timelines and the current bin', async () => {
    await run('create_timeline', { name: 'One' });
    await run('create_timeline', { name: 'Two' });
    const rec = await run('get_current_project');
    expect(rec.error).toBeUndefined();
    expect(rec.result).toEqual({
      product: 'DaVinci Resolve Studio',
      version: '19.1.4.11',
      project: 'sh010 conform',
      project_id: '8f0c6f3e-11aa-4bb2-9f57-5b0a2f1f9d10',
      timeline_count: 2,
      timelines: ['One', 'Two'],
      current_timeline: 'Two',
      current_bin: 'Master',
    });
  });

  it('reports RESOLVE_NO_PROJECT when no project is loaded', async () => {
    fake.write({ project: null });
    const rec = await run('get_current_project');
    expect(rec.error).toMatchObject({ code: 'RESOLVE_NO_PROJECT' });
  });
});
