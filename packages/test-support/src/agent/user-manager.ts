import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';

const SYSTEMD_BINARIES = ['/lib/systemd/systemd', '/usr/lib/systemd/systemd'];

/** A private `systemd --user` for tests: its own HOME and XDG_RUNTIME_DIR, never the real session's. */
export interface UserManager {
  home: string;
  runtimeDir: string;
  stop(): Promise<void>;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function firstExisting(files: string[]): Promise<string | undefined> {
  for (const file of files) if (await exists(file)) return file;
  return undefined;
}

/**
 * Start `systemd --user` inside a private mount namespace (where /run/systemd/system exists, so it
 * agrees to run although PID 1 is not systemd). Returns a reason string when this machine cannot.
 */
export async function startUserManager(dir: string): Promise<UserManager | string> {
  if (process.platform !== 'linux') return 'systemd exists only on Linux';
  if (process.getuid?.() !== 0) {
    return 'a private user manager needs root (a mount namespace); the real session manager is never touched';
  }
  const systemd = await firstExisting(SYSTEMD_BINARIES);
  if (!systemd) return 'systemd is not installed';
  const probe = await execa('unshare', ['--mount', 'true'], { reject: false });
  if (probe.exitCode !== 0)
    return `unshare --mount is not permitted here: ${String(probe.stderr || probe.exitCode)}`;

  const home = path.join(dir, 'home');
  const runtimeDir = path.join(dir, 'rt');
  await mkdir(home, { recursive: true });
  await mkdir(runtimeDir, { mode: 0o700 });
  const script =
    'mount -t tmpfs tmpfs /run/systemd 2>/dev/null || { mkdir -p /run/systemd && mount -t tmpfs tmpfs /run/systemd; }' +
    ' && mkdir -p /run/systemd/system && exec "$0" --user';
  const manager = execa('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, systemd], {
    env: { HOME: home, XDG_RUNTIME_DIR: runtimeDir, PATH: process.env.PATH ?? '/usr/bin:/bin' },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    all: true,
  });
  const stop = async (): Promise<void> => {
    if (manager.exitCode === null) manager.kill('SIGTERM');
    const timer = setTimeout(() => manager.kill('SIGKILL'), 10_000);
    await manager;
    clearTimeout(timer);
  };

  const env = { XDG_RUNTIME_DIR: runtimeDir };
  for (let attempt = 0; attempt < 100; attempt++) {
    if (manager.exitCode !== null) break;
    // Not `is-system-running`: outside the namespace systemctl sees no booted systemd and says "offline".
    const state = await execa('systemctl', ['--user', 'show', '-p', 'SystemState', '--value'], {
      env,
      reject: false,
    });
    if (/^(running|degraded)$/.test(String(state.stdout).trim())) return { home, runtimeDir, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  const output = (await manager).all;
  return `systemd --user did not come up: ${typeof output === 'string' && output !== '' ? output.trim() : 'no output'}`;
}
