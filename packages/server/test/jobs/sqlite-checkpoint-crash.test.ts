// With the checkpoint thread and its WAL rewinds, every answered job end survives a SIGKILL.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteJobStore } from '../../src/jobs/index.js';
import { tempDir } from './helpers.js';

const WRITER = fileURLToPath(new URL('./fixtures/checkpoint-crash-writer.ts', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('SqliteJobStore checkpoint thread and a process crash', () => {
  it('keeps every answered job end', async () => {
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    const child = spawn(
      process.execPath,
      ['--conditions=@openclaw-node/source', '--import', 'tsx', WRITER, dir, '400'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const signal = await new Promise((resolve) => child.on('close', (_code, sig) => resolve(sig)));
    expect(signal, err).toBe('SIGKILL');
    const store = await SqliteJobStore.open({ dataDir: dir });
    cleanups.push(() => store.close());
    expect(store.lostAtOpen).toEqual([]);
    const page = await store.list({ state: ['succeeded'] }, { limit: 500 });
    expect(page.jobs).toHaveLength(401);
  });
});
