import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRotatingLogFile, defaultLogDir, defaultLogFile } from '../../src/logging/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-rotate-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const line = (n: number) => `${JSON.stringify({ level: 30, n, msg: 'x'.repeat(80) })}\n`;

describe('createRotatingLogFile', () => {
  it('rotates at the size limit, logrotate style, keeping maxFiles copies', async () => {
    const file = path.join(dir, 'logs', 'agent.log');
    const log = createRotatingLogFile({ file, maxBytes: 1000, maxFiles: 3 });
    const size = line(0).length;
    // 65 lines of ~110 bytes: six full files and a partial current one.
    for (let n = 0; n < 65; n++) log.write(line(n));
    await log.close();

    expect((await readdir(path.join(dir, 'logs'))).sort()).toEqual([
      'agent.log',
      'agent.log.1',
      'agent.log.2',
      'agent.log.3',
    ]);
    const read = async (name: string) =>
      (await readFile(path.join(dir, 'logs', name), 'utf8'))
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((text) => (JSON.parse(text) as { n: number }).n);
    // A file rotates after the write that reaches the limit: each copy holds between 1000 bytes and one line more.
    for (const name of ['agent.log.1', 'agent.log.2', 'agent.log.3']) {
      const { size: bytes } = await stat(path.join(dir, 'logs', name));
      expect(bytes).toBeGreaterThanOrEqual(1000);
      expect(bytes).toBeLessThan(1000 + size);
    }
    const current = await read('agent.log');
    const newest = await read('agent.log.1');
    const oldest = await read('agent.log.3');
    expect(current.at(-1)).toBe(64);
    expect(newest.at(-1)! + 1).toBe(current[0]);
    expect(oldest[0]).toBeGreaterThan(0);
    expect((await read('agent.log.2')).at(-1)! + 1).toBe(newest[0]);
  });

  it('appends to an existing file and creates the file private', async () => {
    const file = path.join(dir, 'agent.log');
    await writeFile(file, 'earlier\n');
    const log = createRotatingLogFile({ file });
    log.write('later\n');
    await log.close();
    log.write('after close is ignored\n');
    expect(await readFile(file, 'utf8')).toBe('earlier\nlater\n');
    const fresh = path.join(dir, 'new', 'agent.log');
    await createRotatingLogFile({ file: fresh }).close();
    if (process.platform !== 'win32') expect((await stat(fresh)).mode & 0o777).toBe(0o600);
  });

  it('throws at once when the log folder cannot be created', async () => {
    const blocker = path.join(dir, 'not-a-folder');
    await writeFile(blocker, '');
    expect(() => createRotatingLogFile({ file: path.join(blocker, 'agent.log') })).toThrow(/ENOTDIR|EEXIST/);
  });

  it('refuses limits that are not positive integers', () => {
    expect(() => createRotatingLogFile({ file: path.join(dir, 'a.log'), maxBytes: 0 })).toThrow(/maxBytes/);
    expect(() => createRotatingLogFile({ file: path.join(dir, 'a.log'), maxFiles: 1.5 })).toThrow(/maxFiles/);
  });
});

describe('defaultLogDir', () => {
  it('follows each OS convention and agrees with the service definitions', () => {
    expect(defaultLogDir('linux', { HOME: '/home/ana' })).toBe('/home/ana/.local/state/openclaw-node/logs');
    expect(defaultLogDir('linux', { HOME: '/home/ana', XDG_STATE_HOME: '/var/state' })).toBe(
      '/var/state/openclaw-node/logs',
    );
    // A relative XDG_STATE_HOME is invalid per the spec and ignored.
    expect(defaultLogDir('linux', { HOME: '/home/ana', XDG_STATE_HOME: 'state' })).toBe(
      '/home/ana/.local/state/openclaw-node/logs',
    );
    expect(defaultLogDir('darwin', { HOME: '/Users/ana' })).toBe('/Users/ana/Library/Logs/openclaw-node');
    expect(defaultLogFile('win32', { LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' })).toBe(
      'C:\\Users\\ana\\AppData\\Local\\openclaw-node\\logs\\agent.log',
    );
    expect(defaultLogDir('win32', { USERPROFILE: 'C:\\Users\\bo' })).toBe(
      'C:\\Users\\bo\\AppData\\Local\\openclaw-node\\logs',
    );
  });
});
