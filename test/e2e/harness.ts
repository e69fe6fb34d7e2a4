import type { ChildProcess } from 'node:child_process';
import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliBin = path.join(repoRoot, 'packages/cli/dist/bin.js');
export const agentBin = path.join(repoRoot, 'packages/agent/dist/bin.js');
export const fakeToolsDir = path.join(repoRoot, 'test/fixtures/fake-tools');

/** A port that was free a moment ago (the server needs a fixed port to be restarted on it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ApiResponse {
  status: number;
  body: Record<string, unknown>;
}

export async function api(
  base: string,
  route: string,
  options: {
    token?: string;
    method?: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(base + route, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body: body ?? null,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A temp folder per test file: show tree, config files, the fake tools' log. */
export async function createWorkspace(): Promise<{
  dir: string;
  toolsLog: string;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(path.join(tmpdir(), 'openclaw-e2e-'));
  return {
    dir,
    toolsLog: path.join(dir, 'tools.log'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function readToolsLog(file: string): Promise<{ tool: string; argv: string[]; pid?: number }[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { tool: string; argv: string[]; pid?: number });
}

/**
 * What is kept of a started process: its end, pid, exit code, output and kill (execa's ResultPromise
 * does not survive exactOptionalPropertyTypes as an annotation).
 */
export type TestChild = Promise<{ exitCode?: number | undefined }> &
  Pick<ChildProcess, 'kill' | 'pid' | 'exitCode' | 'signalCode' | 'stdout' | 'stderr'>;

export interface RunningProcess {
  process: TestChild;
  output: () => string;
  stop: () => Promise<void>;
}

function track(child: TestChild): RunningProcess {
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return {
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await child.catch(() => undefined);
    },
  };
}

/**
 * `openclaw server start` on 127.0.0.1:`port`. Without OPENCLAW_DATA_DIR or OPENCLAW_STORE in `env`, it
 * keeps its job history in a temp folder of its own (removed by `stop`), never in the tester's home.
 */
export function startServerProcess(port: number, env: Record<string, string>): RunningProcess {
  const ownDataDir =
    env.OPENCLAW_DATA_DIR === undefined && env.OPENCLAW_STORE === undefined
      ? mkdtempSync(path.join(tmpdir(), 'openclaw-e2e-data-'))
      : undefined;
  const running = track(
    execa(process.execPath, [cliBin, 'server', 'start', '--host', '127.0.0.1', '--port', String(port)], {
      env: { OPENCLAW_LOG_LEVEL: 'warn', ...(ownDataDir ? { OPENCLAW_DATA_DIR: ownDataDir } : {}), ...env },
      reject: false,
      forceKillAfterDelay: 2000,
    }),
  );
  if (ownDataDir === undefined) return running;
  return {
    ...running,
    stop: async () => {
      await running.stop();
      await rm(ownDataDir, { recursive: true, force: true });
    },
  };
}

export async function writeAgentConfig(dir: string, config: Record<string, unknown>): Promise<string> {
  const file = path.join(dir, `node_config_${String(config.node_id)}.yaml`);
  const yaml = Object.entries(config)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join('\n');
  await writeFile(file, `${yaml}\n`);
  return file;
}

/** The agent bin with `configFile`; its log file goes beside the config, never to the tester's home. */
export function startAgentProcess(configFile: string, env: Record<string, string>): RunningProcess {
  const logFile = configFile.replace(/\.ya?ml$/, '') + '.log';
  return track(
    execa(process.execPath, [agentBin, '--config', configFile, '--log-file', logFile], {
      env: {
        OPENCLAW_LOG_LEVEL: 'info',
        PATH: `${fakeToolsDir}:${process.env.PATH ?? ''}`,
        DISPLAY: ':99',
        DBUS_SESSION_BUS_ADDRESS: 'unix:path=/tmp/openclaw-fake-bus',
        ...env,
      },
      reject: false,
      forceKillAfterDelay: 2000,
    }),
  );
}
