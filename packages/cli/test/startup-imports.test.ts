import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = path.resolve(cliDir, '../..');
const fixtures = path.join(cliDir, 'test/fixtures/startup');
const tempDir = mkdtempSync(path.join(tmpdir(), 'openclaw-cli-imports-'));

afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

interface Recorded {
  /** The modules each command resolved, in order; `import` is loading the CLI itself. */
  byCommand: Map<string, string[]>;
  codes: number[];
}

/** Run the commands in one real node process (sources through tsx) and record every module it resolves. */
async function recordImports(runs: { argv: string[]; stdin?: string }[]): Promise<Recorded> {
  const log = path.join(tempDir, `imports-${Math.random().toString(36).slice(2)}.log`);
  const child = await promisify(execFile)(
    process.execPath,
    [
      '--conditions=@openclaw-node/source',
      '--import',
      'tsx',
      '--import',
      pathToFileURL(path.join(fixtures, 'record-imports.mjs')).href,
      path.join(fixtures, 'run-commands.ts'),
      JSON.stringify(runs),
    ],
    { cwd: repoRoot, env: { ...process.env, OPENCLAW_IMPORT_LOG: log }, timeout: 60_000 },
  );
  const byCommand = new Map<string, string[]>();
  let current = '';
  for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
    if (line.startsWith('# ')) byCommand.set((current = line.slice(2)), []);
    else byCommand.get(current)?.push(line);
  }
  const codes = child.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { code: number }).code);
  return { byCommand, codes };
}

/** What a module URL belongs to: `@openclaw-node/<dir>` for workspace sources, else the npm package. */
function ownerOf(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  const file = path.relative(repoRoot, fileURLToPath(url)).split(path.sep);
  const nodeModules = file.lastIndexOf('node_modules');
  if (nodeModules >= 0) {
    const name = file[nodeModules + 1] ?? '';
    return name.startsWith('@') ? `${name}/${file[nodeModules + 2]}` : name;
  }
  if (file[0] === 'packages') return `@openclaw-node/${file[1]}`;
  return undefined;
}

const HEAVY = [
  '@openclaw-node/server',
  '@openclaw-node/agent',
  '@openclaw-node/plugins',
  '@openclaw-node/plugin-sdk',
  'pino',
  'koa',
  'socket.io',
  'socket.io-client',
  'better-sqlite3',
  'execa',
];

function heavyOwners(urls: readonly string[]): string[] {
  return [...new Set(urls.map(ownerOf))].filter((owner): owner is string => HEAVY.includes(owner ?? ''));
}

describe('CLI start-up imports', () => {
  it('loads only the client for client commands and their help', async () => {
    // Port 9 (discard) is closed here: the commands run their code and fail to connect.
    const server = ['--server', 'http://127.0.0.1:9'];
    const recorded = await recordImports([
      { argv: ['--help'] },
      { argv: ['exec', '--help'] },
      { argv: ['jobs', '--help'] },
      { argv: ['nodes', '--help'] },
      { argv: ['health', '--help'] },
      { argv: ['server', 'start', '--help'] },
      { argv: ['agent', 'start', '--help'] },
      { argv: ['exec', ...server, 'ws-042', 'explorer.ping'] },
      { argv: ['jobs', ...server] },
      { argv: ['nodes', ...server] },
      { argv: ['health', ...server] },
    ]);
    expect(recorded.codes).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    const loaded = Object.fromEntries(
      [...recorded.byCommand].map(([command, urls]) => [command, heavyOwners(urls)]),
    );
    expect(loaded).toEqual(Object.fromEntries([...recorded.byCommand.keys()].map((c) => [c, []])));
    const workspace = new Set([...recorded.byCommand.values()].flat().map(ownerOf));
    expect(workspace).toContain('@openclaw-node/client');
  });

  it('loads the server package only once a command needs it', async () => {
    const recorded = await recordImports([
      { argv: ['token', 'hash'], stdin: 'a-token-of-some-32-characters-xx' },
    ]);
    expect(recorded.codes).toEqual([0]);
    expect(heavyOwners(recorded.byCommand.get('import') ?? [])).toEqual([]);
    expect(heavyOwners(recorded.byCommand.get('token hash') ?? [])).toContain('@openclaw-node/server');
  });
});
