import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFile, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProcessLog, readProcessLog } from './process-log.js';

const FAKE_PROGRAM = fileURLToPath(new URL('../fixtures/hostile/fake-program.sh', import.meta.url));
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'openclaw-process-log-'));
  await copyFile(FAKE_PROGRAM, path.join(root, 'rv'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

// The hostile battery starts fakes with 100 KB arguments from lanes running side by side, and
// reads the log while other lanes' fakes are still writing it (CI once caught a half-written line).
it('reads only whole records while large starts write the log side by side', async () => {
  const log = path.join(root, 'processes.log');
  await createProcessLog(log);
  const starts = Array.from({ length: 40 }, (_, i) => [`--${i}`, String(i).padEnd(100_000, 'x')]);
  const env = { ...process.env, HOSTILE_PROCESS_LOG: log };
  let writing = true;
  const reads: number[] = [];
  const reader = (async () => {
    while (writing) reads.push((await readProcessLog(log)).length);
  })();
  const exits = starts.map(async (argv) => {
    const child = spawn(path.join(root, 'rv'), argv, { env, stdio: 'ignore' });
    const [code] = (await once(child, 'exit')) as [number | null];
    return code;
  });
  expect(await Promise.all(exits)).toEqual(starts.map(() => 0));
  writing = false;
  await reader;

  const records = await readProcessLog(log);
  expect(records.map((r) => r.argv).sort((a, b) => a[0]!.localeCompare(b[0]!))).toEqual(
    [...starts].sort((a, b) => a[0]!.localeCompare(b[0]!)),
  );
  expect(records.every((r) => r.tool === 'rv' && r.stdin === '' && r.pid > 0)).toBe(true);
  expect(reads.length).toBeGreaterThan(0);
  expect(reads.every((n, i) => i === 0 || n >= reads[i - 1]!)).toBe(true);
});

// What a reader sees while a start is between its writes: the log's last line without its newline.
it('leaves a line still being written for the next read', async () => {
  const log = path.join(root, 'cut.log');
  await createProcessLog(log);
  const env = { ...process.env, HOSTILE_PROCESS_LOG: log };
  for (const argv of [['first'], ['second']]) {
    const child = spawn(path.join(root, 'rv'), argv, { env, stdio: 'ignore' });
    await once(child, 'exit');
  }
  const lines = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  await appendFile(log, lines.at(-1)!.slice(0, Math.ceil(lines.at(-1)!.length / 2)));

  expect((await readProcessLog(log)).map((r) => r.argv)).toEqual([['first'], ['second']]);
});

/** Start `command` with `args`, stdin closed at once; its exit code. */
async function start(command: string, args: string[], env: Record<string, string>): Promise<number | null> {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.stdin.end('');
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

// A full disk, here a file-size limit with SIGXFSZ ignored (write fails with EFBIG as with ENOSPC).
it('fails a start whose record could not be written, and logs no name for it', async () => {
  const log = path.join(root, 'efbig.log');
  await createProcessLog(log);
  const fake = path.join(root, 'rv');
  expect(await start(fake, ['before'], { HOSTILE_PROCESS_LOG: log })).toBe(0);
  const limited = ['-c', 'trap "" XFSZ; ulimit -f 1; exec "$0" "$@"', fake, 'x'.repeat(5000)];
  expect(await start('bash', limited, { HOSTILE_PROCESS_LOG: log })).toBe(97);
  expect(await start(fake, ['after'], { HOSTILE_PROCESS_LOG: log })).toBe(0);
  expect((await readProcessLog(log)).map((r) => r.argv)).toEqual([['before'], ['after']]);
});

it('fails a start when the record folder is missing', async () => {
  const log = path.join(root, 'no-folder.log');
  expect(await start(path.join(root, 'rv'), ['lost'], { HOSTILE_PROCESS_LOG: log })).toBe(97);
  await expect(readProcessLog(log)).resolves.toEqual([]);
});

// An older bash (macOS's 3.2) has no EPOCHREALTIME, and a pid comes again in a long run: two starts
// as pid 1 of their own pid namespaces stand for it (unshare needs root; skipped where refused).
it('keeps two starts with the same pid apart where EPOCHREALTIME is missing', async (ctx) => {
  const log = path.join(root, 'old-bash.log');
  await createProcessLog(log);
  const bashEnv = path.join(root, 'old-bash-env.sh');
  await writeFile(bashEnv, 'unset EPOCHREALTIME\n');
  for (const arg of ['first', 'second']) {
    const code = await start('unshare', ['--pid', '--fork', path.join(root, 'rv'), arg], {
      HOSTILE_PROCESS_LOG: log,
      BASH_ENV: bashEnv,
    });
    if (code !== 0) ctx.skip();
  }
  const records = await readProcessLog(log);
  expect(records.map((r) => [r.argv, r.pid])).toEqual([
    [['first'], 1],
    [['second'], 1],
  ]);
});
