import { closeSync, createWriteStream, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAgentLog } from '../../src/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-agent-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function capture(tty = false): { stream: Writable & { isTTY?: boolean }; text: () => string } {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
    tty ? { isTTY: true, hasColors: () => false } : {},
  );
  return { stream, text: () => text };
}

describe('createAgentLog', () => {
  it('never writes a token to the file or the console', async () => {
    const file = path.join(dir, 'agent.log');
    const stderr = capture();
    const log = createAgentLog({ file, stdout: new PassThrough(), stderr: stderr.stream, env: {} });
    log.logger.info(
      {
        token: 'SECRET-1',
        auth_token: 'SECRET-2',
        config: { auth_token: 'SECRET-3', server_url: 'ws://pipeline:8765/ws' },
        auth: { token: 'SECRET-4', nodeId: 'ws-042' },
        headers: { authorization: 'Bearer SECRET-5' },
        request: { headers: { authorization: 'Bearer SECRET-6' } },
        authorization: 'Bearer SECRET-7',
      },
      'connecting',
    );
    log.logger.child({ nodeId: 'ws-042' }).warn({ handshake: { token: 'SECRET-8' } }, 'refused');
    await log.close();
    const written = await readFile(file, 'utf8');
    for (const text of [written, stderr.text()]) {
      expect(text).not.toMatch(/SECRET/);
      expect(text).toContain('[redacted]');
      expect(text).toContain('ws://pipeline:8765/ws');
    }
    expect(written.trim().split('\n')).toHaveLength(2);
  });

  it('writes JSON lines to the file and to stderr when stdout is not a terminal', async () => {
    const file = path.join(dir, 'agent.log');
    const stdout = capture();
    const stderr = capture();
    const log = createAgentLog({ file, stdout: stdout.stream, stderr: stderr.stream, env: {} });
    log.logger.info({ plugin: 'rv' }, 'plugin rv loaded');
    await log.close();
    expect(log.destination).toMatchObject({ console: 'json', file });
    expect(stdout.text()).toBe('');
    expect(JSON.parse(stderr.text())).toMatchObject({ level: 30, msg: 'plugin rv loaded', plugin: 'rv' });
    expect(await readFile(file, 'utf8')).toBe(stderr.text());
  });

  it('prints readable lines on a terminal and keeps JSON in the file', async () => {
    const file = path.join(dir, 'agent.log');
    const stdout = capture(true);
    const stderr = capture();
    const log = createAgentLog({
      file,
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: { OPENCLAW_LOG_LEVEL: 'debug' },
    });
    log.logger.debug({ jobId: 'j-1', durationMs: 12 }, 'job succeeded');
    log.logger.error({ err: new Error('boom') }, 'could not ack');
    await log.close();
    expect(log.destination.console).toBe('pretty');
    expect(stderr.text()).toBe('');
    const lines = stdout.text().split('\n');
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} DEBUG job succeeded jobId=j-1 durationMs=12$/);
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ERROR could not ack$/);
    expect(lines[2]).toBe('    Error: boom');
    const records = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as { msg: string });
    expect(records.map((r) => r.msg)).toEqual(['job succeeded', 'could not ack']);
  });

  it('does not write every line twice when stderr already is the log file (a LaunchAgent)', async () => {
    const file = path.join(dir, 'agent.log');
    await writeFile(file, '');
    const fd = openSync(file, 'a');
    const stderr = createWriteStream('', { fd, autoClose: false });
    const log = createAgentLog({ file, stdout: new PassThrough(), stderr, env: {} });
    log.logger.info('registered with the server');
    await log.close();
    closeSync(fd);
    expect(log.destination.console).toBe('none');
    expect((await readFile(file, 'utf8')).match(/registered with the server/g)).toHaveLength(1);
  });

  it('keeps logging to the console when the log file cannot be opened, and says so once', async () => {
    await writeFile(path.join(dir, 'blocker'), '');
    const stderr = capture();
    const log = createAgentLog({
      file: path.join(dir, 'blocker', 'agent.log'),
      stdout: new PassThrough(),
      stderr: stderr.stream,
      env: {},
    });
    log.logger.info('still here');
    await log.close();
    expect(log.destination.file).toBeNull();
    expect(log.destination.fileError).toMatch(/cannot open the log file .*blocker/);
    expect(stderr.text()).toMatch(
      /^openclaw-agent: cannot open the log file .*; logging goes to the terminal only\n/,
    );
    expect(stderr.text()).toContain('"msg":"still here"');
  });

  it('writes no file when none is asked for', async () => {
    const stderr = capture();
    const log = createAgentLog({ file: null, stdout: new PassThrough(), stderr: stderr.stream, env: {} });
    log.logger.info('console only');
    await log.close();
    expect(log.destination.file).toBeNull();
    expect(stderr.text()).toContain('console only');
  });
});
