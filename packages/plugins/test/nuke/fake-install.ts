import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fixtures folder: the fake Nuke binary, the fake `nuke` Python module and sample scripts. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/nuke/', import.meta.url));
export const FAKE_NUKE = path.join(FIXTURES, 'fake-nuke.mjs');

/** A temp folder with fake Nuke installs, a rendered-to folder and a copy of comp.nk pointing into it. */
export interface FakeStudio {
  dir: string;
  /** Install root holding `Nuke{M.m}v{p}` folders. */
  root: string;
  /** `<root>/Nuke15.1v3/Nuke15.1`, a symlink to the fake. */
  nuke: string;
  /** comp.nk with its Write nodes writing under `out`. */
  script: string;
  out: string;
  argvFile: string;
  pidFile: string;
  /** Environment for runAction: the real one plus the fake's switches. */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** Every argv the fake was started with so far. */
  argvs(): Promise<{ exe: string; argv: string[]; env: Record<string, string | null> }[]>;
  cleanup(): Promise<void>;
}

/** Install the fake as `<root>/<folder>/<binary>` (a symlink, so it still finds its fixtures). */
export async function installFake(root: string, folder: string, binary: string): Promise<string> {
  const dir = path.join(root, folder);
  await mkdir(path.dirname(path.join(dir, binary)), { recursive: true });
  const target = path.join(dir, binary);
  await symlink(FAKE_NUKE, target);
  return target;
}

/** An executable that is not the fake: prints nothing and exits 0 (a Nuke whose --version says nothing). */
export async function installSilentBinary(file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '#!/usr/bin/env node\nprocess.exit(0);\n');
  await chmod(file, 0o755);
}

/** A fresh fake studio in a temp folder. */
export async function createFakeStudio(): Promise<FakeStudio> {
  const dir = await mkdtemp(path.join(tmpdir(), 'openclaw-nuke-'));
  const root = path.join(dir, 'apps');
  const out = path.join(dir, 'out');
  const nuke = await installFake(root, 'Nuke15.1v3', 'Nuke15.1');
  const script = path.join(dir, 'shots', 'sh010_comp_v003.nk');
  await mkdir(path.dirname(script), { recursive: true });
  const template = await readFile(path.join(FIXTURES, 'scripts', 'comp.nk'), 'utf8');
  await writeFile(script, template.replaceAll('{{OUT}}', out).replaceAll('{{SCRIPT}}', script));
  const argvFile = path.join(dir, 'argv.jsonl');
  const pidFile = path.join(dir, 'pids.json');
  return {
    dir,
    root,
    nuke,
    script,
    out,
    argvFile,
    pidFile,
    env: (extra = {}) => ({
      ...process.env,
      FAKE_NUKE_ARGV_FILE: argvFile,
      FAKE_NUKE_PID_FILE: pidFile,
      ...extra,
    }),
    argvs: async () => {
      const text = await readFile(argvFile, 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter(Boolean)
        .map(
          (line) => JSON.parse(line) as { exe: string; argv: string[]; env: Record<string, string | null> },
        );
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Wait until `check` holds, polling; fails the test with `what` if it never does. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  tries = 200,
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
