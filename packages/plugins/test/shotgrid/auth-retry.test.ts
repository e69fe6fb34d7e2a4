import { describe, expect, it, vi } from 'vitest';
import type { ActionRecording } from '@openclaw-node/plugin-sdk/testing';
import { useFakeShotgrid } from './setup.js';

const world = useFakeShotgrid();

/** Everything a recording exposes that could end up in a log or an answer. */
function visible(rec: ActionRecording): string {
  const { thrown: _thrown, ...error } = rec.error ?? { thrown: undefined };
  return JSON.stringify({ logs: rec.logs, result: rec.result, error, progress: rec.progress });
}

describe('shotgrid authentication', () => {
  it('gets a token with client_credentials in a form body and reuses it across actions', async () => {
    const ids = world.seed();
    await world.run('update_task_status', { task_id: ids.task, status: 'ip' });
    await world.run('get_shot_info', { shot_id: ids.shot });
    expect(world.site.authRequests).toHaveLength(1);
    const [auth] = world.site.authRequests;
    expect(auth!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(auth!.query).toEqual({});
    expect(Object.fromEntries(new URLSearchParams(auth!.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'openclaw',
      client_secret: world.site.options.scriptKey,
    });
  });

  it('asks for a new token once the cached one is within a minute of expiry', async () => {
    const ids = world.seed();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      await world.run('update_task_status', { task_id: ids.task, status: 'ip' });
      vi.setSystemTime(Date.now() + 530_000);
      await world.run('update_task_status', { task_id: ids.task, status: 'rev' });
      expect(world.site.authRequests).toHaveLength(1);
      vi.setSystemTime(Date.now() + 20_000);
      await world.run('update_task_status', { task_id: ids.task, status: 'fin' });
      expect(world.site.authRequests).toHaveLength(2);
      expect(world.site.requestsTo('PUT', /tasks/)).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('authenticates again and retries once when the API answers 401', async () => {
    const ids = world.seed();
    await world.run('get_shot_info', { shot_id: ids.shot });
    world.site.expireTokens();
    const rec = await world.run('update_task_status', { task_id: ids.task, status: 'fin' });
    expect(rec.error).toBeUndefined();
    expect(world.site.authRequests).toHaveLength(2);
    const puts = world.site.requestsTo('PUT', `/api/v1/entity/tasks/${ids.task}`);
    expect(puts).toHaveLength(2);
    expect(puts[0]!.headers.authorization).not.toBe(puts[1]!.headers.authorization);
    expect(world.site.store.get('Task', ids.task)!.fields.sg_status_list).toBe('fin');
  });

  it('reports SG_AUTH when the API still answers 401 after re-authenticating', async () => {
    const ids = world.seed();
    world.site.fail({ path: /^\/api\/v1\/entity\//, status: 401, times: 2 });
    const rec = await world.run('update_task_status', { task_id: ids.task, status: 'ip' });
    expect(rec.error).toMatchObject({ code: 'SG_AUTH', details: { status: 401 } });
    expect(world.site.authRequests).toHaveLength(2);
  });

  it.each([400, 401] as const)(
    'reports SG_AUTH when the credentials are refused with %i, never echoing the key',
    async (status) => {
      world.site.options.authFailureStatus = status;
      const ids = world.seed();
      const rec = await world.run(
        'update_task_status',
        { task_id: ids.task, status: 'ip' },
        { script_key: 'wrong-key-1234567' },
      );
      expect(rec.error).toMatchObject({
        code: 'SG_AUTH',
        details: { status, title: "Can't authenticate script", script_name: 'openclaw' },
      });
      expect(world.site.requestsTo('PUT', /tasks/)).toEqual([]);
      expect(visible(rec)).not.toContain('wrong-key-1234567');
    },
  );

  it('reads the key from the environment variable named by script_key_env', async () => {
    const ids = world.seed();
    process.env.OPENCLAW_TEST_SG_KEY = world.site.options.scriptKey;
    try {
      const rec = await world.run(
        'update_task_status',
        { task_id: ids.task, status: 'ip' },
        { script_key: undefined, script_key_env: 'OPENCLAW_TEST_SG_KEY' },
      );
      expect(rec.error).toBeUndefined();
    } finally {
      delete process.env.OPENCLAW_TEST_SG_KEY;
    }
  });

  it('sends scope=sudo_as_login when configured', async () => {
    const ids = world.seed();
    await world.run('get_shot_info', { shot_id: ids.shot }, { sudo_as_login: 'ada' });
    expect(new URLSearchParams(world.site.authRequests[0]!.body).get('scope')).toBe('sudo_as_login:ada');
  });

  it('never lets the script key reach logs, results or errors', async () => {
    const ids = world.seed();
    const key = world.site.options.scriptKey;
    world.site.fail({ path: /^\/api\/v1\/auth/, status: 503, headers: { 'Retry-After': '0' } });
    world.site.fail({ path: /tasks/, status: 500, times: 1 });
    world.site.fail({
      method: 'POST',
      path: /versions$/,
      status: 400,
      body: { errors: [{ status: 400, title: 'Bad', detail: `echo ${key}` }] },
    });
    const recordings = [
      await world.run('update_task_status', { task_id: ids.task, status: 'ip' }),
      await world.run('publish_version', { project_id: ids.project, entity_id: ids.shot, code: 'v1' }),
      await world.run('get_shot_info', { shot_code: 'sh010', project_id: ids.project, include_tasks: true }),
      await world.run('ping'),
    ];
    expect(recordings[1]!.error?.message).toContain('echo [redacted]');
    expect(recordings.flatMap((r) => r.logs).length).toBeGreaterThan(5);
    for (const rec of recordings) expect(visible(rec)).not.toContain(key);
  });
});

describe('shotgrid: what the site echoes back is scrubbed of the key and the token (issue 11)', () => {
  it('scrubs URL-encoded and JSON-escaped copies, details.source, and the access token, everywhere', async () => {
    const key = 'Sg/key+with=odd&chars é "q"';
    world.site.options.scriptKey = key;
    const ids = world.seed();
    // A first run gets the access token the site will then echo.
    expect(
      (await world.run('get_shot_info', { shot_id: ids.shot }, { script_key: key })).error,
    ).toBeUndefined();
    const [token] = [...world.site.tokens.keys()];
    expect(token).toBeDefined();
    const encoded = encodeURIComponent(key);
    const echoes = [
      `path ${encoded}`,
      `lower ${encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}`,
      `form ${new URLSearchParams({ k: key }).toString()}`,
      `json ${JSON.stringify({ key })}`,
      `token ${token!}`,
    ].join(' | ');
    const body = {
      errors: [
        {
          status: 400,
          title: `Bad ${token!}`,
          detail: echoes,
          source: { pointer: `/data/${encoded}`, parameter: key, nested: [{ token }] },
        },
      ],
    };
    world.site.fail({ method: 'PUT', path: /tasks/, status: 400, body });
    world.site.fail({ method: 'GET', path: /projects|shots|schema|entity/, status: 400, body, times: 10 });
    const recordings = [
      await world.run('update_task_status', { task_id: ids.task, status: 'ip' }, { script_key: key }),
      await world.run('ping', {}, { script_key: key }),
    ];
    expect(recordings[0]!.error).toMatchObject({
      code: 'SG_VALIDATION',
      details: { source: expect.anything() },
    });
    expect(recordings[0]!.error?.message).toContain('[redacted]');
    for (const rec of recordings) {
      const seen = visible(rec);
      for (const copy of [key, encoded, encoded.toLowerCase(), JSON.stringify(key).slice(1, -1), token!]) {
        expect(seen, copy).not.toContain(copy);
      }
      expect(seen).not.toContain(new URLSearchParams({ k: key }).toString().slice(2));
    }
  });
});

describe('shotgrid retries and failures', () => {
  it('retries a 429 honouring Retry-After, then succeeds', async () => {
    const ids = world.seed();
    world.site.fail({ path: /shots/, status: 429, headers: { 'Retry-After': '0' }, times: 2 });
    const rec = await world.run('get_shot_info', { shot_id: ids.shot });
    expect(rec.error).toBeUndefined();
    expect(world.site.requestsTo('GET', /shots/)).toHaveLength(3);
    expect(rec.logs.filter((l) => l.level === 'warn' && l.message.includes('429'))).toHaveLength(2);
  });

  it('retries 503 on a create (the server did not act), then succeeds once', async () => {
    const ids = world.seed();
    world.site.fail({ method: 'POST', path: /versions$/, status: 503, times: 2 });
    const rec = await world.run('publish_version', {
      project_id: ids.project,
      entity_id: ids.shot,
      code: 'v1',
    });
    expect(rec.error).toBeUndefined();
    expect(world.site.requestsTo('POST', '/api/v1/entity/versions')).toHaveLength(3);
    expect(world.site.store.all('Version')).toHaveLength(1);
  });

  it('does not resend a create after a 500, which might have created it', async () => {
    const ids = world.seed();
    world.site.fail({ method: 'POST', path: /versions$/, status: 500 });
    const rec = await world.run('publish_version', {
      project_id: ids.project,
      entity_id: ids.shot,
      code: 'v1',
    });
    expect(rec.error).toMatchObject({ code: 'SG_UNAVAILABLE', details: { status: 500, attempts: 1 } });
    expect(world.site.requestsTo('POST', '/api/v1/entity/versions')).toHaveLength(1);
  });

  it('gives up with SG_UNAVAILABLE after the configured retries', async () => {
    const ids = world.seed();
    world.site.fail({ path: /tasks/, status: 502, times: 10 });
    const rec = await world.run(
      'update_task_status',
      { task_id: ids.task, status: 'ip' },
      { max_retries: 2 },
    );
    expect(rec.error).toMatchObject({ code: 'SG_UNAVAILABLE', details: { status: 502, attempts: 3 } });
    expect(world.site.requestsTo('PUT', /tasks/)).toHaveLength(3);
  });

  it('fails at once when Retry-After is longer than max_retry_after_seconds', async () => {
    const ids = world.seed();
    world.site.fail({ path: /tasks/, status: 429, headers: { 'Retry-After': '3600' } });
    const rec = await world.run(
      'update_task_status',
      { task_id: ids.task, status: 'ip' },
      { max_retry_after_seconds: 30 },
    );
    expect(rec.error).toMatchObject({
      code: 'SG_UNAVAILABLE',
      details: { status: 429, retry_after_seconds: 3600 },
    });
    expect(world.site.requestsTo('PUT', /tasks/)).toHaveLength(1);
  });

  it('stops waiting for a retry as soon as the job is cancelled', async () => {
    const ids = world.seed();
    world.site.fail({ path: /tasks/, status: 503, headers: { 'Retry-After': '30' } });
    const controller = new AbortController();
    const pending = world.run(
      'update_task_status',
      { task_id: ids.task, status: 'ip' },
      {},
      { signal: controller.signal },
    );
    while (world.site.requestsTo('PUT', /tasks/).length === 0) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    const rec = await pending;
    expect(rec.error?.code).toBe('CANCELLED');
    expect(world.site.requestsTo('PUT', /tasks/)).toHaveLength(1);
  });

  it('reports SG_FORBIDDEN for 403 and SG_UNAVAILABLE when nothing listens', async () => {
    const ids = world.seed();
    world.site.fail({ path: /tasks/, status: 403 });
    expect((await world.run('update_task_status', { task_id: ids.task, status: 'ip' })).error).toMatchObject({
      code: 'SG_FORBIDDEN',
      details: { status: 403, title: 'Forbidden' },
    });
    const url = world.site.url;
    await world.site.stop();
    const rec = await world.run(
      'update_task_status',
      { task_id: ids.task, status: 'ip' },
      { site: url, max_retries: 1 },
    );
    expect(rec.error).toMatchObject({
      code: 'SG_UNAVAILABLE',
      details: { attempts: 2, reason: 'ECONNREFUSED' },
    });
  });

  it('gives up on a request that does not answer within request_timeout_seconds', async () => {
    const ids = world.seed();
    world.site.fail({ path: /tasks/, status: 200, delayMs: 5000, times: 5 });
    const rec = await world.run(
      'update_task_status',
      { task_id: ids.task, status: 'ip' },
      { request_timeout_seconds: 0.2, max_retries: 1 },
    );
    expect(rec.error).toMatchObject({
      code: 'SG_UNAVAILABLE',
      details: { attempts: 2, reason: 'no answer within 0.2 s' },
    });
  });
});
