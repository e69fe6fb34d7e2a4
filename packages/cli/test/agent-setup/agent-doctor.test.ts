import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAgentCommand } from './run-command.js';
import { AGENT_TOKEN, startSetupBed, type SetupBed } from './setup-bed.js';

let bed: SetupBed;
let file: string;
beforeEach(async () => {
  bed = await startSetupBed();
  file = path.join(bed.dir, 'node_config.yaml');
});
afterEach(async () => {
  await bed.close();
});

async function config(token: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(
    file,
    `node_id: ws-042\nserver_url: ${bed.serverUrl}\nauth_token: ${token}\nplugins: [rv]\nallowed_paths: [${path.join(bed.dir, 'projects')}]\n`,
    { mode: 0o600 },
  );
}

interface Report {
  ok: boolean;
  config: string | null;
  checks: { id: string; title: string; status: 'ok' | 'warn' | 'fail'; detail: string; fix?: string }[];
}

describe('openclaw agent doctor', () => {
  it('prints the report as JSON and exits 0 when nothing failed', async () => {
    await config(AGENT_TOKEN);
    const { code, stdout } = await runAgentCommand(
      ['agent', 'doctor', '--timeout', '15000', '--config', file, '--json'],
      bed.env,
    ).result;
    const report = JSON.parse(stdout) as Report;
    expect(report.ok).toBe(true);
    expect(report.config).toBe(file);
    for (const check of report.checks) {
      expect(
        Object.keys(check).every((key) => ['id', 'title', 'status', 'detail', 'fix', 'data'].includes(key)),
      ).toBe(true);
      expect(['ok', 'warn', 'fail']).toContain(check.status);
      if (check.status !== 'ok') expect(check.fix).toEqual(expect.any(String));
    }
    expect(report.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        'config',
        'server',
        'token',
        'plugin:rv',
        'desktop-session',
        'service',
        'log-file',
      ]),
    );
    expect(code).toBe(0);
  });

  it('exits 1 and shows the fix when a check fails', async () => {
    await config('not-the-token');
    const { code, stdout } = await runAgentCommand(
      ['agent', 'doctor', '--timeout', '15000', '--config', file],
      bed.env,
    ).result;
    expect(code).toBe(1);
    expect(stdout).toMatch(/ {2}FAIL {2}Token accepted +the server rejected the token/);
    expect(stdout).toMatch(/fix: Set auth_token in .*node_config\.yaml to a token the server accepts/);
    expect(stdout).not.toContain('not-the-token');
    const json = await runAgentCommand(
      ['agent', 'doctor', '--timeout', '15000', '--config', file, '--json'],
      bed.env,
    ).result;
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as Report).ok).toBe(false);
  });

  it('exits 1 without a config and tells how to write one', async () => {
    const { code, stdout } = await runAgentCommand(['agent', 'doctor'], bed.env).result;
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL  Config file');
    expect(stdout).toContain('fix: Run `openclaw agent init` to write one');
  });
});
