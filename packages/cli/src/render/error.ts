import { isOpenClawError } from '@openclaw-node/core';
import { inline } from './terminal-text.js';

/** `CODE: message`, then the field at fault, for stderr. */
export function formatError(error: unknown): string {
  if (isOpenClawError(error)) {
    const field = error.details?.field;
    const lines = [`${inline(error.code)}: ${inline(error.message)}`];
    if (typeof field === 'string' && !error.message.startsWith(field))
      lines.push(`  field: ${inline(field)}`);
    return `${lines.join('\n')}\n`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `INTERNAL_ERROR: ${inline(message)}\n`;
}
