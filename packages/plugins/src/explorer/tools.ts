import path from 'node:path';
import { requireApp, type WhichResult, type WhichSpec } from '@openclaw-node/plugin-sdk';
import type { ExplorerConfig, ExplorerContext, ToolConfigKey } from './config.js';

/** The desktop helpers this plugin drives. */
export type ExplorerTool = 'explorer' | 'open' | 'xdg-open' | 'gdbus' | 'dbus-send';

const CONFIG_KEY: Record<ExplorerTool, ToolConfigKey> = {
  explorer: 'explorer',
  open: 'open',
  'xdg-open': 'xdg_open',
  gdbus: 'gdbus',
  'dbus-send': 'dbus_send',
};

/** `%SystemRoot%`, as Windows sets it for every process; C:\Windows when it is missing. */
export function systemRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows';
}

/** Where to look for one tool: `plugin_config.explorer.<key>`, its fixed home, then PATH. */
export function toolSpec(tool: ExplorerTool, config: ExplorerConfig): WhichSpec {
  const configPath = config[CONFIG_KEY[tool]];
  const spec: WhichSpec = { names: [tool] };
  if (configPath) spec.configPath = configPath;
  if (tool === 'explorer') {
    spec.names = ['explorer.exe'];
    spec.locations = [path.win32.join(systemRoot(), 'explorer.exe')];
  } else if (tool === 'open') {
    spec.locations = ['/usr/bin/open'];
  }
  // xdg-open, gdbus and dbus-send come from PATH: that is where the desktop session puts them.
  return spec;
}

/** Look a tool up; null path when it is not there. */
export function findTool(ctx: ExplorerContext, tool: ExplorerTool): Promise<WhichResult> {
  return ctx.which(toolSpec(tool, ctx.config));
}

/** Find a tool or throw APP_NOT_FOUND naming every place looked. */
export async function requireTool(ctx: ExplorerContext, tool: ExplorerTool): Promise<string> {
  return requireApp(tool, await findTool(ctx, tool));
}
