import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { LOG_ROTATION_DEFAULTS } from '../../logging/rotating-log-file.js';
import { check, type DoctorCheck } from '../doctor-report.js';
import { shellQuote } from '@openclaw-node/core';

/** The log folder can be written (or created) by this user. */
export async function checkLogFile(file: string): Promise<DoctorCheck> {
  const title = 'Log file';
  const rotation = `rotated at ${LOG_ROTATION_DEFAULTS.maxBytes / 1024 / 1024} MiB, ${LOG_ROTATION_DEFAULTS.maxFiles} kept`;
  let dir = path.dirname(file);
  // The folder is created at the agent's first start: what matters is that its nearest existing parent is writable.
  for (;;) {
    try {
      await access(dir, constants.F_OK);
      break;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  try {
    await access(dir, constants.W_OK);
  } catch {
    return check(
      'log-file',
      title,
      'warn',
      `${file} cannot be written: ${dir} is not writable by this user`,
      {
        fix: `Fix the permissions of ${dir} (e.g. chown -R "$USER" ${shellQuote(dir)}), or start the agent with --log-file <file>.`,
        data: { file },
      },
    );
  }
  return check('log-file', title, 'ok', `${file} (${rotation}); \`openclaw agent logs -f\` follows it`, {
    data: { file },
  });
}
