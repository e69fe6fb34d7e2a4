import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFakeRv, pathWith } from '../doctor/support/fake-apps.js';
import { AGENT_TOKEN, startRealServer, type RealServer } from '../doctor/support/real-server.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/wizard-in-terminal.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

let server: RealServer;
let dir: string;

beforeAll(async () => {
  server = await startRealServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-pty-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * `script` gives its child a real pseudo-terminal. It starts $SHELL with `-i`, so SHELL names a small
 * launcher that runs the wizard fixture with an argument array (no shell is involved anywhere).
 */
async function launcher(): Promise<string> {
  const file = path.join(dir, 'launch-wizard.mjs');
  await writeFile(
    file,
    `#!${process.execPath}
import { spawn } from 'node:child_process';
const child = spawn(${JSON.stringify(process.execPath)}, ['--conditions=@openclaw-node/source', '--import', 'tsx', ${JSON.stringify(FIXTURE)}], { stdio: 'inherit', cwd: ${JSON.stringify(ROOT)} });
child.on('exit', (code) => process.exit(code ?? 1));
`,
  );
  await chmod(file, 0o755);
  return file;
}

describe.skipIf(!hasScript)('the init wizard in a real terminal', () => {
  it('is answered with keystrokes through a pseudo-terminal', async () => {
    const { bin } = await installFakeRv(dir);
    await mkdir(path.join(dir, 'projects'), { recursive: true });
    const config = path.join(dir, 'node_config.yaml');
    const child = spawn('script', ['-q', '-e', '/dev/null'], {
      env: {
        PATH: pathWith(bin),
        HOME: dir,
        TERM: 'xterm-256color',
        SHELL: await launcher(),
        WIZARD_CONFIG: config,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let seen = 0;
    child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const answer = async (prompt: string, keys: string) => {
      for (let i = 0; i < 3000; i++) {
        const at = screen.indexOf(prompt, seen);
        if (at >= 0) {
          seen = at + prompt.length;
          // Give the prompt a moment to switch the terminal to raw mode.
          await new Promise((resolve) => setTimeout(resolve, 50));
          child.stdin.write(keys);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`"${prompt}" never appeared:\n${screen}`);
    };
    try {
      await answer('Node id', '\r');
      await answer('Server address', `${server.serverUrl}\r`);
      await answer('Token', `${AGENT_TOKEN}\r`);
      await answer('Plugins to enable', '\r');
      await answer('Folders actions may use', `${path.join(dir, 'projects')}\r`);
      await answer('Write ', '\r');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    expect(screen).toContain('WIZARD-RESULT ["rv"] tty=true');
    expect(screen).not.toContain(AGENT_TOKEN);
    const text = await readFile(config, 'utf8');
    expect(text).toContain('node_id: ws-pty');
    expect(text).toContain(`auth_token: ${AGENT_TOKEN}`);
    expect(text).toContain(`  - ${path.join(dir, 'projects')}`);
  }, 60_000);
});
