import { OpenClawError } from '@openclaw-node/core';
import type { WhichResult } from './context.js';

/** Throw APP_NOT_FOUND naming every place looked, unless `found.path` is set. */
export function requireApp(app: string, found: WhichResult): string {
  if (found.path) return found.path;
  throw new OpenClawError(
    'APP_NOT_FOUND',
    `${app} was not found; looked in: ${found.searched.join(', ') || 'nowhere'}`,
    {
      details: { app, searched: found.searched },
    },
  );
}
