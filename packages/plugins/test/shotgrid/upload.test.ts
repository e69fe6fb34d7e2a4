import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useFakeShotgrid, type World } from './setup.js';

async function publishWithMovie(world: World, extra: Record<string, unknown> = {}) {
  const ids = world.seed();
  const movie = world.file('sh010 comp v003 — ünï.mov', randomBytes(256 * 1024 + 17));
  const rec = await world.run('publish_version', {
    project_id: ids.project,
    entity_id: ids.shot,
    code: 'sh010_comp_v003',
    path_to_movie: movie,
    upload_movie: true,
    ...extra,
  });
  return { rec, movie, ids };
}

describe('publish_version uploads to S3-like storage', () => {
  const world = useFakeShotgrid({ storage: 's3' });

  it('asks for a link, PUTs the bytes without the bearer token, then completes the upload', async () => {
    const { rec, movie } = await publishWithMovie(world);
    expect(rec.error).toBeUndefined();
    const versionId = (rec.result as { version_id: number }).version_id;
    const [init] = world.site.requestsTo(
      'GET',
      `/api/v1/entity/versions/${versionId}/sg_uploaded_movie/_upload`,
    );
    expect(init!.query.filename).toBe('sh010 comp v003 — ünï.mov');
    const [put] = world.site.requestsTo('PUT', /^\/_fake_s3\//);
    expect(put!.headers.authorization).toBeUndefined();
    expect(put!.headers['content-type']).toBe('video/quicktime');
    expect(put!.headers['content-length']).toBe(String(256 * 1024 + 17));
    const [complete] = world.site.requestsTo(
      'POST',
      `/api/v1/entity/versions/${versionId}/sg_uploaded_movie/_upload`,
    );
    expect(complete!.headers['content-type']).toBe('application/json');
    expect(complete!.headers.authorization).toMatch(/^Bearer /);
    expect(JSON.parse(complete!.body)).toEqual({
      upload_info: expect.objectContaining({
        storage_service: 's3',
        original_filename: 'sh010 comp v003 — ünï.mov',
        upload_id: null,
      }),
      upload_data: {},
    });
    const [uploaded] = world.site.uploads.completed;
    expect(uploaded!.bytes.equals(readFileSync(movie))).toBe(true);
    expect(world.site.store.get('Version', versionId)!.fields.sg_uploaded_movie).toMatchObject({
      name: 'sh010 comp v003 — ünï.mov',
      link_type: 'upload',
    });
    expect(rec.result).toMatchObject({ uploaded: { movie: 'sh010 comp v003 — ünï.mov', thumbnail: null } });
    expect(rec.progress.some((p) => p.message?.startsWith('uploading sh010 comp'))).toBe(true);
    expect(rec.progress.at(-1)).toEqual({ fraction: 1, message: 'published sh010_comp_v003' });
  });

  it('uploads a thumbnail to the image field', async () => {
    const thumbnail = world.file('thumb.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    const { rec } = await publishWithMovie(world, { thumbnail });
    expect(rec.error).toBeUndefined();
    expect(world.site.uploads.completed.map((u) => [u.field, u.filename, u.contentType])).toEqual([
      ['sg_uploaded_movie', 'sh010 comp v003 — ünï.mov', 'video/quicktime'],
      ['image', 'thumb.jpg', 'image/jpeg'],
    ]);
    expect(rec.result).toMatchObject({ uploaded: { thumbnail: 'thumb.jpg' } });
  });

  it('retries the storage PUT on a 503 with a fresh body', async () => {
    world.site.fail({ method: 'PUT', path: /^\/_fake_s3\//, status: 503, times: 1 });
    const { rec, movie } = await publishWithMovie(world);
    expect(rec.error).toBeUndefined();
    expect(world.site.requestsTo('PUT', /^\/_fake_s3\//)).toHaveLength(2);
    expect(world.site.uploads.completed[0]!.bytes.equals(readFileSync(movie))).toBe(true);
  });

  it('reports SG_UPLOAD_FAILED, naming the Version already created, when the storage refuses', async () => {
    world.site.fail({
      method: 'PUT',
      path: /^\/_fake_s3\//,
      status: 403,
      body: '<Error><Code>AccessDenied</Code></Error>',
    });
    const { rec } = await publishWithMovie(world);
    expect(rec.error).toMatchObject({
      code: 'SG_UPLOAD_FAILED',
      details: { status: 403, version_created: true, version_id: expect.any(Number) },
    });
    expect(rec.error?.details?.url).not.toContain('X-Amz-Signature');
    expect(world.site.store.all('Version')).toHaveLength(1);
  });

  it('reports SG_UPLOAD_FAILED when the completion is refused', async () => {
    world.site.fail({ method: 'POST', path: /sg_uploaded_movie\/_upload$/, status: 400 });
    const { rec } = await publishWithMovie(world);
    expect(rec.error).toMatchObject({
      code: 'SG_UPLOAD_FAILED',
      details: { status: 400, version_created: true },
    });
  });
});

describe('publish_version uploads to the site itself (storage_service "sg")', () => {
  const world = useFakeShotgrid({ storage: 'sg' });

  it('corrects the guessed link to the site, then quotes the upload_id when completing', async () => {
    const { rec } = await publishWithMovie(world);
    expect(rec.error).toBeUndefined();
    const [put] = world.site.requestsTo('PUT', /\/_upload$/);
    expect(put!.query).toMatchObject({ user_type: 'ApiUser', filename: 'sh010 comp v003 — ünï.mov' });
    expect(put!.headers.authorization).toBeUndefined();
    const versionId = (rec.result as { version_id: number }).version_id;
    const [complete] = world.site.requestsTo(
      'POST',
      `/api/v1/entity/versions/${versionId}/sg_uploaded_movie/_upload`,
    );
    expect(JSON.parse(complete!.body).upload_info).toMatchObject({
      storage_service: 'sg',
      upload_id: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(world.site.uploads.completed).toHaveLength(1);
  });
});
