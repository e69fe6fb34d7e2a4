import { stat } from 'node:fs/promises';
import { OpenClawError } from '@openclaw-node/plugin-sdk';

/** Check that a Nuke script exists and is a file (the agent already checked it is allowed). */
export async function requireScriptFile(file: string, field = 'params.script'): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (!info) {
    throw new OpenClawError('PATH_NOT_FOUND', `${field}: no such Nuke script: ${file}`, {
      details: { field, path: file },
    });
  }
  if (!info.isFile()) {
    throw new OpenClawError('INVALID_PARAMS', `${field} is a folder, not a Nuke script: ${file}`, {
      details: { field, path: file },
    });
  }
}
