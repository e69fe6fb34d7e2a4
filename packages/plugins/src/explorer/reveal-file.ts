import path from 'node:path';
import { defineAction } from '@openclaw-node/plugin-sdk';
import { runOpen } from './darwin.js';
import { assertDesktopSession, readDesktopSession, type DesktopSession } from './desktop-session.js';
import { callShowItems, type ShowItemsOutcome } from './file-manager-dbus.js';
import { pathParam, revealFileResult } from './schemas.js';
import { statTarget } from './target.js';
import { findTool } from './tools.js';
import { explorerRevealCommand, runExplorer } from './windows.js';
import { runXdgOpen } from './xdg-open.js';
import { type ExplorerContext, explorerConfig } from './config.js';

const FIELD = 'params.path';

type RevealResult = {
  revealed: string;
  method: (typeof revealFileResult)['properties']['method']['enum'][number];
  command: string[];
  opened?: string;
  fallback_reason?: string;
  still_running?: boolean;
};

/** explorer.reveal_file: show a file or folder selected in its parent folder. */
export const revealFile = defineAction({
  config: explorerConfig,
  description:
    'Show a file (or folder) selected in the file manager: explorer /select, open -R, or the FileManager1 D-Bus call.',
  params: {
    type: 'object',
    required: ['path'],
    additionalProperties: false,
    properties: {
      path: { ...pathParam, description: 'Absolute path of the file or folder to reveal.' },
    },
  },
  result: revealFileResult,
  timeout: 60,
  async run(params, ctx): Promise<RevealResult> {
    const target = params.path;
    await statTarget(target, FIELD);
    switch (ctx.platform) {
      case 'windows': {
        const command = await runExplorer(ctx, explorerRevealCommand(target, FIELD));
        return { revealed: target, method: 'explorer', command };
      }
      case 'darwin': {
        const command = await runOpen(ctx, ['-R', target], FIELD);
        return { revealed: target, method: 'open', command };
      }
      case 'linux':
        return revealOnLinux(ctx, target);
    }
  },
});

/** FileManager1.ShowItems through gdbus, else dbus-send, else xdg-open on the parent folder. */
async function revealOnLinux(ctx: ExplorerContext, target: string): Promise<RevealResult> {
  const session = readDesktopSession();
  assertDesktopSession(session);
  const outcome = await showItems(ctx, target, session);
  if (outcome.ok) return { revealed: target, method: 'dbus', command: outcome.command };
  ctx.log.info('revealing through the parent folder', { reason: outcome.reason });
  const parent = path.posix.dirname(target);
  const opened = await runXdgOpen(ctx, parent, FIELD, session);
  return {
    revealed: target,
    method: 'parent-folder',
    command: opened.command,
    opened: parent,
    fallback_reason: outcome.reason,
    ...(opened.exitCode === null ? { still_running: true } : {}),
  };
}

async function showItems(
  ctx: ExplorerContext,
  target: string,
  session: DesktopSession,
): Promise<ShowItemsOutcome> {
  if (!session.bus) return { ok: false, command: [], reason: 'DBUS_SESSION_BUS_ADDRESS is not set' };
  for (const tool of ['gdbus', 'dbus-send'] as const) {
    const found = await findTool(ctx, tool);
    if (found.path) return callShowItems(ctx, tool, found.path, target);
  }
  return { ok: false, command: [], reason: 'neither gdbus nor dbus-send was found on PATH' };
}
