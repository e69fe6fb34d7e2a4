import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createServer, type OpenClawServer } from '@openclaw-node/server';
import pino from 'pino';

export const AGENT_TOKEN = 'cli-agent-setup-token-31b7';

/** A real server, a temporary home with a fake `rv` on PATH, and a desktop-session environment. */
export interface SetupBed {
  dir: string;
  serverUrl: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startSetupBed(): Promise<SetupBed> {
  const server: OpenClawServer = createServer({
    host: '127.0.0.1',
    port: 0,
    tokens: [{ name: 'agents', token: AGENT_TOKEN, roles: ['agent'] }],
    logger: pino({ level: 'silent' }),
    store: 'memory',
  });
  const { port } = await server.listen();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'openclaw-cli-setup-'));
  const bin = path.join(dir, 'bin');
  await mkdir(bin);
  await mkdir(path.join(dir, 'projects'));
  // RV's `rv -version` prints MAJOR.MINOR.REV and exits 0.
  await writeFile(path.join(bin, 'rv'), `#!/usr/bin/env node\nprocess.stdout.write('2024.1.0\\n');\n`);
  await chmod(path.join(bin, 'rv'), 0o755);
  return {
    dir,
    serverUrl: `ws://127.0.0.1:${port}/ws`,
    env: {
      HOME: dir,
      PATH: [bin, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter),
      DISPLAY: ':0',
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
      XDG_RUNTIME_DIR: path.join(dir, 'run'),
    },
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
