import type * as ServerPackage from '@openclaw-node/server';
import { docsUrl } from '@openclaw-node/core';
import { UsageError } from './clipanion.js';

type ServerModule = typeof ServerPackage;

/** What to say when the server package is not installed beside this CLI. */
export const SERVER_MISSING = `this command runs the server, and @openclaw-node/server (Koa, Socket.IO, SQLite, Redis) is not installed beside this openclaw: install @openclaw-node/cli, which brings it (${docsUrl('install.md')}#3-the-server-and-the-full-cli)`;

/** True for Node's "cannot find package `name`" (not for a module missing inside it). */
export function isMissingPackage(error: unknown, name: string): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return (
    e?.code === 'ERR_MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${name}'`)
  );
}

/**
 * The server package, loaded on demand: only `server start`, `quickstart` and `token` pay for
 * it, and a CLI without it says what to install instead of a module-resolution stack trace.
 */
export async function importServer(
  importer: () => Promise<ServerModule> = () => import('@openclaw-node/server'),
): Promise<ServerModule> {
  try {
    return await importer();
  } catch (error) {
    if (isMissingPackage(error, '@openclaw-node/server')) throw new UsageError(SERVER_MISSING);
    throw error;
  }
}
