import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCli, runCli } from '@openclaw-node/cli';
import { HELP as CREATE_HELP } from 'create-openclaw-plugin';
// The quickstart's instructions are internal to the CLI (printed only once a server and an agent
// run); this repo-wide check reads them from the source.
// eslint-disable-next-line no-restricted-imports
import { quickstartInstructions } from '../../packages/cli/src/quickstart/instructions.js';
import { memoryStream } from '@openclaw-node/test-support/cli';

// The npm names `openclaw` (an unrelated AI gateway) and `create-openclaw-plugin` are not ours, and a
// non-interactive `npx` fetches and runs whatever answers to them. Every line the project prints or
// documents that goes through npx must say --no-install, so it fails instead.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const self = path.relative(repoRoot, fileURLToPath(import.meta.url));

/** Each way of running one of our names through npm that would fetch it from the registry. */
const UNSAFE = [
  // `npx openclaw`, `npx -y create-openclaw-plugin`, `'npx', 'openclaw'` (an argv array)
  /\bnpx\b(?:[\s'",]+-(?!-no-install\b)[\w-]+)*[\s'",]+(openclaw|create-openclaw-plugin)\b/,
  /\bnpm\s+(?:exec|x)\s+(?!--no-install\b)(?:--\s+)?(openclaw|create-openclaw-plugin)\b/,
  /\bnpm\s+(?:create|init)\s+openclaw-plugin\b/,
];

// Prose that warns against the form ("never `npx openclaw`") is not a line to run.
const WARNING = /\bnever\s+(?:run\s+)?`[^`]*`(?:\s+or\s+`[^`]*`)*/g;

function unsafeLines(text: string): string[] {
  return text.split('\n').filter((line) => UNSAFE.some((pattern) => pattern.test(line.replace(WARNING, ''))));
}

function trackedFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return listed
    .split('\0')
    .filter((file) => /\.(md|ts|js|mjs|cjs|json|ya?ml|txt)$|(^|\/)_gitignore$/.test(file))
    .filter((file) => file !== self && file !== 'package-lock.json' && !file.includes('node_modules/'));
}

describe('no bare npx of a name that is not ours', () => {
  it('the checker finds what it must', () => {
    expect(unsafeLines('npx openclaw nodes')).toHaveLength(1);
    expect(unsafeLines('  npx -y create-openclaw-plugin my-plugin')).toHaveLength(1);
    expect(unsafeLines("shellLine(['npx', 'openclaw', 'jobs'])")).toHaveLength(1);
    expect(unsafeLines('npm exec openclaw -- nodes')).toHaveLength(1);
    expect(unsafeLines('npm create openclaw-plugin@latest')).toHaveLength(1);
    expect(unsafeLines('npx --no-install openclaw nodes')).toEqual([]);
    expect(unsafeLines('never run `npx openclaw` or `npx create-openclaw-plugin` outside')).toEqual([]);
    expect(unsafeLines("['npx', '--no-install', 'openclaw', 'jobs']")).toEqual([]);
    expect(unsafeLines('npx --no-install create-openclaw-plugin my-plugin')).toEqual([]);
  });

  it('in no file of the repository (docs, READMEs, examples, templates, sources)', () => {
    const files = trackedFiles();
    expect(files).toContain('README.md');
    expect(files).toContain('packages/create-openclaw-plugin/template/README.md');
    const found = files.flatMap((file) =>
      unsafeLines(readFileSync(path.join(repoRoot, file), 'utf8')).map((line) => `${file}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });

  it("in quickstart's instructions (npm start)", () => {
    const text = quickstartInstructions({
      url: 'http://127.0.0.1:8765',
      token: 't0k3n',
      nodeId: 'local',
      examplesDir: '/repo/examples',
    });
    expect(text).toContain('npx --no-install openclaw exec local explorer.ping');
    expect(unsafeLines(text)).toEqual([]);
  });

  it('in the help of every openclaw command and of create-openclaw-plugin', async () => {
    const paths = createCli()
      .definitions()
      .map((definition) => definition.path.split(' ').slice(1))
      .filter((words) => words.length > 0 && !words[0]!.startsWith('-'));
    expect(paths.length).toBeGreaterThan(15);
    let help = CREATE_HELP;
    for (const words of [[], ...paths]) {
      const out = memoryStream();
      await runCli([...words, '--help'], { stdout: out.stream, stderr: out.stream, env: {}, colorDepth: 1 });
      help += out.text();
    }
    expect(help).toContain('openclaw exec');
    expect(help).toContain('npx --no-install create-openclaw-plugin');
    expect(unsafeLines(help)).toEqual([]);
  });

  it("npx --no-install runs the clone's openclaw inside it and fails, fetching nothing, outside it", () => {
    const npx = (cwd: string) =>
      spawnSync('npx', ['--no-install', 'openclaw', '--version'], {
        cwd,
        encoding: 'utf8',
        timeout: 60_000,
        // Offline, so nothing can be fetched whatever npx does. (It may still look the name up: with an
        // empty npm cache it then says ENOTCACHED; either way it must not run anything.)
        env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
      });
    const inside = npx(path.join(repoRoot, 'docs'));
    expect(inside.status, inside.stderr).toBe(0);
    expect(inside.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const outsideDir = mkdtempSync(path.join(tmpdir(), 'openclaw-npx-'));
    try {
      const outside = npx(outsideDir);
      expect(outside.status).not.toBe(0);
      expect(outside.stdout).toBe('');
    } finally {
      rmSync(outsideDir, { recursive: true, force: true });
    }
  });
});
