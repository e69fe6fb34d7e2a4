import { describe, expect, it } from 'vitest';
import { useFakeShotgrid } from './setup.js';

const world = useFakeShotgrid();

describe('shotgrid.publish_version', () => {
  it('creates a Version with link hashes and the frame fields, and returns it flattened', async () => {
    const ids = world.seed();
    const rec = await world.run('publish_version', {
      project_id: ids.project,
      entity_id: ids.shot,
      code: 'sh010_comp_v003',
      description: 'Comp v003 for review',
      path_to_movie: '/show/sh010/review/sh010_comp_v003.mov',
      path_to_frames: '/show/sh010/render/sh010_comp_v003.####.exr',
      task_id: ids.task,
      status: 'rev',
      first_frame: 1001,
      last_frame: 1100,
      user_id: ids.user,
    });
    expect(rec.error).toBeUndefined();
    const [create] = world.site.requestsTo('POST', '/api/v1/entity/versions');
    expect(create!.headers['content-type']).toBe('application/json');
    expect(create!.headers.accept).toBe('application/json');
    expect(create!.headers.authorization).toMatch(/^Bearer fake\./);
    expect(JSON.parse(create!.body)).toEqual({
      project: { type: 'Project', id: 70 },
      code: 'sh010_comp_v003',
      entity: { type: 'Shot', id: 868 },
      sg_task: { type: 'Task', id: 4567 },
      user: { type: 'HumanUser', id: 42 },
      sg_status_list: 'rev',
      description: 'Comp v003 for review',
      sg_path_to_movie: '/show/sh010/review/sh010_comp_v003.mov',
      sg_path_to_frames: '/show/sh010/render/sh010_comp_v003.####.exr',
      sg_first_frame: 1001,
      sg_last_frame: 1100,
      frame_count: 100,
      frame_range: '1001-1100',
    });
    const result = rec.result as {
      version_id: number;
      version: Record<string, unknown>;
      url: string;
      uploaded: unknown;
    };
    expect(result.version).toMatchObject({
      type: 'Version',
      id: result.version_id,
      code: 'sh010_comp_v003',
      sg_status_list: 'rev',
      entity: { type: 'Shot', id: 868, name: 'sh010' },
      project: { type: 'Project', id: 70, name: 'Demo Show' },
    });
    expect(result.url).toBe(`${world.site.url}/detail/Version/${result.version_id}`);
    expect(result.uploaded).toEqual({ movie: null, thumbnail: null });
    expect(world.site.store.get('Version', result.version_id)!.fields.frame_range).toBe('1001-1100');
  });

  it('defaults entity_type to Shot and links other entity types when asked', async () => {
    const ids = world.seed();
    const asset = world.site.store.add('Asset', {
      code: 'chair',
      project: { type: 'Project', id: ids.project },
    });
    await world.run('publish_version', { project_id: ids.project, entity_id: ids.shot, code: 'v1' });
    const rec = await world.run('publish_version', {
      project_id: ids.project,
      entity_id: asset.id,
      entity_type: 'Asset',
      code: 'chair_v1',
    });
    expect(rec.error).toBeUndefined();
    const bodies = world.site
      .requestsTo('POST', '/api/v1/entity/versions')
      .map((r) => (JSON.parse(r.body) as { entity: unknown }).entity);
    expect(bodies).toEqual([
      { type: 'Shot', id: ids.shot },
      { type: 'Asset', id: asset.id },
    ]);
  });

  it('reports SG_VALIDATION with the server title, detail and source', async () => {
    const ids = world.seed();
    const badStatus = await world.run('publish_version', {
      project_id: ids.project,
      entity_id: ids.shot,
      code: 'v1',
      status: 'nope',
    });
    expect(badStatus.error).toMatchObject({
      code: 'SG_VALIDATION',
      details: { status: 400, title: 'Invalid field value' },
    });
    expect(badStatus.error?.message).toContain("'nope' is not a valid status. Valid statuses: 'na', 'rev'");
    const badEntity = await world.run('publish_version', {
      project_id: ids.project,
      entity_id: 99999,
      code: 'v1',
    });
    expect(badEntity.error).toMatchObject({
      code: 'SG_VALIDATION',
      details: { detail: 'Create failed for [Version.entity]: Value is not legal.' },
    });
  });

  it('checks its params before calling ShotGrid', async () => {
    const ids = world.seed();
    const base = { project_id: ids.project, entity_id: ids.shot, code: 'v1' };
    expect(
      (await world.run('publish_version', { ...base, first_frame: 1100, last_frame: 1001 })).error,
    ).toMatchObject({
      code: 'INVALID_PARAMS',
      details: { field: 'params.last_frame' },
    });
    expect((await world.run('publish_version', { ...base, upload_movie: true })).error).toMatchObject({
      code: 'INVALID_PARAMS',
      details: { field: 'params.path_to_movie' },
    });
    expect(
      (
        await world.run('publish_version', {
          ...base,
          upload_movie: true,
          path_to_movie: `${world.dir}/none.mov`,
        })
      ).error,
    ).toMatchObject({
      code: 'PATH_NOT_FOUND',
      details: { field: 'params.path_to_movie' },
    });
    expect((await world.run('publish_version', { ...base, entity_type: 'shot; drop' })).error?.code).toBe(
      'INVALID_PARAMS',
    );
    expect(world.site.requestsTo('POST', '/api/v1/entity/versions')).toEqual([]);
  });
});

describe('shotgrid.update_task_status', () => {
  it('PUTs the status and returns the updated Task', async () => {
    const ids = world.seed();
    const rec = await world.run('update_task_status', { task_id: ids.task, status: 'ip' });
    expect(rec.error).toBeUndefined();
    const [put] = world.site.requestsTo('PUT', `/api/v1/entity/tasks/${ids.task}`);
    expect(JSON.parse(put!.body)).toEqual({ sg_status_list: 'ip' });
    expect(rec.result).toMatchObject({
      task_id: ids.task,
      status: 'ip',
      task: { type: 'Task', id: ids.task, sg_status_list: 'ip' },
    });
    expect(world.site.store.get('Task', ids.task)!.fields.sg_status_list).toBe('ip');
  });

  it('reports SG_VALIDATION for a status the site does not have and SG_NOT_FOUND for a missing Task', async () => {
    const ids = world.seed();
    const invalid = await world.run('update_task_status', { task_id: ids.task, status: 'done' });
    expect(invalid.error).toMatchObject({ code: 'SG_VALIDATION' });
    expect(invalid.error?.message).toContain("Valid statuses: 'wtg', 'rdy', 'ip'");
    const missing = await world.run('update_task_status', { task_id: 31337, status: 'ip' });
    expect(missing.error).toMatchObject({
      code: 'SG_NOT_FOUND',
      details: { status: 404, detail: 'Task: 31337 not found' },
    });
    expect((await world.run('update_task_status', { task_id: ids.task, status: '-rf' })).error?.code).toBe(
      'INVALID_PARAMS',
    );
  });
});

describe('shotgrid.get_shot_info', () => {
  it('reads a Shot by id with the default fields, links flattened', async () => {
    const ids = world.seed();
    const rec = await world.run('get_shot_info', { shot_id: ids.shot });
    expect(rec.error).toBeUndefined();
    const [get] = world.site.requestsTo('GET', `/api/v1/entity/shots/${ids.shot}`);
    expect(get!.query.fields).toBe(
      'code,sg_status_list,description,sg_cut_in,sg_cut_out,sg_head_in,sg_tail_out,sg_sequence,image,project',
    );
    expect(rec.result).toEqual({
      shot: {
        type: 'Shot',
        id: 868,
        code: 'sh010',
        sg_status_list: 'ip',
        description: 'Hero shot',
        sg_cut_in: 1001,
        sg_cut_out: 1100,
        sg_head_in: 993,
        sg_tail_out: 1108,
        image: null,
        sg_sequence: { type: 'Sequence', id: 23, name: 'seq01' },
        project: { type: 'Project', id: 70, name: 'Demo Show' },
      },
    });
  });

  it('finds a Shot by code within a project through _search with the array filter type', async () => {
    const ids = world.seed();
    const rec = await world.run('get_shot_info', {
      shot_code: 'sh010',
      project_id: ids.project,
      fields: ['sg_cut_in', 'sg_sequence.Sequence.code'],
    });
    expect(rec.error).toBeUndefined();
    expect(rec.result).toEqual({
      shot: { type: 'Shot', id: 868, sg_cut_in: 1001, 'sg_sequence.Sequence.code': 'seq01', code: 'sh010' },
    });
    const [search] = world.site.requestsTo('POST', '/api/v1/entity/shots/_search');
    expect(search!.headers['content-type']).toBe('application/vnd+shotgun.api3_array+json');
    expect(JSON.parse(search!.body)).toEqual({
      filters: [
        ['code', 'is', 'sh010'],
        ['project', 'is', { type: 'Project', id: 70 }],
      ],
    });
    expect(search!.query).toMatchObject({
      fields: 'sg_cut_in,sg_sequence.Sequence.code,code',
      'page[number]': '1',
    });
  });

  it('reports SG_NOT_FOUND for no match and SG_AMBIGUOUS with the candidates for several', async () => {
    const ids = world.seed();
    const none = await world.run('get_shot_info', { shot_code: 'sh999', project_id: ids.project });
    expect(none.error).toMatchObject({ code: 'SG_NOT_FOUND', details: { field: 'params.shot_code' } });
    world.site.store.add('Shot', { code: 'sh010', project: { type: 'Project', id: ids.project } }, 870);
    const two = await world.run('get_shot_info', { shot_code: 'sh010', project_id: ids.project });
    expect(two.error).toMatchObject({
      code: 'SG_AMBIGUOUS',
      details: {
        candidates: [
          { id: 868, code: 'sh010' },
          { id: 870, code: 'sh010' },
        ],
      },
    });
    const byId = await world.run('get_shot_info', { shot_id: 4242 });
    expect(byId.error).toMatchObject({ code: 'SG_NOT_FOUND', details: { status: 404 } });
  });

  it("lists the Shot's Tasks across pages", async () => {
    const ids = world.seed();
    const projectLink = { type: 'Project', id: ids.project };
    for (const content of ['anim', 'light', 'fx', 'roto']) {
      world.site.store.add('Task', {
        content,
        sg_status_list: 'wtg',
        project: projectLink,
        entity: { type: 'Shot', id: ids.shot },
      });
    }
    world.site.store.add('Task', {
      content: 'other',
      sg_status_list: 'wtg',
      project: projectLink,
      entity: { type: 'Shot', id: ids.otherShot },
    });
    const rec = await world.run(
      'get_shot_info',
      { shot_id: ids.shot, fields: ['code'], include_tasks: true },
      { page_size: 2 },
    );
    expect(rec.error).toBeUndefined();
    const tasks = (rec.result as { tasks: { content: string }[] }).tasks;
    expect(tasks.map((t) => t.content)).toEqual(['comp', 'anim', 'light', 'fx', 'roto']);
    expect(tasks[0]).toMatchObject({
      type: 'Task',
      id: ids.task,
      sg_status_list: 'rdy',
      step: { type: 'Step', id: 8, name: 'Comp' },
    });
    const pages = world.site
      .requestsTo('POST', '/api/v1/entity/tasks/_search')
      .map((r) => [r.query['page[number]'], r.query['page[size]']]);
    expect(pages).toEqual([
      ['1', '2'],
      ['2', '2'],
      ['3', '2'],
    ]);
  });

  it('asks for shot_id or shot_code with project_id', async () => {
    expect((await world.run('get_shot_info', {})).error).toMatchObject({
      code: 'INVALID_PARAMS',
      details: { field: 'params.shot_code' },
    });
    expect((await world.run('get_shot_info', { shot_code: 'sh010' })).error).toMatchObject({
      code: 'INVALID_PARAMS',
      details: { field: 'params.project_id' },
    });
    expect((await world.run('get_shot_info', { shot_id: 1, fields: ['code;drop'] })).error?.code).toBe(
      'INVALID_PARAMS',
    );
    expect(world.site.requests).toEqual([]);
  });
});
