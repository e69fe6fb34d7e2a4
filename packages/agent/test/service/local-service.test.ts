import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServiceConfig, findAgentEntry, planLocalService } from '../../src/service/index.js';

describe('planLocalService', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-local-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const onLinux = process.platform === 'linux';

  it.runIf(onLinux)(
    'plans for this machine with this node, the agent bin and the default config',
    async () => {
      const local = await planLocalService({
        env: { HOME: dir, DISPLAY: ':0', XDG_RUNTIME_DIR: '/run/user/0' },
      });
      expect(local.native).toBe(true);
      expect(local.plan.platform).toBe('linux');
      expect(local.configPath).toBe(path.join(dir, '.config', 'openclaw-node', 'node_config.yaml'));
      expect(local.plan.agentArgv).toEqual([
        process.execPath,
        await findAgentEntry(),
        '--config',
        local.configPath,
      ]);
      expect(local.plan.definitionPath).toBe(path.join(dir, '.config/systemd/user/openclaw-agent.service'));
    },
  );

  it('resolves a relative --config against the working directory', async () => {
    const local = await planLocalService({
      env: { HOME: dir },
      cwd: dir,
      configPath: 'sub/node_config.yaml',
    });
    expect(local.configPath).toBe(path.join(dir, 'sub', 'node_config.yaml'));
  });

  it.runIf(onLinux)('warns when run outside the desktop session', async () => {
    const local = await planLocalService({ env: { HOME: dir } });
    expect(local.warnings.join('\n')).toMatch(/Neither DISPLAY nor WAYLAND_DISPLAY is set/);
    expect(local.warnings.join('\n')).toMatch(/XDG_RUNTIME_DIR is not set/);
  });

  it.runIf(process.platform !== 'win32')('plans for another OS with typical paths and says so', async () => {
    const local = await planLocalService({ platform: 'windows', env: { USERPROFILE: 'C:\\Users\\ana' } });
    expect(local.native).toBe(false);
    expect(local.configPath).toBe('C:\\Users\\ana\\AppData\\Roaming\\openclaw-node\\node_config.yaml');
    expect(local.plan.agentArgv[0]).toBe('C:\\Program Files\\nodejs\\node.exe');
    expect(local.warnings).toEqual([
      expect.stringMatching(new RegExp(`^Planned for windows on a ${process.platform} machine`)),
    ]);
  });

  it('finds the agent bin of this package', async () => {
    const entry = await findAgentEntry();
    expect(entry).toBe(path.resolve(import.meta.dirname, '../../bin/openclaw-agent.js'));
    await expect(findAgentEntry('file:///')).rejects.toThrow(/cannot find the @openclaw-node\/agent package/);
    await access(path.dirname(path.dirname(entry)));
  });
});

describe('checkServiceConfig', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'oc-cfg-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const valid = 'node_id: ws-042\nserver_url: ws://pipeline:8765/ws\nauth_token: abc\n';

  it('accepts a private, complete config without warnings', async () => {
    const file = path.join(dir, 'ok.yaml');
    await writeFile(file, valid, { mode: 0o600 });
    expect(await checkServiceConfig(file, {})).toEqual([]);
  });

  it('refuses a missing config, naming the --config option', async () => {
    await expect(checkServiceConfig(path.join(dir, 'nope.yaml'), {})).rejects.toMatchObject({
      code: 'SERVICE_OPTIONS_INVALID',
      details: { field: 'config' },
    });
  });

  it('refuses an invalid config with the config error', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, 'node_id: ws-042\n', { mode: 0o600 });
    await expect(checkServiceConfig(file, {})).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('warns that the service does not see shell variables', async () => {
    const file = path.join(dir, 'env.yaml');
    await writeFile(file, valid.replace('abc', '${OPENCLAW_NODE_TOKEN}'), { mode: 0o600 });
    const warnings = await checkServiceConfig(file, { OPENCLAW_NODE_TOKEN: 'abc' });
    expect(warnings).toEqual([expect.stringMatching(/does not inherit your shell's variables/)]);
  });

  it('warns when the token is readable by other users', async () => {
    const file = path.join(dir, 'open.yaml');
    await writeFile(file, valid, { mode: 0o644 });
    const warnings = await checkServiceConfig(file, {});
    expect(warnings).toEqual([expect.stringMatching(/readable by other users \(mode 644\): chmod 600/)]);
  });
});
