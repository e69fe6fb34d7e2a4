import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('../fixtures/rv/', import.meta.url));

export interface FakeRvCall {
  pid: number;
  tool: 'rv' | 'rvpush' | 'rv-session';
  argv?: string[];
  tag?: string;
  message?: { event: string; payload: string };
}

/** A fake RV install (bin/rv, bin/rvpush), a private TMPDIR for port files, a show tree and an argv log. */
export interface FakeRvInstall {
  root: string;
  bin: string;
  rv: string;
  rvpush: string;
  tmp: string;
  log: string;
  calls(): Promise<FakeRvCall[]>;
  /** Kill every fake rv that was started (they run detached, like the real player). */
  killPlayers(): Promise<void>;
  cleanup(): Promise<void>;
}

async function installFake(bin: string, name: string): Promise<string> {
  const file = path.join(bin, name);
  await writeFile(
    file,
    `#!${process.execPath}\nrequire(${JSON.stringify(path.join(fixtures, `${name}.cjs`))});\n`,
  );
  await chmod(file, 0o755);
  return file;
}

/** Create a fake RV install in a temp folder. */
export async function createFakeRvInstall(): Promise<FakeRvInstall> {
  const root = await mkdtemp(path.join(tmpdir(), 'openclaw-rv-'));
  const bin = path.join(root, 'RV-2024.1.0', 'bin');
  const tmp = path.join(root, 'tmp');
  await mkdir(bin, { recursive: true });
  await mkdir(tmp);
  const log = path.join(root, 'argv.log');
  const calls = async (): Promise<FakeRvCall[]> =>
    (await readFile(log, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as FakeRvCall);
  const killPlayers = async (): Promise<void> => {
    for (const call of await calls()) {
      if (call.tool !== 'rv') continue;
      try {
        process.kill(call.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  return {
    root,
    bin,
    tmp,
    log,
    rv: await installFake(bin, 'rv'),
    rvpush: await installFake(bin, 'rvpush'),
    calls,
    killPlayers,
    async cleanup() {
      await killPlayers();
      await rm(root, { recursive: true, force: true });
    },
  };
}
