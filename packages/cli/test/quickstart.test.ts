import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, start, waitFor } from '@openclaw-node/test-support/cli';
import { shellWords } from './helpers/shell-words.js';

const run = promisify(execFile);
const repoExamples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples');
let quickstart: ReturnType<typeof start>;
let fakeBin: string;
let toolsLog: string;
const saved = { PATH: process.env.PATH, DISPLAY: process.env.DISPLAY };

beforeAll(async () => {
  // The in-process agent opens folders with xdg-open: a fake one records its argv instead.
  fakeBin = await mkdtemp(path.join(tmpdir(), 'openclaw-quickstart-'));
  toolsLog = path.join(fakeBin, 'xdg-open.log');
  const fake = path.join(fakeBin, 'xdg-open');
  await writeFile(fake, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${toolsLog}'\n`);
  await chmod(fake, 0o755);
  process.env.PATH = `${fakeBin}:${process.env.PATH ?? ''}`;
  process.env.DISPLAY = ':99';
  quickstart = start(['quickstart', '--port', '0', '--log-level', 'silent', '--data-dir', fakeBin]);
  await waitFor(
    () => (quickstart.stdout().includes('Press Ctrl+C') ? true : undefined),
    'the instructions',
    20_000,
  );
}, 30_000);

afterAll(async () => {
  const stopped = await quickstart?.stop();
  expect(stopped?.code).toBe(0);
  process.env.PATH = saved.PATH;
  if (saved.DISPLAY === undefined) delete process.env.DISPLAY;
  else process.env.DISPLAY = saved.DISPLAY;
  await rm(fakeBin, { recursive: true, force: true });
});

const lines = (prefix: string): string[] =>
  quickstart
    .stdout()
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith(prefix));

describe('openclaw quickstart', () => {
  it('prints a token, curl lines and openclaw exec lines for ping and open_folder', () => {
    expect(quickstart.stdout()).toMatch(/Token \(valid until you stop quickstart\): [A-Za-z0-9_-]{32}\n/);
    expect(lines('curl ')).toHaveLength(3);
    expect(quickstart.stdout()).toContain(
      `Every exec is a job (history: sqlite ${path.join(fakeBin, 'jobs.sqlite')})`,
    );
    expect(lines('npx --no-install openclaw jobs ')).toHaveLength(1);
    const execs = lines('npx --no-install openclaw exec ');
    expect(execs.some((l) => l.includes('explorer.ping'))).toBe(true);
    expect(execs.some((l) => l.includes(`explorer.open_folder path=${repoExamples}`))).toBe(true);
  });

  it('prints curl lines that work as printed in sh', async () => {
    for (const line of lines('curl ')) {
      const { stdout } = await run('sh', ['-c', `${line} --fail-with-body`]);
      expect(JSON.parse(stdout)).toBeTypeOf('object');
    }
  });

  it('prints openclaw lines that work as printed', async () => {
    for (const line of [
      ...lines('npx --no-install openclaw exec '),
      ...lines('npx --no-install openclaw nodes'),
    ]) {
      const argv = shellWords(line).slice(3);
      const result = await cli(argv);
      expect(result, line).toMatchObject({ code: 0, stderr: '' });
    }
    const opened = await readFile(toolsLog, 'utf8');
    expect(opened.split('\n')).toContain(repoExamples);
    const [jobs] = lines('npx --no-install openclaw jobs ');
    const listed = await cli([...shellWords(jobs!).slice(3), '--json']);
    expect(listed.code).toBe(0);
    const history = JSON.parse(listed.stdout) as { jobs: { action: string; state: string }[] };
    expect(history.jobs.map((j) => [j.action, j.state])).toContainEqual([
      'explorer.open_folder',
      'succeeded',
    ]);
  });
});
