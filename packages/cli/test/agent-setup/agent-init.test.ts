import { access, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAgentCommand } from './run-command.js';
import { AGENT_TOKEN, startSetupBed, type SetupBed } from './setup-bed.js';

let bed: SetupBed;
let file: string;
beforeEach(async () => {
  bed = await startSetupBed();
  file = path.join(bed.dir, '.config', 'openclaw-node', 'node_config.yaml');
});
afterEach(async () => {
  await bed.close();
});

const init = (args: string[], env: Record<string, string> = {}) =>
  runAgentCommand(['agent', 'init', '--timeout', '15000', ...args], { ...bed.env, ...env }).result;

describe('openclaw agent init', () => {
  it('sets up a workstation from flags with --yes, writing the per-user config', async () => {
    const { code, stdout, stderr } = await init(
      [
        '--server',
        bed.serverUrl,
        '--node-id',
        'ws-042',
        '--allowed-path',
        path.join(bed.dir, 'projects'),
        '--yes',
      ],
      { OPENCLAW_NODE_TOKEN: AGENT_TOKEN },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^Connection: server \d+\.\d+\.\d+ answered in \d+ ms; token accepted for node ws-042\n/,
    );
    expect(stdout).toContain(`Plugins: rv (${path.join(bed.dir, 'bin', 'rv')} 2024.1.0)\n`);
    expect(stdout).toContain(
      `Wrote ${file} (readable by you only).\nNext: \`openclaw agent doctor\` checks everything`,
    );
    expect(stdout).not.toContain(AGENT_TOKEN);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toContain(`auth_token: ${AGENT_TOKEN}`);
  });

  it('fails with the reason and writes nothing when the token is wrong', async () => {
    const { code, stdout, stderr } = await init(['--server', bed.serverUrl, '--token', 'wrong', '--yes']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^AUTH_INVALID: the connection test failed: the server rejected the token/);
    await expect(access(file)).rejects.toThrow(/ENOENT/);
  });

  it('treats a missing server as a usage mistake, saying nothing was asked', async () => {
    const { code, stderr } = await init(['--token', AGENT_TOKEN]);
    expect(code).toBe(2);
    expect(stderr).toContain('server_url is required: pass --server');
    expect(stderr).toContain('(stdin is not a terminal, so nothing was asked)');
  });

  it('refuses to replace an existing config without --force, then updates it with --force', async () => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(
      file,
      `# keep me\nserver_url: ws://old:8765/ws\nauth_token: ${AGENT_TOKEN}\nplugins: [rv]\n`,
    );
    const refused = await init(['--server', bed.serverUrl, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^CONFIG_EXISTS: .* already exists: pass --force to update it/);
    const updated = await init([
      '--server',
      bed.serverUrl,
      '--yes',
      '--force',
      '--allowed-path',
      path.join(bed.dir, 'projects'),
    ]);
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain(`Updated ${file}`);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^# keep me\nserver_url: ws:\/\/127\.0\.0\.1:\d+\/ws\n/);
  });

  it('refuses --plugins explorer,rvv with a did-you-mean, writing nothing', async () => {
    const { code, stderr } = await init(
      [
        '--server',
        bed.serverUrl,
        '--plugins',
        'explorer,rvv',
        '--allowed-path',
        path.join(bed.dir, 'projects'),
        '--yes',
      ],
      { OPENCLAW_NODE_TOKEN: AGENT_TOKEN },
    );
    expect(code).toBe(2);
    expect(stderr).toContain('plugins: "rvv" is not a plugin: did you mean "rv"?');
    await expect(access(file)).rejects.toThrow(/ENOENT/);
  });

  it('prints the result as JSON without the token', async () => {
    const { code, stdout } = await init([
      '--server',
      bed.serverUrl,
      '--token',
      AGENT_TOKEN,
      '--plugins',
      'rv',
      '--json',
      '--no-verify',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      file: string;
      values: Record<string, unknown>;
      connection: unknown;
    };
    expect(result).toMatchObject({
      file,
      connection: null,
      values: { auth_token: '[redacted]', plugins: ['rv'] },
    });
    expect(stdout).not.toContain(AGENT_TOKEN);
  });
});
