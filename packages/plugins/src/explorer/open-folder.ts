import path from 'node:path';
import { OpenClawError, defineAction } from '@openclaw-node/plugin-sdk';
import { runOpen } from './darwin.js';
import { assertDesktopSession, readDesktopSession } from './desktop-session.js';
import { openFolderResult, pathParam } from './schemas.js';
import { statTarget } from './target.js';
import { explorerOpenCommand, runExplorer } from './windows.js';
import { runXdgOpen } from './xdg-open.js';
import { explorerConfig } from './config.js';

const FIELD = 'params.path';

/** explorer.open_folder: show a folder in Explorer, Finder or the Linux file manager. */
export const openFolder = defineAction({
  config: explorerConfig,
  description:
    'Open a folder in the file manager (Explorer, Finder, xdg-open). Given a file, opens the folder that holds it.',
  params: {
    type: 'object',
    required: ['path'],
    additionalProperties: false,
    properties: {
      path: { ...pathParam, description: 'Absolute path of the folder to open.' },
      if_file: {
        enum: ['parent', 'error'],
        default: 'parent',
        description:
          'When path is a file: open the folder that holds it (default) or fail. A file is never opened itself.',
      },
    },
  },
  result: openFolderResult,
  timeout: 60,
  async run(params, ctx) {
    const requested = params.path;
    const kind = await statTarget(requested, FIELD);
    let folder = requested;
    if (kind === 'file') {
      // Handing a file to explorer/open/xdg-open would open it with its default application.
      if (params.if_file === 'error') {
        throw new OpenClawError(
          'INVALID_PARAMS',
          `${FIELD} is a file, not a folder (use reveal_file): ${requested}`,
          {
            details: { field: FIELD, path: requested },
          },
        );
      }
      folder = (ctx.platform === 'windows' ? path.win32 : path.posix).dirname(requested);
    }
    switch (ctx.platform) {
      case 'windows': {
        const command = await runExplorer(ctx, explorerOpenCommand(folder, FIELD));
        return { opened: folder, requested, method: 'explorer' as const, command };
      }
      case 'darwin': {
        const command = await runOpen(ctx, [folder], FIELD);
        return { opened: folder, requested, method: 'open' as const, command };
      }
      case 'linux': {
        const session = readDesktopSession();
        assertDesktopSession(session);
        const outcome = await runXdgOpen(ctx, folder, FIELD, session);
        return {
          opened: folder,
          requested,
          method: 'xdg-open' as const,
          command: outcome.command,
          ...(outcome.exitCode === null ? { still_running: true } : {}),
        };
      }
    }
  },
});
