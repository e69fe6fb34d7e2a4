import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAgent, resolveAgentConfig, type Agent } from '@openclaw-node/agent';
import { createClient } from '@openclaw-node/client';
import { toPlatform } from '@openclaw-node/core';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import { execa } from 'execa';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsPlugin } from '@openclaw-node/test-support/agent';
import { cli, start, waitFor } from '@openclaw-node/test-support/cli';
import { shellWords } from './helpers/shell-words.js';

// `--follow` says which job it follows, and Ctrl+C stops following, not the job: it prints the exact
// lines that follow it again and cancel it. A real `openclaw` process gets a real SIGINT.
const TOKEN = 'cli-follow-token-0123456789';
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/bin.js');
let server: OpenClawServer;
let url: string;
let agent: Agent;

beforeAll(async () => {
  server = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 'pipeline', token: TOKEN }],
    logger: pino({ level: 'silent' }),
    store: 'memory',
  });
  const listening = await server.listen();
  url = listening.url;
  const config = resolveAgentConfig(
    {
      node_id: 'ws-follow',
      server_url: `ws://127.0.0.1:${listening.port}/ws`,
      auth_token: TOKEN,
      plugins: ['jobs'],
      health_interval: 0,
    },
    { env: {}, onWarning: () => undefined },
  );
  agent = createAgent({
    config,
    logger: pino({ level: 'silent' }),
    registry: { jobs: jobsPlugin },
    platform: toPlatform(process.platform)!,
    health: { helloWaitMs: 0 },
  });
  agent.start();
  await agent.ready;
});

afterAll(async () => {
  await agent?.stop();
  await server?.close();
});

const client = () => createClient({ server: url, token: TOKEN });

describe('exec --follow and Ctrl+C', () => {
  it('prints the job id first; SIGINT leaves the job running and prints the exact cancel line', async () => {
    const child = execa(
      process.execPath,
      [bin, 'exec', 'ws-follow', 'jobs.wait', 'ms=60000', '--follow', '--server', url],
      { env: { OPENCLAW_TOKEN: TOKEN }, extendEnv: false, reject: false },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const id = await waitFor(
      () => /^Following job (\S+) on ws-follow; Ctrl\+C stops following/m.exec(stderr)?.[1],
      'the job id on stderr',
      15_000,
    );
    await waitFor(async () => ((await client().job(id)).state === 'running' ? true : undefined), 'running');
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, result.stderr).toBe(130);
    expect(result.stderr).toContain(`Stopped following. Job ${id} keeps running on ws-follow.`);
    expect(result.stderr).toContain(`  follow it again:  openclaw job ${id} --follow --server ${url}\n`);
    const cancelLine = /cancel it: +(openclaw job cancel .*)$/m.exec(result.stderr)?.[1];
    expect(cancelLine).toBe(`openclaw job cancel ${id} --server ${url}`);
    // The job outlived the CLI…
    expect((await client().job(id)).state).toBe('running');
    // …and the printed line, run as printed, cancels it.
    const cancelled = await cli(shellWords(cancelLine!).slice(1), { OPENCLAW_TOKEN: TOKEN });
    expect(cancelled.code, cancelled.stderr).toBe(0);
    await waitFor(
      async () => ((await client().job(id)).state === 'cancelled' ? true : undefined),
      'the job to be cancelled',
    );
  });

  it('job <id> --follow says the same when stopped, and exits 0 when the job ends by itself', async () => {
    const accepted = await client().exec('ws-follow', {
      action: 'jobs.wait',
      params: { ms: 60_000 },
      wait: false,
    });
    const id = accepted.command_id;
    const env = { OPENCLAW_SERVER: url, OPENCLAW_TOKEN: TOKEN };
    const following = start(['job', id, '--follow'], env);
    await waitFor(
      () => (following.stderr().includes(`Following job ${id} on ws-follow`) ? true : undefined),
      'header',
    );
    const stopped = await following.stop();
    expect(stopped.code).toBe(130);
    // No --server flag was given: the lines carry none (and never the token).
    expect(stopped.stderr).toContain(`  cancel it:        openclaw job cancel ${id}\n`);
    expect(stopped.stderr).not.toContain(TOKEN);
    await client().cancel(id);

    const short = await cli(['exec', 'ws-follow', 'jobs.wait', 'ms=20', '--follow'], env);
    expect(short.code).toBe(0);
    expect(short.stderr).toMatch(
      /^Following job \S+ on ws-follow; Ctrl\+C stops following, the job keeps running\.\n$/,
    );
    expect(short.stdout).toContain('state: succeeded');
  });
});
