import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defineAction, definePlugin } from '@openclaw-node/plugin-sdk';
import type { ServiceStatus } from '../../../src/index.js';

/** A plugin built for Windows only, to see how a Linux or macOS node reports it. */
export const windowsOnlyPlugin = definePlugin({
  name: 'max',
  version: '1.0.0',
  description: 'A Windows-only test plugin',
  platforms: ['windows'],
  actions: {
    ping: defineAction({
      description: 'Answer',
      params: { type: 'object', additionalProperties: false, properties: {} },
      run: () => ({ ok: true, plugin: 'max', platform: 'windows', available: true, app: null }),
    }),
  },
});

/** A node_config.yaml in `dir`, private as init writes it. */
export async function writeNodeConfig(dir: string, lines: Record<string, string>): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'node_config.yaml');
  await writeFile(
    file,
    `${Object.entries(lines)
      .map(([key, value]) => `${key}: ${value}`)
      .join('\n')}\n`,
  );
  await chmod(file, 0o600);
  return file;
}

/** A service status as `serviceStatus()` reports it. */
export function serviceState(overrides: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    platform: 'linux',
    label: 'openclaw-agent',
    installed: true,
    running: true,
    pid: 4242,
    detail: 'active (running)',
    definitionPath: '/home/ana/.config/systemd/user/openclaw-agent.service',
    logs: 'journalctl --user -u openclaw-agent.service -f',
    ...overrides,
  };
}
