import path from 'node:path';
import { OpenClawError } from '@openclaw-node/plugin-sdk';
import { requireTool } from './tools.js';
import type { ExplorerContext } from './config.js';

/** One explorer.exe invocation: its argv and whether it must reach the program verbatim. */
export interface ExplorerCommand {
  args: string[];
  verbatim: boolean;
}

/**
 * A Windows path as Explorer wants it: backslashes only (`/` reads as a switch), no trailing
 * backslash (it would escape the closing quote of `/select,"…"`), and never a `"`.
 */
export function toExplorerPath(target: string, field: string): string {
  if (target.includes('"')) {
    throw new OpenClawError(
      'INVALID_PARAMS',
      `${field} contains a double quote, which Windows paths cannot hold`,
      {
        details: { field },
      },
    );
  }
  const normalised = path.win32.normalize(target.replace(/\//g, '\\'));
  const root = path.win32.parse(normalised).root;
  return normalised.length > root.length ? normalised.replace(/\\+$/, '') : normalised;
}

/** `explorer.exe <folder>`: Node's ordinary quoting is right for a plain path argument. */
export function explorerOpenCommand(folder: string, field: string): ExplorerCommand {
  return { args: [toExplorerPath(folder, field)], verbatim: false };
}

/**
 * `explorer.exe /select,"<path>"` as ONE verbatim argument. Node's default quoting would wrap the
 * whole token, and Explorer then silently opens a default folder for paths with spaces.
 * A drive root has no parent to select it in, so it is simply opened.
 */
export function explorerRevealCommand(target: string, field: string): ExplorerCommand {
  const windowsPath = toExplorerPath(target, field);
  if (path.win32.parse(windowsPath).root === windowsPath) return { args: [windowsPath], verbatim: false };
  return { args: [`/select,"${windowsPath}"`], verbatim: true };
}

/**
 * Start explorer.exe detached. Its exit code means nothing (usually 1 on success) and, when no shell
 * is running, the process lives as long as its window, so only spawn failures are errors.
 */
export async function runExplorer(ctx: ExplorerContext, command: ExplorerCommand): Promise<string[]> {
  const explorer = await requireTool(ctx, 'explorer');
  const launched = await ctx.launch(
    explorer,
    command.args,
    command.verbatim ? { windowsVerbatimArguments: true } : {},
  );
  return launched.command;
}
