import { stat } from 'node:fs/promises';
import { OpenClawError, defineAction } from '@openclaw-node/plugin-sdk';
import { RvArgv } from './argv.js';
import { launchRv } from './launch-rv.js';
import { requireRv } from './locate.js';
import { appendDisplayOptions, checkTag, displayOptionProperties, tagParam } from './options.js';
import { openResultSchema, type OpenResult } from './results.js';
import { rvConfig } from './config.js';

const FIELD = 'params.session_file';

/** rv.open_session: launch RV on a saved .rv session. */
export const openSession = defineAction({
  config: rvConfig,
  description: 'Launch RV on an .rv session file (the session must be its only source).',
  errors: ['APP_NOT_FOUND', 'PATH_NOT_FOUND', 'NO_DESKTOP_SESSION'],
  params: {
    type: 'object',
    required: ['session_file'],
    additionalProperties: false,
    properties: {
      session_file: {
        type: 'string',
        format: 'path',
        pattern: '\\.[rR][vV]$',
        maxLength: 4096,
        description: 'Absolute path of the .rv session file.',
      },
      tag: tagParam,
      ...displayOptionProperties,
    },
  },
  result: openResultSchema,
  timeout: 60,
  async run(params, ctx): Promise<OpenResult> {
    const sessionFile = params.session_file;
    const tag = checkTag(params.tag);
    const info = await stat(sessionFile).catch(() => null);
    if (!info?.isFile()) {
      throw new OpenClawError(
        'PATH_NOT_FOUND',
        `${FIELD} ${info ? 'is not a file' : 'does not exist'}: ${sessionFile}`,
        {
          details: { field: FIELD, path: sessionFile },
        },
      );
    }
    const argv = new RvArgv();
    appendDisplayOptions(argv, { ...params, tag });
    argv.value(sessionFile, FIELD);
    const rv = await requireRv(ctx);
    const launched = await launchRv(ctx, rv, argv.toArray());
    return {
      method: 'launched',
      started_new: true,
      mode: 'new',
      tag: tag ?? null,
      command: launched.command,
      pid: launched.pid ?? null,
    };
  },
});
