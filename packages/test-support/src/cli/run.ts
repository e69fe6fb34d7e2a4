import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '@openclaw-node/cli';
import { afterAll } from 'vitest';
import { waitFor as pollUntil } from '../wait-for.js';

/** Streams that keep what is written, for in-memory CLI runs. */
export function memoryStream(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

// Servers started by these tests keep their job history here, never in the tester's data folder.
const dataDir = mkdtempSync(path.join(tmpdir(), 'openclaw-cli-data-'));
// Registered while the test file that imports this is collected: the folder goes with that file.
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const withDataDir = (env: Record<string, string>) => ({ OPENCLAW_DATA_DIR: dataDir, ...env });

/** Run `openclaw <argv>` in memory with only `env` (and a temp OPENCLAW_DATA_DIR) as environment. */
export async function cli(
  argv: string[],
  env: Record<string, string> = {},
  shutdown?: AbortSignal,
): Promise<CliRun> {
  const out = memoryStream();
  const err = memoryStream();
  const code = await runCli(argv, {
    stdout: out.stream,
    stderr: err.stream,
    env: withDataDir(env),
    colorDepth: 1,
    ...(shutdown ? { shutdown } : {}),
  });
  return { code, stdout: out.text(), stderr: err.text() };
}

/** Start a long-running command; `stop()` aborts its shutdown signal and resolves with the run. */
export function start(
  argv: string[],
  env: Record<string, string> = {},
): {
  stdout: () => string;
  stderr: () => string;
  result: Promise<number>;
  stop: () => Promise<CliRun>;
} {
  const out = memoryStream();
  const err = memoryStream();
  const controller = new AbortController();
  const result = runCli(argv, {
    stdout: out.stream,
    stderr: err.stream,
    env: withDataDir(env),
    colorDepth: 1,
    shutdown: controller.signal,
  });
  return {
    stdout: out.text,
    stderr: err.text,
    result,
    stop: async () => {
      controller.abort();
      const code = await result;
      return { code, stdout: out.text(), stderr: err.text() };
    },
  };
}

/** `waitFor` with the longer default a CLI process start needs. */
export function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  ms = 10_000,
): Promise<T> {
  return pollUntil(probe, what, ms);
}
