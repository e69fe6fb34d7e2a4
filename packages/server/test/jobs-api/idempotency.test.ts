import { describe, expect, it } from 'vitest';
import { newCommandId } from '../../src/jobs/command-id.js';
import { api, exec, OPERATOR_TOKEN, waitFor } from '@openclaw-node/test-support/server';
import { useTestServer } from '../helpers/server.js';

const t = useTestServer();
const agent = t.agent;

const keyed = (key: string, token?: string) => ({
  headers: { 'Idempotency-Key': key },
  ...(token ? { token } : {}),
});
const publish = { action: 'tools.open_folder', params: { path: '/show/sh010/v003' } };

describe('Idempotency-Key', () => {
  it('returns the original job of a repeated synchronous request instead of running it again', async () => {
    const a = await agent(t.url, { nodeId: 'ws-001' });
    const first = await api(t.url, '/api/nodes/ws-001/exec', {
      body: publish,
      ...keyed('publish-sh010-v003'),
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replay')).toBeNull();
    const again = await api(t.url, '/api/nodes/ws-001/exec', {
      body: publish,
      ...keyed('publish-sh010-v003'),
    });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replay')).toBe('true');
    expect(again.body).toMatchObject({
      status: 'success',
      command_id: first.body.command_id,
      result: first.body.result,
    });
    expect(a.execs).toHaveLength(1);
    const { body } = await api(t.url, `/api/jobs/${first.body.command_id}`);
    expect(body.idempotency_key).toBe('publish-sh010-v003');
  });

  it('replays a failed job with its original error status', async () => {
    const a = await agent(t.url, {
      nodeId: 'ws-001',
      onExec: () => ({ ok: false, error: { code: 'SG_VALIDATION', message: 'code already exists' } }),
    });
    const first = await api(t.url, '/api/nodes/ws-001/exec', { body: publish, ...keyed('k-fail') });
    const again = await api(t.url, '/api/nodes/ws-001/exec', { body: publish, ...keyed('k-fail') });
    expect([first.status, again.status]).toEqual([422, 422]);
    expect(again.body).toMatchObject({ error: { code: 'SG_VALIDATION' }, command_id: first.body.command_id });
    expect(a.execs).toHaveLength(1);
  });

  it('answers a repeated async request with the original job, 202, while it runs, even sync', async () => {
    const a = await agent(t.url, { nodeId: 'ws-001', accept: true, onExec: () => 'never' });
    const body = { ...publish, wait: false };
    const first = await api(t.url, '/api/nodes/ws-001/exec', { body, ...keyed('k-async') });
    const again = await api(t.url, '/api/nodes/ws-001/exec', { body, ...keyed('k-async') });
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.body.command_id).toBe(first.body.command_id);
    expect(again.headers.get('idempotent-replay')).toBe('true');
    // The same request waiting this time: it waits for the original job rather than starting one.
    const waiting = api(t.url, '/api/nodes/ws-001/exec', { body: publish, ...keyed('k-async') });
    await new Promise((r) => setTimeout(r, 100));
    a.answer(first.body.command_id as string, { ok: true, result: 'published' });
    const answered = await waiting;
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ command_id: first.body.command_id, result: 'published' });
    expect(a.execs).toHaveLength(1);
  });

  it('refuses the same key for a different request with 409 IDEMPOTENCY_KEY_REUSED', async () => {
    await agent(t.url, { nodeId: 'ws-001' });
    await agent(t.url, { nodeId: 'ws-002' });
    const first = await api(t.url, '/api/nodes/ws-001/exec', { body: publish, ...keyed('k-reused') });
    for (const [node, body] of [
      ['ws-001', { ...publish, params: { path: '/show/sh020' } }],
      ['ws-002', publish],
      ['ws-001', { ...publish, timeout: 5 }],
    ] as const) {
      const reused = await api(t.url, `/api/nodes/${node}/exec`, { body, ...keyed('k-reused') });
      expect(reused.status).toBe(409);
      // The answer names only the key: not the earlier job, its action or its node.
      expect(reused.body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(reused.body.error.details).toEqual({ field: 'idempotency-key' });
      expect(JSON.stringify(reused.body)).not.toContain(first.body.command_id as string);
    }
  });

  it('keeps keys per token: another token with the same key runs its own job', async () => {
    const a = await agent(t.url, { nodeId: 'ws-001' });
    const mine = await api(t.url, '/api/nodes/ws-001/exec', { body: publish, ...keyed('shared-key') });
    const theirs = await api(t.url, '/api/nodes/ws-001/exec', {
      body: publish,
      ...keyed('shared-key', OPERATOR_TOKEN),
    });
    expect(theirs.body.command_id).not.toBe(mine.body.command_id);
    expect(a.execs).toHaveLength(2);
  });

  it('replays a fan-out as its whole batch', async () => {
    const a = await agent(t.url, { nodeId: 'comp-1', hello: { tags: ['comp'] } });
    const b = await agent(t.url, { nodeId: 'comp-2', hello: { tags: ['comp'] } });
    const body = { target: { tags: ['comp'] }, action: 'tools.ping' };
    const first = await api(t.url, '/api/exec', { body, ...keyed('fan-1') });
    await waitFor(() => (a.execs.length && b.execs.length ? true : undefined), 'delivery');
    const again = await api(t.url, '/api/exec', { body, ...keyed('fan-1') });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replay')).toBe('true');
    expect(again.body.batch_id).toBe(first.body.batch_id);
    expect(again.body.jobs.map((j: { command_id: string }) => j.command_id).sort()).toEqual(
      first.body.jobs.map((j: { command_id: string }) => j.command_id).sort(),
    );
    expect(a.execs.length + b.execs.length).toBe(2);
    const single = await api(t.url, '/api/nodes/comp-1/exec', {
      body: { action: 'tools.ping' },
      ...keyed('fan-1'),
    });
    expect(single.status).toBe(409);
  });

  it.each([['x'.repeat(256)], ['has space'], ['tab\there']])(
    'answers 400 for a malformed key (%#), naming the header',
    async (key) => {
      await agent(t.url, { nodeId: 'ws-001' });
      const { status, body } = await api(t.url, '/api/nodes/ws-001/exec', { body: publish, ...keyed(key) });
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ code: 'INVALID_BODY', details: { field: 'idempotency-key' } });
    },
  );

  it('gives jobs time-ordered ids, in order even within one millisecond', () => {
    const now = Date.now() + 60_000;
    const ids = Array.from({ length: 5000 }, () => newCommandId(now));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('a plain exec without a key', () => {
  it('runs again every time', async () => {
    const a = await agent(t.url, { nodeId: 'ws-001' });
    await exec(t.url, 'ws-001', publish);
    await exec(t.url, 'ws-001', publish);
    expect(a.execs).toHaveLength(2);
  });
});
