// close() waits for the checkpoint thread to exit: a process with nothing else to wait for must not
// exit in that wait, before the store closed its file and released the data directory's lock.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SqliteJobStore } from '../../src/jobs/index.js';
import { sqliteTestKit } from './helpers.js';

const SCRIPT = fileURLToPath(new URL('./fixtures/close-and-report.ts', import.meta.url));
const { dataDir, open } = sqliteTestKit();

describe('SqliteJobStore.close() in a process with nothing else to wait for', () => {
  it('returns, with the file closed and the lock released', async () => {
    const dir = await dataDir();
    const child = spawn(
      process.execPath,
      ['--conditions=@openclaw-node/source', '--import', 'tsx', SCRIPT, dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
    expect({ code, out }, err).toEqual({ code: 0, out: 'closed\n' });
    // Released: this process opens the directory as its owner, and the job is there.
    const store: SqliteJobStore = await open({ dataDir: dir });
    expect(store.lostAtOpen).toEqual([]);
    expect((await store.get('one'))?.state).toBe('succeeded');
  });
});
