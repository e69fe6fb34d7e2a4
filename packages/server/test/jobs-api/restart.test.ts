import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { JOBS_FILE_NAME } from '../../src/jobs/index.js';
import {
  api,
  connectAgent,
  exec,
  startServer,
  TOKEN,
  waitFor,
  type FakeAgent,
  type Json,
  type TestServer,
} from '@openclaw-node/test-support/server';

const SERVER = fileURLToPath(new URL('./fixtures/server-process.ts', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'openclaw-restart-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function agent(url: string, options: Parameters<typeof connectAgent>[1]): Promise<FakeAgent> {
  const a = await connectAgent(url, options);
  cleanups.push(() => a.close());
  return a;
}

async function server(overrides: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const t = await startServer(overrides);
  cleanups.push(() => t.close());
  return t;
}

/** A server in a child process on `dir`; resolves with its URL and the process (to kill). */
async function serverProcess(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--conditions=@openclaw-node/source', '--import', 'tsx', SERVER, dir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = /^(http:\/\/\S+)\n/m.exec(out);
      if (line) resolve(line[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
  return { url, child };
}

describe('a server restarted on the same data directory', () => {
  it('marks the jobs the killed server was running lost, keeps finished and offline-queued ones, and delivers those', async () => {
    const dir = await dataDir();
    const first = await serverProcess(dir);
    const a = await agent(first.url, {
      nodeId: 'ws-001',
      accept: true,
      onExec: (r) => (r.action === 'tools.ping' ? { ok: true, result: 'pong' } : 'never'),
    });
    const done = await exec(first.url, 'ws-001', { action: 'tools.ping' });
    const running = await exec(first.url, 'ws-001', {
      action: 'tools.render',
      params: { script: '/s.nk' },
      wait: false,
    });
    const queued = await exec(first.url, 'ws-asleep', { action: 'tools.ping', queue: true, ttl: 3600 });
    await waitFor(() => (a.execs.length === 2 ? true : undefined), 'the render on the node');
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    a.close();
    expect(existsSync(path.join(dir, JOBS_FILE_NAME))).toBe(true);

    const second = await server({ store: 'sqlite', dataDir: dir });
    const job = async (id: string): Promise<Record<string, Json>> =>
      (await api(second.url, `/api/jobs/${id}`)).body as Record<string, Json>;
    expect(await job(done.body.command_id)).toMatchObject({ state: 'succeeded', result: 'pong' });
    expect(await job(running.body.command_id)).toMatchObject({
      state: 'lost',
      error: { code: 'JOB_LOST' },
      requested_by: 'test',
    });
    expect(await job(queued.body.command_id)).toMatchObject({ state: 'queued' });
    const lostEvents = await fetch(`${second.url}/api/jobs/${running.body.command_id}/events`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    }).then((r) => r.text());
    expect(lostEvents).toMatch(/event: state\ndata: .*"state":"lost"/);

    const woke = await agent(second.url, { nodeId: 'ws-asleep', accept: true });
    await waitFor(
      async () => ((await job(queued.body.command_id)).state === 'succeeded' ? true : undefined),
      'delivery after the restart',
    );
    expect(woke.execs.map((e) => e.jobId)).toEqual([queued.body.command_id]);
  }, 60_000);

  it('keeps the end of every answered exec when the process is killed (SIGKILL) right after the answers', async () => {
    const dir = await dataDir();
    const first = await serverProcess(dir);
    await agent(first.url, { nodeId: 'ws-001', onExec: (r) => ({ ok: true, result: r.jobId }) });
    // Many in flight at once, so their ends share group commits; the kill follows the last answer.
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => exec(first.url, 'ws-001', { action: 'tools.ping' })),
    );
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));

    const second = await server({ store: 'sqlite', dataDir: dir });
    for (const answer of answers) {
      const id = answer.body.command_id as string;
      const { body } = await api(second.url, `/api/jobs/${id}`);
      expect(body).toMatchObject({ state: 'succeeded', result: id });
    }
  }, 60_000);

  it('records a graceful shutdown as NODE_DISCONNECTED, which the next server keeps', async () => {
    const dir = await dataDir();
    const first = await startServer({ store: 'sqlite', dataDir: dir });
    const a = await connectAgent(first.url, { nodeId: 'ws-001', onExec: () => 'never' });
    const pending = exec(first.url, 'ws-001', { action: 'tools.ping', timeout: 600 });
    await waitFor(() => (a.execs.length ? true : undefined), 'exec');
    await first.close();
    a.close();
    const answered = await pending;
    expect(answered.status).toBe(502);
    const second = await server({ store: 'sqlite', dataDir: dir });
    const { body } = await api(second.url, `/api/jobs/${answered.body.command_id}`);
    expect(body).toMatchObject({ state: 'failed', error: { code: 'NODE_DISCONNECTED' } });
  });
});

describe('retention', () => {
  it('purges the oldest finished jobs beyond the count, keeping running ones', async () => {
    const t = await server({ retention: { maxCount: 2, intervalMs: 50 } });
    const a = await agent(t.url, {
      nodeId: 'ws-001',
      onExec: (r) => (r.action === 'tools.render' ? 'never' : { ok: true, result: 1 }),
    });
    const running = await exec(t.url, 'ws-001', {
      action: 'tools.render',
      params: { script: '/s.nk' },
      wait: false,
    });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push((await exec(t.url, 'ws-001', { action: 'tools.ping' })).body.command_id as string);
    const left = await waitFor(async () => {
      const { body } = await api(t.url, '/api/jobs');
      return body.count === 2 ? (body as Record<string, Json>) : undefined;
    }, 'retention to purge');
    expect(left.jobs.map((j: { command_id: string }) => j.command_id).sort()).toEqual(
      [running.body.command_id, ids[3]].sort(),
    );
    expect(a.execs).toHaveLength(5);
  });

  it('refuses bad retention settings at createServer', async () => {
    await expect(server({ retention: { maxCount: -1 } })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      details: { field: 'retention.maxCount' },
    });
  });
});

describe('the sqlite store at listen', () => {
  it('fails listen with JOB_STORE_FAILED when the data directory cannot be used, naming it', async () => {
    const dir = await dataDir();
    const file = path.join(dir, 'not-a-dir');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, ''));
    await expect(startServer({ store: 'sqlite', dataDir: file })).rejects.toMatchObject({
      code: 'JOB_STORE_FAILED',
    });
  });
});
