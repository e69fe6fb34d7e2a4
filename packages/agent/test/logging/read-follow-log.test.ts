import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRotatingLogFile, followLog, readLastLogLines } from '../../src/index.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-follow-'));
  file = path.join(dir, 'agent.log');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);

/** Follow `file` in the background; `until(n)` resolves once n lines have arrived. */
function follower(options: { from?: 'end' | 'start' | number } = {}) {
  const controller = new AbortController();
  const seen: string[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const done = (async () => {
    for await (const line of followLog(file, { signal: controller.signal, pollIntervalMs: 20, ...options })) {
      seen.push(line);
      for (const waiter of waiters.filter((w) => seen.length >= w.n)) waiter.resolve();
    }
  })();
  return {
    seen,
    until: (n: number) =>
      new Promise<void>((resolve, reject) => {
        if (seen.length >= n) return resolve();
        const timer = setTimeout(() => reject(new Error(`saw only ${JSON.stringify(seen)}`)), 10_000);
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

describe('readLastLogLines', () => {
  it('returns the last n lines, oldest first', async () => {
    await writeFile(file, `${lines(1, 10).join('\n')}\n`);
    expect(await readLastLogLines(file, { count: 3 })).toEqual(['line 8', 'line 9', 'line 10']);
    expect(await readLastLogLines(file, { count: 50 })).toEqual(lines(1, 10));
    expect(await readLastLogLines(file, { count: 0 })).toEqual([]);
  });

  it('reads on into the rotated copies when the current file is short', async () => {
    await writeFile(`${file}.2`, `${lines(1, 3).join('\n')}\n`);
    await writeFile(`${file}.1`, `${lines(4, 6).join('\n')}\n`);
    await writeFile(file, `${lines(7, 8).join('\n')}\n`);
    expect(await readLastLogLines(file, { count: 4 })).toEqual(['line 5', 'line 6', 'line 7', 'line 8']);
    expect(await readLastLogLines(file, { count: 100 })).toEqual(lines(1, 8));
  });

  it('filters before counting, and stops at a byte offset', async () => {
    await writeFile(file, `${lines(1, 10).join('\n')}\n`);
    const even = (line: string) => Number(line.split(' ')[1]) % 2 === 0;
    expect(await readLastLogLines(file, { count: 2, filter: even })).toEqual(['line 8', 'line 10']);
    const endOfLine5 = `${lines(1, 5).join('\n')}\n`.length;
    expect(await readLastLogLines(file, { count: 2, end: endOfLine5 })).toEqual(['line 4', 'line 5']);
  });

  it('keeps lines whole across 64 KiB chunks, multi-byte characters included', async () => {
    const long = Array.from({ length: 3000 }, (_, i) => `${i} é☃ ${'x'.repeat(40)}`);
    await writeFile(file, `${long.join('\n')}\n`);
    expect(await readLastLogLines(file, { count: 2500 })).toEqual(long.slice(-2500));
  });

  it('gives nothing for a file that does not exist', async () => {
    expect(await readLastLogLines(path.join(dir, 'missing.log'), { count: 5 })).toEqual([]);
  });
});

describe('followLog', () => {
  it('picks up appended lines, and a line written in two parts once it is complete', async () => {
    await writeFile(file, 'old line\n');
    const follow = follower();
    await new Promise((resolve) => setTimeout(resolve, 60));
    await appendFile(file, 'first\nsec');
    await follow.until(1);
    await appendFile(file, 'ond\n');
    await follow.until(2);
    await follow.stop();
    expect(follow.seen).toEqual(['first', 'second']);
  });

  it('follows across a rotation: the rest of the old file, then the new one from its start', async () => {
    await writeFile(file, '');
    const follow = follower({ from: 'start' });
    await appendFile(file, 'before rotation\n');
    await follow.until(1);
    await appendFile(file, 'written just before the rename\n');
    await rename(file, `${file}.1`);
    await writeFile(file, 'after rotation\n');
    await follow.until(3);
    await appendFile(file, 'later\n');
    await follow.until(4);
    await follow.stop();
    expect(follow.seen).toEqual([
      'before rotation',
      'written just before the rename',
      'after rotation',
      'later',
    ]);
  });

  it('follows the rotations of the real rotating log file', async () => {
    const log = createRotatingLogFile({ file, maxBytes: 200, maxFiles: 2 });
    const follow = follower({ from: 'start' });
    const expected = Array.from({ length: 30 }, (_, i) => `{"n":${i},"msg":"${'y'.repeat(30)}"}`);
    // Each line is seen before the next is written: like `tail -F`, a follower cannot see a file that
    // was rotated away twice between two of its looks, which at 10 MiB a file never is.
    for (const [index, line] of expected.entries()) {
      log.write(`${line}\n`);
      await follow.until(index + 1);
    }
    await log.close();
    await follow.until(30);
    await follow.stop();
    expect(follow.seen).toEqual(expected);
  });

  it('starts over when the file is truncated, and waits for a file that does not exist yet', async () => {
    const follow = follower();
    await new Promise((resolve) => setTimeout(resolve, 60));
    await writeFile(file, 'created later\n');
    await follow.until(1);
    // Shorter than what was read, so the truncation shows however the polls fall.
    await truncate(file, 0);
    await appendFile(file, 'anew\n');
    await follow.until(2);
    await follow.stop();
    expect(follow.seen).toEqual(['created later', 'anew']);
  });

  it('ends the iteration when its signal aborts', async () => {
    await writeFile(file, 'x\n');
    const controller = new AbortController();
    const iteration = (async () => {
      const got: string[] = [];
      for await (const line of followLog(file, { signal: controller.signal, from: 'start' })) got.push(line);
      return got;
    })();
    setTimeout(() => controller.abort(), 100);
    expect(await iteration).toEqual(['x']);
  });
});
