import { stat } from 'node:fs/promises';
import { OpenClawError } from '@openclaw-node/plugin-sdk';

export type TargetKind = 'directory' | 'file';

/**
 * Check that a path param exists and say what it is. Explorer and xdg-open report nothing useful
 * for a missing target (Explorer opens Documents instead), so we check before launching.
 */
export async function statTarget(target: string, field: string): Promise<TargetKind> {
  try {
    const info = await stat(target);
    return info.isDirectory() ? 'directory' : 'file';
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    const reason = errno === 'EACCES' || errno === 'EPERM' ? 'cannot be read by the agent' : 'does not exist';
    throw new OpenClawError('PATH_NOT_FOUND', `${field} ${reason}: ${target}`, {
      details: { field, path: target, errno: errno ?? null },
    });
  }
}
