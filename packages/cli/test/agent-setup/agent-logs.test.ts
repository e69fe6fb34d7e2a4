import { appendFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRotatingLogFile } from '@openclaw-node/agent';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@openclaw-node/test-support/cli';
import { runAgentCommand } from './run-command.js';

let dir: string;
let file: string;
const at = (second: number) => new Date(2025, 10, 25, 9, 30, second).getTime();
const record = (level: number, second: number, msg: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    level,
    time: at(second),
    pid: 1,
    hostname: 'ws-042',
    name: 'openclaw-agent',
    msg,
    ...extra,
  });

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-cli-logs-'));
  file = path.join(dir, '.local', 'state', 'openclaw-node', 'logs', 'agent.log');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(
    file,
    [
      record(30, 1, 'configuration loaded'),
      record(30, 2, 'connecting', { server: 'http://pipeline:8765/ws' }),
      record(40, 3, 'could not connect to the server', { reason: 'websocket error' }),
      record(30, 4, 'registered with the server', { plugins: ['rv'] }),
      '',
    ].join('\n'),
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openclaw agent logs', () => {
  it('prints the last lines of the per-OS log readably', async () => {
    const { code, stdout, stderr } = await runAgentCommand(['agent', 'logs', '-n', '2'], { HOME: dir })
      .result;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        '2025-11-25 09:30:03.000 WARN  could not connect to the server reason="websocket error"',
        '2025-11-25 09:30:04.000 INFO  registered with the server plugins=["rv"]',
        '',
      ].join('\n'),
    );
  });

  it('prints the JSON as written with --json, and filters by level', async () => {
    const { stdout } = await runAgentCommand(['agent', 'logs', '--json', '--level', 'warn'], { HOME: dir })
      .result;
    expect(stdout.trim().split('\n')).toEqual([
      record(40, 3, 'could not connect to the server', { reason: 'websocket error' }),
    ]);
  });

  it('says where the log would be when there is none yet', async () => {
    const other = path.join(dir, 'none', 'agent.log');
    const { code, stderr } = await runAgentCommand(['agent', 'logs', '--file', other]).result;
    expect(code).toBe(1);
    expect(stderr).toBe(
      `No log at ${other} yet: the agent writes it once it starts (\`openclaw agent start\`, or the service).\n`,
    );
  });

  it('refuses a bad line count or level', async () => {
    const bad = await runAgentCommand(['agent', 'logs', '-n', 'lots'], { HOME: dir }).result;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--lines must be a whole number of lines, got "lots"');
    const level = await runAgentCommand(['agent', 'logs', '--level', 'loud'], { HOME: dir }).result;
    expect(level.code).toBe(2);
    expect(level.stderr).toContain('--level must be trace, debug, info, warn, error or fatal');
  });

  it('follows new lines across rotations with -f until stopped', async () => {
    const stop = new AbortController();
    const run = runAgentCommand(['agent', 'logs', '-f', '-n', '1', '--json'], { HOME: dir }, stop.signal);
    await waitFor(
      () => (run.stdout().includes('registered with the server') ? true : undefined),
      'the last line',
    );
    await appendFile(file, `${record(30, 5, 'job succeeded', { jobId: 'j-1' })}\n`);
    await waitFor(() => (run.stdout().includes('job succeeded') ? true : undefined), 'an appended line');
    // The agent's own rotating writer, set to rotate after the next line: that line ends agent.log,
    // which becomes agent.log.1, and the line after it starts a new agent.log.
    const log = createRotatingLogFile({ file, maxBytes: (await stat(file)).size + 10, maxFiles: 3 });
    log.write(`${record(30, 6, 'written as the file rotates')}\n`);
    log.write(`${record(30, 7, 'first line of the new file')}\n`);
    await log.close();
    await waitFor(
      () => (run.stdout().includes('first line of the new file') ? true : undefined),
      'the rotated file',
    );
    stop.abort();
    const { code, stdout } = await run.result;
    expect(await readFile(`${file}.1`, 'utf8')).toContain('written as the file rotates');
    expect(code).toBe(0);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { msg: string }).msg),
    ).toEqual([
      'registered with the server',
      'job succeeded',
      'written as the file rotates',
      'first line of the new file',
    ]);
  });
});
