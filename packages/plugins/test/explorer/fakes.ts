import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('../fixtures/explorer/', import.meta.url));

export type FakeTool = 'xdg-open' | 'gdbus' | 'dbus-send' | 'open' | 'explorer';

export interface FakeCall {
  tool: FakeTool;
  argv: string[];
  pid: number;
}

/** A temp folder holding a bin/ of fake tools, a log of their argv, and a show tree to point at. */
export interface FakeDesktop {
  root: string;
  bin: string;
  log: string;
  /** Install fakes into bin/ under their real names; the shebang is this node, so PATH may be bin/ alone. */
  install(...tools: FakeTool[]): Promise<Record<FakeTool, string>>;
  calls(): Promise<FakeCall[]>;
  cleanup(): Promise<void>;
}

/** Create a fake desktop in a temp folder. */
export async function createFakeDesktop(): Promise<FakeDesktop> {
  const root = await mkdtemp(path.join(tmpdir(), 'openclaw-explorer-'));
  const bin = path.join(root, 'bin');
  const log = path.join(root, 'argv.log');
  await mkdir(bin);
  return {
    root,
    bin,
    log,
    async install(...tools) {
      const installed = {} as Record<FakeTool, string>;
      for (const tool of tools) {
        const file = path.join(bin, tool);
        const fixture = path.join(fixtures, `${tool}.cjs`);
        await writeFile(file, `#!${process.execPath}\nrequire(${JSON.stringify(fixture)});\n`);
        await chmod(file, 0o755);
        installed[tool] = file;
      }
      return installed;
    },
    async calls() {
      const text = await readFile(log, 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as FakeCall);
    },
    async cleanup() {
      await rm(root, { recursive: true, force: true });
    },
  };
}
