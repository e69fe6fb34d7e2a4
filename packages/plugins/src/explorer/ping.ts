import { defineAction, type WhichResult } from '@openclaw-node/plugin-sdk';
import { NO_SESSION_HINT, readDesktopSession } from './desktop-session.js';
import { findTool, type ExplorerTool } from './tools.js';
import { explorerConfig } from './config.js';

const toolSchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['path', 'source'],
  properties: { path: { type: 'string' }, source: { type: 'string' } },
} as const;

type ToolInfo = { path: string; source: string } | null;

/** explorer.ping: which desktop tools this machine has and whether windows can appear. */
export const ping = defineAction({
  config: explorerConfig,
  description: 'Check the file-manager tools and (on Linux) the desktop session.',
  params: { type: 'object', additionalProperties: false, properties: {} },
  result: {
    type: 'object',
    required: ['ok', 'plugin', 'platform', 'available', 'app', 'tools'],
    additionalProperties: false,
    properties: {
      ok: { const: true },
      plugin: { const: 'explorer' },
      platform: { enum: ['windows', 'darwin', 'linux'] },
      available: { type: 'boolean', description: 'open_folder can work here.' },
      app: {
        type: ['object', 'null'],
        required: ['path', 'version', 'source'],
        properties: { path: { type: 'string' }, version: { type: 'null' }, source: { type: 'string' } },
      },
      tools: { type: 'object', additionalProperties: toolSchema, description: 'Every tool looked for.' },
      session: {
        type: 'object',
        properties: { display: { type: 'boolean' }, wayland: { type: 'boolean' }, bus: { type: 'boolean' } },
      },
      reason: { type: 'string' },
      searched: { type: 'array', items: { type: 'string' } },
    },
  },
  timeout: 30,
  async run(_params, ctx) {
    const names: ExplorerTool[] =
      ctx.platform === 'windows'
        ? ['explorer']
        : ctx.platform === 'darwin'
          ? ['open']
          : ['xdg-open', 'gdbus', 'dbus-send'];
    const found = new Map<ExplorerTool, WhichResult>();
    for (const name of names) found.set(name, await findTool(ctx, name));
    const tools: Record<string, ToolInfo> = {};
    for (const [name, result] of found)
      tools[name] = result.path ? { path: result.path, source: result.source ?? 'path' } : null;
    const main = found.get(names[0]!)!;
    const app = main.path ? { path: main.path, version: null, source: main.source ?? 'path' } : null;
    const base = { ok: true as const, plugin: 'explorer' as const, platform: ctx.platform, app, tools };
    if (!main.path) {
      return { ...base, available: false, reason: `${names[0]} was not found`, searched: main.searched };
    }
    if (ctx.platform !== 'linux') return { ...base, available: true };
    return linuxAvailability(base);
  },
});

function linuxAvailability<T extends object>(base: T) {
  const session = readDesktopSession();
  if (!session.display && !session.bus) {
    return {
      ...base,
      session,
      available: false,
      reason: `No DISPLAY, WAYLAND_DISPLAY or DBUS_SESSION_BUS_ADDRESS. ${NO_SESSION_HINT}`,
    };
  }
  return { ...base, session, available: true };
}
